package dev.onelayer.model.markov;

import java.util.ArrayList;
import java.util.List;

/**
 * The six experiments of Makkuva et al. (markov.md section 4), each a function from a base
 * {@link TrainConfig} (every setting, including the sizes) to a result record carrying the
 * measured numbers next to the paper's reference values. The CLI and the tests call these.
 *
 * <ol>
 *   <li>{@link #tiedVsUntied} at (0.2, 0.3): loss curves, both reach the entropy rate;</li>
 *   <li>{@link #tiedVsUntied} at (0.5, 0.8): untied reaches the entropy rate, tied stays at H(π)
 *       with {@code P̂(1 | previous 0) ≈ π_1};</li>
 *   <li>{@link #grid}: q̂ over a (p, q) grid, ≈ q when p + q &lt; 1, ≈ q/(p+q) when p + q &gt; 1 (tied);</li>
 *   <li>{@link #thetaPi}: start at θ_π, next to λ_min(2(p+q−1)I + Cov(pos));</li>
 *   <li>{@link #depth}: layers at (0.5, 0.8) tied (full model);</li>
 *   <li>{@link #depth} and {@link #memory} on k = 2 chains (full model).</li>
 * </ol>
 */
public final class MarkovExperiments {

    private MarkovExperiments() {
    }

    /** Progress over all runs of an experiment: {@code done} steps out of {@code total}. */
    @FunctionalInterface
    public interface Progress {
        void onStep(long done, long total, double loss);

        Progress NONE = (done, total, loss) -> {
        };
    }

    /** Which reference a final loss is nearer to. */
    public enum Regime {
        /** Nearer the entropy rate: the model learned the kernel (global minimum θ*). */
        BIGRAM,
        /** Nearer H(π): the model predicts the marginal (θ_π). */
        UNIGRAM
    }

    /** The nearer of the two references (p + q = 1 makes them equal: BIGRAM then). */
    public static Regime regimeOf(double loss, double entropyRate, double unigramEntropy) {
        return Math.abs(loss - entropyRate) <= Math.abs(loss - unigramEntropy) ? Regime.BIGRAM : Regime.UNIGRAM;
    }

    // ---------------------------------------------------------------- experiments 1 and 2

    /**
     * Tied and untied runs of the same config over {@code seeds}.
     *
     * @param tied   one run per seed with a = e (theory) / lm_head = wte (full)
     * @param untied one run per seed without tying
     */
    public record TiedVsUntied(TrainConfig base, List<RunResult> tied, List<RunResult> untied) {

        public List<RunResult> runs(boolean isTied) {
            return isTied ? tied : untied;
        }

        public double entropyRate() {
            return base.chain().entropyRate();
        }

        public double unigramEntropy() {
            return base.chain().unigramEntropy();
        }

        /** π_1 = p/(p+q): what θ_π predicts everywhere. */
        public double pi1() {
            return base.chain().pi1();
        }

        public double meanFinalLoss(boolean isTied) {
            double s = 0;
            for (RunResult r : runs(isTied)) s += r.finalLoss();
            return s / runs(isTied).size();
        }

        /** Mean over seeds of P̂(1 | previous symbol 0). */
        public double meanPHat(boolean isTied) {
            double s = 0;
            for (RunResult r : runs(isTied)) s += r.result().pHat();
            return s / runs(isTied).size();
        }
    }

    /** Experiments 1 and 2: {@code base} with tying on and off, one run per seed. */
    public static TiedVsUntied tiedVsUntied(TrainConfig base, long[] seeds, Progress progress) {
        checkSeeds(seeds);
        long total = 2L * seeds.length * base.steps();
        Counter c = new Counter(progress, total);
        List<RunResult> tied = new ArrayList<>(), untied = new ArrayList<>();
        for (long seed : seeds) {
            tied.add(c.run(base.withTied(true).withSeed(seed)));
            untied.add(c.run(base.withTied(false).withSeed(seed)));
        }
        return new TiedVsUntied(base, List.copyOf(tied), List.copyOf(untied));
    }

    // ---------------------------------------------------------------- experiment 3

    /**
     * One cell of the (p, q) grid.
     *
     * @param qHat        model's mean P̂(0 | previous 1)
     * @param run         the run
     */
    public record GridCell(double p, double q, double qHat, RunResult run) {

        /** q̂ of the global minimum: the true q. */
        public double qHatBigram() {
            return q;
        }

        /** q̂ of θ_π: π_0 = q/(p+q). */
        public double qHatUnigram() {
            return q / (p + q);
        }

        /** What the paper's heat map predicts with tying: q if p + q ≤ 1, q/(p+q) if p + q &gt; 1. */
        public double qHatPredictedTied() {
            return p + q > 1 ? qHatUnigram() : qHatBigram();
        }

        /** Whether q̂ is nearer q (BIGRAM) or q/(p+q) (UNIGRAM). */
        public Regime regime() {
            return Math.abs(qHat - qHatBigram()) <= Math.abs(qHat - qHatUnigram()) ? Regime.BIGRAM : Regime.UNIGRAM;
        }
    }

    /** The grid for one tying choice, cells in row-major (p outer, q inner) order. */
    public record Grid(boolean tied, double[] ps, double[] qs, List<GridCell> cells) {

        public GridCell cell(int pi, int qi) {
            return cells.get(pi * qs.length + qi);
        }
    }

