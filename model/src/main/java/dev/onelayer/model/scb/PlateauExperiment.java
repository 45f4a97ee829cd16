package dev.onelayer.model.scb;

import dev.onelayer.kernel.Parallel;

/**
 * Experiment 2: the from-scratch plateau (stage 1) against T at fixed N, Q. The plateau is the number
 * of samples until {@code fraction} (0.2) of the population-loss gap between the uniform start and L*
 * is closed, with the seed median per T and the least-squares exponent of median ~ T^e; the same
 * for the samples until corr(V, P) reaches {@code corrThreshold} (the second measure).
 */
public final class PlateauExperiment {

    public static final String CLAIM = "Ren, Wang, Lee (2024): from scratch, a sample-intensive first stage of poly(T) samples "
            + "lifts the correlation with the ground truth from zero, then poly(N,Q) samples finish. Validated settings 3: "
            + "with PPPD as reconstructed the stage is faint (exponent about 0.3); test: the seed-median plateau grows "
            + "monotonically over >= 4 values of T spanning >= 16x, with an exponent in [0.15, 1].";

    private PlateauExperiment() {
    }

    /**
     * @param corrThreshold corr(V, P) level for the second plateau measure; &lt;= -1 skips it
     */
    public record Config(ScbTaskConfig task, int[] seqLens, int batch, int seeds, long firstSeed, ScbOptimizerConfig optimizer,
                         double fraction, double corrThreshold, long maxSamples) {
        public Config {
            if (task == null || seqLens == null || seqLens.length < 2 || optimizer == null) {
                throw new IllegalArgumentException("PlateauExperiment: need a task, an optimizer and >= 2 values of T");
            }
            if (batch < 1 || seeds < 1 || !(fraction > 0 && fraction < 1) || maxSamples < batch || !(corrThreshold < 1)) {
                throw new IllegalArgumentException("PlateauExperiment: need batch, seeds >= 1, fraction in (0,1), corrThreshold < 1, maxSamples >= batch");
            }
            seqLens = seqLens.clone();
        }

        /** The notes' sweep: PPPD-vn, pmix N=10, Q=2, B=64, T = 25..400, 3 seeds, 20% of the gap, corr 0.9. */
        public static Config notesDefault(int seeds) {
            return new Config(ScbTaskConfig.recoveryDefault(), new int[] {25, 50, 100, 200, 400}, 64, seeds, 1,
                    ScbOptimizerConfig.pppdVn(), 0.2, 0.9, 2_000_000);
        }
    }

    /**
     * {@code samples[i][s]}: loss plateau of T = seqLens[i], seed s (-1 = not reached);
     * {@code corrSamples} likewise for the correlation measure (all -1 when skipped).
     */
    public record Result(Config config, long[][] samples, double[] medians, double exponent, long[][] corrSamples, double[] corrMedians,
                         double corrExponent, String claim) {
    }

    /** The loss plateau of one run (seed = task and data seed). */
    static long plateau(ScbTask task, ScbModel start, ScbOptimizerConfig opt, int batch, double fraction, long maxSamples, long seed) {
        return ScbRun.samplesToLoss(task, start, opt, batch, maxSamples, PlateauStats.targetLoss(task, fraction), seed);
    }

    public static Result run(Config c) {
        return run(c, RunListener.NONE);
    }

    /** Training runs in {@link #run}: values of T x seeds. */
    public static int runs(Config c) {
        return c.seqLens().length * c.seeds();
    }

    /** {@link #run(Config)}, telling {@code listener} after each training run. */
    public static Result run(Config c, RunListener listener) {
        return run(c, listener, 1);
    }

    /**
     * {@link #run(Config, RunListener)} with the independent runs (T x seed) spread over
     * {@code threads} threads; the result does not depend on {@code threads}.
     */
    public static Result run(Config c, RunListener listener, int threads) {
        if (listener == null) throw new IllegalArgumentException("PlateauExperiment: listener is null");
        if (threads < 1) throw new IllegalArgumentException("PlateauExperiment: threads=" + threads + " must be at least 1");
        int nt = c.seqLens().length, seeds = c.seeds();
        long[][] samples = new long[nt][seeds], corr = new long[nt][seeds];
        double[] med = new double[nt], corrMed = new double[nt];
        Parallel.forChunks(nt * seeds, 1, threads, (job, from, to) -> {
            int i = job / seeds, s = job % seeds;
            long seed = c.firstSeed() + s;
            ScbTask task = c.task().withSeqLen(c.seqLens()[i]).build(seed);
            ScbRun.Milestones m = ScbRun.milestones(task, new ScbModel(task.vocab(), task.seqLen()).uniform(), c.optimizer(), c.batch(),
                    c.maxSamples(), new double[] {PlateauStats.targetLoss(task, c.fraction())}, c.corrThreshold(), seed);
            samples[i][s] = m.lossSamples()[0];
            corr[i][s] = m.corrSamples();
            listener.runDone("T=" + c.seqLens()[i] + " seed " + seed);
        });
        for (int i = 0; i < nt; i++) {
            med[i] = PlateauStats.median(samples[i]);
            corrMed[i] = PlateauStats.median(corr[i]);
        }
        boolean corrOk = c.corrThreshold() > -1 && java.util.Arrays.stream(corrMed).allMatch(x -> x > 0 && Double.isFinite(x));
        return new Result(c, samples, med, PlateauStats.exponent(c.seqLens(), med), corr, corrMed,
                corrOk ? PlateauStats.exponent(c.seqLens(), corrMed) : Double.NaN, CLAIM);
    }
}
