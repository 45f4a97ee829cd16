package dev.onelayer.model.scb;

import dev.onelayer.kernel.Parallel;

import java.util.ArrayList;
import java.util.List;

/**
 * Experiment 1: PPPD against plain SGD at several learning rates; absolute Frobenius distances to P
 * and A* and the excess population loss against samples seen (scb.md 4, main figure p.8).
 */
public final class RecoveryExperiment {

    public static final String CLAIM = "Ren, Wang, Lee (2024), main figure p.8: preconditioned projected proximal descent "
            + "recovers both the transition matrix P and the sparse attention A* with small online batches, while plain "
            + "SGD at every learning rate stalls (large lr, high variance) or crawls (small lr), mostly on A. Test "
            + "thresholds (issue 7): pmix P, N=10, T=50, Q=2, B=64, 4e5 samples: PPPD < 0.1 on both, every SGD lr > 0.15 on A.";

    private RecoveryExperiment() {
    }

    /**
     * @param task      task description (one task per seed)
     * @param batch     B
     * @param budget    samples per run
     * @param evalEvery samples between curve points
     * @param sgdRates  the SGD learning rates
     * @param seeds     number of seeds (seed = firstSeed + i: task and data)
     */
    public record Config(ScbTaskConfig task, int batch, long budget, long evalEvery, double[] sgdRates, int seeds, long firstSeed) {
        public Config {
            if (task == null || sgdRates == null) throw new IllegalArgumentException("RecoveryExperiment: task or sgdRates is null");
            if (batch < 1 || seeds < 1 || budget < batch || evalEvery < batch) {
                throw new IllegalArgumentException("RecoveryExperiment: need batch >= 1, seeds >= 1, budget and evalEvery >= batch");
            }
            sgdRates = sgdRates.clone();
        }

        /** The issue's test setting: N=10, T=50, Q=2 pmix, B=64, 4e5 samples, SGD lr 0.03, 0.1, 0.3, 1. */
        public static Config issueDefault(int seeds) {
            return new Config(ScbTaskConfig.recoveryDefault(), 64, 400_000, 6_400, new double[] {0.03, 0.1, 0.3, 1.0}, seeds, 1);
        }
    }

    /** Final numbers of one method over the seeds. */
    public record Summary(String method, double maxDistV, double maxDistA, double minDistA, double maxExcess) {
    }

    /** {@code curves.get(m).get(s)}: method m (PPPD first, then SGD rates in order), seed s. */
    public record Result(Config config, List<String> methods, List<List<ScbCurve>> curves, List<Summary> summaries, String claim) {
    }

    public static Result run(Config c) {
        return run(c, RunListener.NONE);
    }

    /** Training runs in {@link #run}: (1 + SGD rates) x seeds. */
    public static int runs(Config c) {
        return (1 + c.sgdRates().length) * c.seeds();
    }

    /** {@link #run(Config)}, telling {@code listener} after each training run. */
    public static Result run(Config c, RunListener listener) {
        return run(c, listener, 1);
    }

    /**
     * {@link #run(Config, RunListener)} with the independent training runs (method x seed) spread
     * over {@code threads} threads; each run has its own task, model and data stream, so the result
     * does not depend on {@code threads}.
     */
    public static Result run(Config c, RunListener listener, int threads) {
        if (listener == null) throw new IllegalArgumentException("RecoveryExperiment: listener is null");
        if (threads < 1) throw new IllegalArgumentException("RecoveryExperiment: threads=" + threads + " must be at least 1");
        List<ScbOptimizerConfig> opts = new ArrayList<>();
        opts.add(ScbOptimizerConfig.pppd());
        for (double lr : c.sgdRates()) opts.add(ScbOptimizerConfig.sgd(lr));
        int seeds = c.seeds();
        ScbCurve[][] grid = new ScbCurve[opts.size()][seeds];
        Parallel.forChunks(opts.size() * seeds, 1, threads, (job, from, to) -> {
            ScbOptimizerConfig o = opts.get(job / seeds);
            long seed = c.firstSeed() + job % seeds;
            ScbTask task = c.task().build(seed);
            grid[job / seeds][job % seeds] = ScbRun.curve(task, new ScbModel(task.vocab(), task.seqLen()).uniform(), o, c.batch(), c.budget(),
                    c.evalEvery(), seed);
            listener.runDone(o.name() + " seed " + seed);
        });
        List<String> names = new ArrayList<>();
        List<List<ScbCurve>> curves = new ArrayList<>();
        List<Summary> sums = new ArrayList<>();
        for (int m = 0; m < opts.size(); m++) {
            double maxV = 0, maxA = 0, minA = Double.POSITIVE_INFINITY, maxEx = Double.NEGATIVE_INFINITY;
            for (ScbCurve cv : grid[m]) {
                maxV = Math.max(maxV, cv.finalDistV());
                maxA = Math.max(maxA, cv.finalDistA());
                minA = Math.min(minA, cv.finalDistA());
                maxEx = Math.max(maxEx, cv.finalExcess());
            }
            names.add(opts.get(m).name());
            curves.add(List.of(grid[m]));
            sums.add(new Summary(opts.get(m).name(), maxV, maxA, minA, maxEx));
        }
        return new Result(c, names, curves, sums, CLAIM);
    }
}