    /** Experiment 3: one run of {@code base} (with the given tying) per (p, q) cell. */
    public static Grid grid(TrainConfig base, double[] ps, double[] qs, boolean tied, Progress progress) {
        if (ps == null || qs == null || ps.length == 0 || qs.length == 0) throw new IllegalArgumentException("MarkovExperiments.grid: need p and q values");
        Counter c = new Counter(progress, (long) ps.length * qs.length * base.steps());
        List<GridCell> cells = new ArrayList<>();
        for (double p : ps) {
            for (double q : qs) {
                RunResult r = c.run(base.withChain(p, q).withTied(tied));
                cells.add(new GridCell(p, q, r.result().qHat(), r));
            }
        }
        return new Grid(tied, ps.clone(), qs.clone(), List.copyOf(cells));
    }

    // ---------------------------------------------------------------- experiment 4

    /**
     * One run started at θ_π.
     *
     * @param lambdaMin λ_min(2(p+q−1)I + Cov(pos)) at the start (&gt; 0: θ_π is a local minimum
     *                  when tied, Thm 2)
     */
    public record ThetaPiRow(double p, double q, boolean tied, long seed, double lambdaMin, RunResult run) {

        public double initialLoss() {
            return run.initial().loss();
        }

        public double finalLoss() {
            return run.finalLoss();
        }

        /** Training stayed at θ_π: the final loss is nearer H(π) than the entropy rate. */
        public boolean stays() {
            return regimeOf(run.finalLoss(), run.entropyRate(), run.unigramEntropy()) == Regime.UNIGRAM;
        }

        /** Thm 2's prediction: a local minimum (so training stays) iff tied and λ_min &gt; 0. */
        public boolean predictedToStay() {
            return tied && lambdaMin > 0;
        }
    }

    /** Experiment 4: the theory model started at θ_π for each (p, q), tied and untied, per seed. */
    public static List<ThetaPiRow> thetaPi(TrainConfig base, double[][] pqs, boolean[] tyings, long[] seeds, Progress progress) {
        if (base.architecture() != TrainConfig.Architecture.THEORY) {
            throw new IllegalArgumentException("MarkovExperiments.thetaPi: θ_π is defined for the theory model");
        }
        if (pqs == null || pqs.length == 0 || tyings == null || tyings.length == 0) {
            throw new IllegalArgumentException("MarkovExperiments.thetaPi: need (p, q) pairs and tying choices");
        }
        checkSeeds(seeds);
        Counter c = new Counter(progress, (long) pqs.length * tyings.length * seeds.length * base.steps());
        List<ThetaPiRow> rows = new ArrayList<>();
        for (double[] pq : pqs) {
            if (pq == null || pq.length != 2) throw new IllegalArgumentException("MarkovExperiments.thetaPi: each pair needs p and q");
            for (boolean tied : tyings) {
                for (long seed : seeds) {
                    TrainConfig cfg = base.withChain(pq[0], pq[1]).withTied(tied).withSeed(seed).withInit(TrainConfig.Init.UNIGRAM, base.initStd());
                    RunResult r = c.run(cfg);
                    rows.add(new ThetaPiRow(pq[0], pq[1], tied, seed, r.lambdaMinInitial(), r));
                }
            }
        }
        return List.copyOf(rows);
    }

    // ---------------------------------------------------------------- experiments 5 and 6

    /**
     * One run of a sweep over an integer setting.
     *
     * @param value layers (depth sweeps) or window M (memory sweep; −1 = full attention)
     */
    public record SweepRow(int value, long seed, RunResult run) {

        public Regime regime() {
            return regimeOf(run.finalLoss(), run.entropyRate(), run.unigramEntropy());
        }
    }

    /** Experiments 5 and 6a: the full model with each number of layers, per seed. */
    public static List<SweepRow> depth(TrainConfig base, int[] layers, long[] seeds, Progress progress) {
        if (layers == null || layers.length == 0) throw new IllegalArgumentException("MarkovExperiments.depth: need layer counts");
        checkSeeds(seeds);
        Counter c = new Counter(progress, (long) layers.length * seeds.length * base.steps());
        List<SweepRow> rows = new ArrayList<>();
        for (int l : layers) {
            for (long seed : seeds) rows.add(new SweepRow(l, seed, c.run(base.withArchitecture(TrainConfig.Architecture.FULL, l).withSeed(seed))));
        }
        return List.copyOf(rows);
    }

    /** Experiment 6b: {@code base} with each attention window M, per seed. */
    public static List<SweepRow> memory(TrainConfig base, int[] windows, long[] seeds, Progress progress) {
        if (windows == null || windows.length == 0) throw new IllegalArgumentException("MarkovExperiments.memory: need windows");
        checkSeeds(seeds);
        Counter c = new Counter(progress, (long) windows.length * seeds.length * base.steps());
        List<SweepRow> rows = new ArrayList<>();
        for (int m : windows) {
            for (long seed : seeds) rows.add(new SweepRow(m, seed, c.run(base.withWindow(m).withSeed(seed))));
        }
        return List.copyOf(rows);
    }

    private static void checkSeeds(long[] seeds) {
        if (seeds == null || seeds.length == 0) throw new IllegalArgumentException("MarkovExperiments: need at least one seed");
    }

    /** Runs configs one after another, reporting steps over the whole experiment. */
    private static final class Counter {
        private final Progress progress;
        private final long total;
        private long done;

        Counter(Progress progress, long total) {
            this.progress = progress == null ? Progress.NONE : progress;
            this.total = total;
        }

        RunResult run(TrainConfig c) {
            long before = done;
            RunResult r = MarkovTraining.run(c, (step, loss) -> progress.onStep(before + step, total, loss));
            done = before + c.steps();
            return r;
        }
    }
}
