package dev.onelayer.model.scb;

import dev.onelayer.kernel.Parallel;

/**
 * Experiment 3: transfer. The plateau (as in {@link PlateauExperiment}) from scratch and from a
 * correlated value matrix {@code V0 = (1 - rho) P + rho R} (R's columns Dirichlet(1); A uniform),
 * per T, with the ratio scratch/transfer and both exponents in T. The loss level to reach is the
 * same for both starts: {@code L* + (1 - fraction)(L(uniform) - L*)}.
 *
 * <p>With {@code pretrainSamples = 0} V0 stands in for "a model pretrained on a correlated task"
 * (the test form): the fully pretrained V of a task with {@code P_pre = (1 - rho) P + rho R}
 * would be that matrix. With {@code pretrainSamples > 0} V0 is the V of an actual model trained for
 * that many samples on the task with {@code P_pre} ({@link Pretraining}), then finetuned.
 */
public final class TransferExperiment {

    public static final String CLAIM = "Ren, Wang, Lee (2024): finetuning from a model pretrained on a task with a nontrivial "
            + "(even weak) correlation skips the poly(T) first stage and needs only poly(N,Q) samples. Validated settings 4: "
            + "test with rho = 0.8 (initial corr about 0.4-0.5): scratch/transfer plateau ratio >= 1.5 at T = 400, the ratio "
            + "grows with T, and the transfer plateau's exponent in T is below the scratch one (3x is not realistic here).";

    private TransferExperiment() {
    }

    public record Config(ScbTaskConfig task, int[] seqLens, double rho, int batch, int seeds, long firstSeed, ScbOptimizerConfig optimizer,
                         double fraction, long maxSamples, long pretrainSamples) {
        public Config {
            if (task == null || seqLens == null || seqLens.length < 2 || optimizer == null) {
                throw new IllegalArgumentException("TransferExperiment: need a task, an optimizer and >= 2 values of T");
            }
            if (!(rho >= 0 && rho <= 1)) throw new IllegalArgumentException("TransferExperiment: rho=" + rho + " must be in [0, 1]");
            if (batch < 1 || seeds < 1 || !(fraction > 0 && fraction < 1) || maxSamples < batch) {
                throw new IllegalArgumentException("TransferExperiment: need batch, seeds >= 1, fraction in (0,1), maxSamples >= batch");
            }
            if (pretrainSamples != 0 && pretrainSamples < batch) {
                throw new IllegalArgumentException("TransferExperiment: pretrainSamples=" + pretrainSamples + " must be 0 (analytic V0) or >= batch");
            }
            seqLens = seqLens.clone();
        }

        /** The analytic start {@code V0 = (1 - rho) P + rho R} (no pretraining run). */
        public Config(ScbTaskConfig task, int[] seqLens, double rho, int batch, int seeds, long firstSeed, ScbOptimizerConfig optimizer,
                      double fraction, long maxSamples) {
            this(task, seqLens, rho, batch, seeds, firstSeed, optimizer, fraction, maxSamples, 0);
        }

        /** The same experiment with V0 from an actual pretraining run of {@code samples} samples. */
        public Config withPretraining(long samples) {
            return new Config(task, seqLens, rho, batch, seeds, firstSeed, optimizer, fraction, maxSamples, samples);
        }

        /** The notes' test: PPPD-vn, rho = 0.8, pmix N=10, Q=2, B=64, T = 25..400. */
        public static Config notesDefault(int seeds) {
            return new Config(ScbTaskConfig.recoveryDefault(), new int[] {25, 50, 100, 200, 400}, 0.8, 64, seeds, 1,
                    ScbOptimizerConfig.pppdVn(), 0.2, 2_000_000);
        }
    }

    public record Result(Config config, long[][] scratch, long[][] transfer, double[] scratchMedian, double[] transferMedian,
                         double[] ratio, double scratchExponent, double transferExponent, double[] initialCorrMedian, String claim) {
    }

    public static Result run(Config c) {
        return run(c, RunListener.NONE);
    }

    /** Training runs in {@link #run}: 2 (scratch, transfer) x values of T x seeds. */
    public static int runs(Config c) {
        return 2 * c.seqLens().length * c.seeds();
    }

    /** {@link #run(Config)}, telling {@code listener} after each training run. */
    public static Result run(Config c, RunListener listener) {
        return run(c, listener, 1);
    }

    /**
     * {@link #run(Config, RunListener)} with the independent runs (scratch or transfer x T x seed)
     * spread over {@code threads} threads; the result does not depend on {@code threads}.
     */
    public static Result run(Config c, RunListener listener, int threads) {
        if (listener == null) throw new IllegalArgumentException("TransferExperiment: listener is null");
        if (threads < 1) throw new IllegalArgumentException("TransferExperiment: threads=" + threads + " must be at least 1");
        int nt = c.seqLens().length, ns = c.seeds();
        long[][] scratch = new long[nt][ns], transfer = new long[nt][ns];
        double[][] cs = new double[nt][ns];
        double[] sMed = new double[nt], tMed = new double[nt], ratio = new double[nt], corr = new double[nt];
        Parallel.forChunks(2 * nt * ns, 1, threads, (job, from, to) -> {
            boolean warmStart = job % 2 == 1;
            int i = job / 2 / ns, s = job / 2 % ns;
            long seed = c.firstSeed() + s;
            ScbTask task = c.task().withSeqLen(c.seqLens()[i]).build(seed);
            ScbModel start = new ScbModel(task.vocab(), task.seqLen()).uniform();
            if (warmStart) {
                float[] v0 = c.pretrainSamples() > 0
                        ? Pretraining.pretrainedValue(task, c.rho(), c.optimizer(), c.batch(), c.pretrainSamples(), seed)
                        : ScbRun.transferInit(task, c.rho(), seed);
                System.arraycopy(v0, 0, start.v, 0, start.v.length);
                cs[i][s] = ScbMetrics.correlation(task, start);
            }
            long samples = PlateauExperiment.plateau(task, start, c.optimizer(), c.batch(), c.fraction(), c.maxSamples(), seed);
            if (warmStart) transfer[i][s] = samples;
            else scratch[i][s] = samples;
            listener.runDone((warmStart ? "transfer" : "scratch") + " T=" + c.seqLens()[i] + " seed " + seed);
        });
        for (int i = 0; i < nt; i++) {
            sMed[i] = PlateauStats.median(scratch[i]);
            tMed[i] = PlateauStats.median(transfer[i]);
            ratio[i] = sMed[i] / tMed[i];
            double[] sorted = cs[i].clone();
            java.util.Arrays.sort(sorted);
            corr[i] = ns % 2 == 1 ? sorted[ns / 2] : 0.5 * (sorted[ns / 2 - 1] + sorted[ns / 2]);
        }
        return new Result(c, scratch, transfer, sMed, tMed, ratio, PlateauStats.exponent(c.seqLens(), sMed),
                PlateauStats.exponent(c.seqLens(), tMed), corr, CLAIM);
    }
}
