package dev.onelayer.model.scb;

import dev.onelayer.kernel.Parallel;

/**
 * Experiment 2b: the second stage's length against N and Q at fixed T. Stage 2 runs from the point
 * where {@code fromFraction} (0.2) of the population-loss gap is closed to the point where
 * {@code toFraction} (0.9) is closed; seed medians per (N, Q).
 */
public final class StageTwoExperiment {

    public static final String CLAIM = "Ren, Wang, Lee (2024): once the correlation is nontrivial, a sample-efficient second "
            + "stage reaches the final accuracy with poly(N,Q) samples (no T dependence).";

    private StageTwoExperiment() {
    }

    public record Config(ScbTaskConfig task, int[] vocabs, int[] sparsities, int batch, int seeds, long firstSeed, ScbOptimizerConfig optimizer,
                         double fromFraction, double toFraction, long maxSamples) {
        public Config {
            if (task == null || vocabs == null || sparsities == null || vocabs.length == 0 || sparsities.length == 0 || optimizer == null) {
                throw new IllegalArgumentException("StageTwoExperiment: need a task, an optimizer and values of N and Q");
            }
            if (batch < 1 || seeds < 1 || !(fromFraction > 0 && fromFraction < toFraction && toFraction < 1) || maxSamples < batch) {
                throw new IllegalArgumentException("StageTwoExperiment: need batch, seeds >= 1, 0 < fromFraction < toFraction < 1, maxSamples >= batch");
            }
            vocabs = vocabs.clone();
            sparsities = sparsities.clone();
        }

        /** PPPD at T = 100, N in {5, 10, 20}, Q in {1, 2, 4}, B = 64, 20% -> 90% of the gap. */
        public static Config defaults(int seeds) {
            return new Config(new ScbTaskConfig(10, 100, 2, "pmix", 2.0), new int[] {5, 10, 20}, new int[] {1, 2, 4}, 64, seeds, 1,
                    ScbOptimizerConfig.pppd(), 0.2, 0.9, 4_000_000);
        }
    }

    /** {@code medians[i][j]}: stage-2 samples for N = vocabs[i], Q = sparsities[j] (infinite if a seed did not finish). */
    public record Result(Config config, double[][] medians, String claim) {
    }

    public static Result run(Config c) {
        return run(c, RunListener.NONE);
    }

    /** Training runs in {@link #run}: values of N x values of Q x seeds. */
    public static int runs(Config c) {
        return c.vocabs().length * c.sparsities().length * c.seeds();
    }

    /** {@link #run(Config)}, telling {@code listener} after each training run. */
    public static Result run(Config c, RunListener listener) {
        return run(c, listener, 1);
    }

    /**
     * {@link #run(Config, RunListener)} with the independent runs (N x Q x seed) spread over
     * {@code threads} threads; the result does not depend on {@code threads}.
     */
    public static Result run(Config c, RunListener listener, int threads) {
        if (listener == null) throw new IllegalArgumentException("StageTwoExperiment: listener is null");
        if (threads < 1) throw new IllegalArgumentException("StageTwoExperiment: threads=" + threads + " must be at least 1");
        int nn = c.vocabs().length, nq = c.sparsities().length, ns = c.seeds();
        long[][][] len = new long[nn][nq][ns];
        Parallel.forChunks(nn * nq * ns, 1, threads, (job, from, to) -> {
            int i = job / (nq * ns), j = job / ns % nq, s = job % ns;
            long seed = c.firstSeed() + s;
            ScbTaskConfig tc = new ScbTaskConfig(c.vocabs()[i], c.task().seqLen(), c.sparsities()[j], c.task().transition(),
                    c.task().attentionAlpha());
            ScbTask task = tc.build(seed);
            double[] targets = {PlateauStats.targetLoss(task, c.fromFraction()), PlateauStats.targetLoss(task, c.toFraction())};
            ScbRun.Milestones m = ScbRun.milestones(task, new ScbModel(task.vocab(), task.seqLen()).uniform(), c.optimizer(),
                    c.batch(), c.maxSamples(), targets, -2, seed);
            len[i][j][s] = m.lossSamples()[0] < 0 || m.lossSamples()[1] < 0 ? -1 : m.lossSamples()[1] - m.lossSamples()[0];
            listener.runDone("N=" + tc.vocab() + " Q=" + tc.sparsity() + " seed " + seed);
        });
        double[][] med = new double[nn][nq];
        for (int i = 0; i < nn; i++) for (int j = 0; j < nq; j++) med[i][j] = PlateauStats.median(len[i][j]);
        return new Result(c, med, CLAIM);
    }
}
