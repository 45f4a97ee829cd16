package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;

/**
 * Experiments 1 and 2 of issue 6 (icar.md sections 3 and 6.1-6.2): train the
 * {@link DiagonalAttentionModel} with Adam and a cosine schedule on sampled sequences, then read
 * the structure of {@code C = B^T A} and of the positional matrix P against the theory.
 *
 * <ul>
 *   <li>Unitary ({@link ArProcess.Kind#UNITARY_DIAGONAL}, complex): zero loss at {@code C = c I},
 *       {@code p_{r,r+1} = 1/c}, every other causal p = 0, when H >= d; with H < d the normalised
 *       loss floor is {@code (d - H)/d} (rank C <= H).</li>
 *   <li>2x2 rotations ({@link ArProcess.Kind#ROTATION_BLOCKS}, real): {@code C = c blockdiag(J)},
 *       J all ones, {@code p_{r,r+1} = 1/c}, {@code p_{r,r} = -1/(2c)} (ratio -1/2, from
 *       {@code s_{t+1} = 2 cos(theta) s_t - s_{t-1}}), when H >= d/2.</li>
 * </ul>
 * The sign of c is set by the initialisation, so only products c p and ratios are compared.
 */
public final class DiagonalExperiment {

    private DiagonalExperiment() {
    }

    /**
     * @param kind      UNITARY_DIAGONAL or ROTATION_BLOCKS
     * @param d         dimension (complex for unitary)
     * @param heads     H
     * @param seqLen    T (sequences s_0..s_T, rows r = 0..T-2 predict s_{r+2})
     * @param steps     Adam steps (cosine decay from lr to 0)
     * @param batchSize fresh sequences per step
     * @param lr        peak learning rate
     * @param evalSize  held-out sequences for the final loss
     * @param seed      root seed (streams "init", "data", "eval")
     * @param threads   trainer threads (results do not depend on it)
     */
    public record Config(ArProcess.Kind kind, int d, int heads, int seqLen, int steps, int batchSize, double lr,
                         int evalSize, long seed, int threads) {
        public Config {
            if (kind != ArProcess.Kind.UNITARY_DIAGONAL && kind != ArProcess.Kind.ROTATION_BLOCKS) {
                throw new IllegalArgumentException("DiagonalExperiment: kind must be UNITARY_DIAGONAL or ROTATION_BLOCKS, got " + kind);
            }
            if (steps < 0 || batchSize < 1 || evalSize < 1 || threads < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("DiagonalExperiment: need steps >= 0, batchSize, evalSize, threads >= 1 and lr > 0");
            }
        }

        /** Validated settings 1: unitary, d = 10, H = 10, T = 20, Adam 1e-2 cosine, batch 256, 300 steps. */
        public static Config unitary(int heads, int steps, long seed) {
            return new Config(ArProcess.Kind.UNITARY_DIAGONAL, 10, heads, 20, steps, 256, 1e-2, 2048, seed, 2);
        }

        /** Validated settings 2: 2x2 rotations, d = 10, H = 8, T = 20, Adam 1e-2 cosine, batch 256. */
        public static Config rotations(int heads, int steps, long seed) {
            return new Config(ArProcess.Kind.ROTATION_BLOCKS, 10, heads, 20, steps, 256, 1e-2, 2048, seed, 2);
        }
    }

    /**
     * @param coupling          C = B^T A (d x d, row-major)
     * @param positional        P (T x T, row-major; only the causal part t' <= r+1, r <= T-2 is meaningful)
     * @param c                 mean of C over its structural support (diagonal, or the 2x2 blocks)
     * @param cTimesNewest      c * p_{r,r+1} per row r = 0..T-2 (theory: 1)
     * @param queryOverNewest   p_{r,r} / p_{r,r+1} per row (theory: 0 unitary, -1/2 rotations)
     * @param cOffStructure     max |C| off the support / max |C| (theory: 0)
     * @param cSpread           max |C_ij - c| on the support / |c| (theory: 0)
     * @param pOffStructure     max |p| over causal entries off the support / max causal |p| (theory: 0)
     * @param normalisedLoss    held-out loss / loss of the zero predictor
     * @param populationLoss    unitary only: the exact normalised population loss ({@link UnitaryPopulationLoss}); NaN otherwise
     * @param lossFloor         theory's floor: max(0, (d - H)/d) unitary, 0 rotations when H >= d/2
     * @param trainSeconds      wall time of training
     */
    public record Result(Config config, double[] coupling, double[] positional, double c, double[] cTimesNewest,
                         double[] queryOverNewest, double cOffStructure, double cSpread, double pOffStructure,
                         double normalisedLoss, double populationLoss, double lossFloor, double trainSeconds) {

        /** Worst |c p_{r,r+1} - 1| over rows. */
        public double worstNewestGap() {
            double w = 0;
            for (double x : cTimesNewest) w = Math.max(w, Math.abs(x - 1));
            return w;
        }

        /** Worst |ratio - theory| over rows. */
        public double worstRatioGap() {
            double target = config.kind() == ArProcess.Kind.ROTATION_BLOCKS ? -0.5 : 0;
            double w = 0;
            for (double x : queryOverNewest) w = Math.max(w, Math.abs(x - target));
            return w;
        }

        /** Measured against theory, one line each. */
        public String summary() {
            boolean rot = config.kind() == ArProcess.Kind.ROTATION_BLOCKS;
            return String.format(java.util.Locale.ROOT,
                    "%s d=%d H=%d T=%d steps=%d (%.1f s)%n"
                            + "  c = %.4f%n"
                            + "  c*p_{r,r+1}: worst |gap to 1| = %.2e over %d rows%n"
                            + "  p_{r,r}/p_{r,r+1}: theory %s, worst gap %.2e%n"
                            + "  C off-support / max = %.2e, on-support spread / |c| = %.2e (theory 0)%n"
                            + "  P off-support / max = %.2e (theory 0)%n"
                            + "  normalised loss = %.5f (held-out), %.5f (exact population), theory floor %.5f, gap %.2e",
                    config.kind(), config.d(), config.heads(), config.seqLen(), config.steps(), trainSeconds, c,
                    worstNewestGap(), cTimesNewest.length, rot ? "-0.5" : "0", worstRatioGap(), cOffStructure, cSpread,
                    pOffStructure, normalisedLoss, populationLoss, lossFloor, (Double.isNaN(populationLoss) ? normalisedLoss : populationLoss) - lossFloor);
        }
    }

    /** Trains and measures. */
    public static Result run(Config cfg) {
        return run(cfg, null);
    }

    /** Trains and measures, reporting every step to {@code listener} (null: none), e.g. a progress bar. */
    public static Result run(Config cfg, dev.onelayer.model.train.MetricsListener listener) {
        boolean rot = cfg.kind() == ArProcess.Kind.ROTATION_BLOCKS;
        ArProcess process = ArProcess.of(cfg.kind(), cfg.d(), cfg.seqLen(), ArProcess.Start.ONES);
        DiagonalAttentionModel model = new DiagonalAttentionModel(cfg.heads(), cfg.seqLen(), cfg.d(), !rot, 0.1,
                Rng.stream(cfg.seed(), Rng.INIT));
        int chunk = Math.max(1, (cfg.batchSize() + 3) / 4);
        TrainerConfig tc = new TrainerConfig(cfg.seed(), cfg.steps(), cfg.batchSize(), chunk, cfg.threads(), 0, 0, 0, 0, null);
        Trainer<SequenceBatch> trainer = new Trainer<>(model, process, AdamW.adam(),
                Schedule.cosineWithWarmup(cfg.lr(), 0, cfg.steps(), 0), tc);
        if (listener != null) trainer.listener(listener);
        long t0 = System.nanoTime();
        trainer.run();
        double seconds = (System.nanoTime() - t0) / 1e9;

        SequenceBatch eval = process.newBatch(cfg.evalSize());
        process.sample(Rng.stream(cfg.seed(), Rng.EVAL), eval);
        double loss = model.forward(eval, 0, eval.n, new Workspace());
        double zero = 0;
        for (int i = 0; i < eval.n; i++) {
            for (int r = 2; r <= cfg.seqLen(); r++) {
                int o = eval.offset(i, r);
                for (int k = 0; k < eval.dim; k++) zero += (double) eval.states[o + k] * eval.states[o + k];
            }
        }

        int d = cfg.d(), T = cfg.seqLen();
        double[] cMat = model.coupling();
        double sumOn = 0, maxC = 0;
        int nOn = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                maxC = Math.max(maxC, Math.abs(cMat[i * d + j]));
                if (onSupport(rot, i, j)) {
                    sumOn += cMat[i * d + j];
                    nOn++;
                }
            }
        }
        double c = sumOn / nOn, offC = 0, spread = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double x = cMat[i * d + j];
                if (onSupport(rot, i, j)) spread = Math.max(spread, Math.abs(x - c));
                else offC = Math.max(offC, Math.abs(x));
            }
        }
        float[] pv = model.params().get("P").copyValues();
        double[] p = new double[T * T];
        for (int i = 0; i < p.length; i++) p[i] = pv[i];
        double[] cp = new double[T - 1], ratio = new double[T - 1];
        double maxP = 0, offP = 0;
        for (int r = 0; r <= T - 2; r++) {
            cp[r] = c * p[r * T + r + 1];
            ratio[r] = p[r * T + r] / p[r * T + r + 1];
            for (int s = 0; s <= r + 1; s++) {
                double x = Math.abs(p[r * T + s]);
                maxP = Math.max(maxP, x);
                boolean on = s == r + 1 || (rot && s == r);
                if (!on) offP = Math.max(offP, x);
            }
        }
        double floor = rot ? 0 : Math.max(0, (double) (d - cfg.heads()) / d);
        double population = rot ? Double.NaN : UnitaryPopulationLoss.normalised(cMat, d, p, T);
        return new Result(cfg, cMat, p, c, cp, ratio, offC / maxC, spread / Math.abs(c), offP / maxP, loss / zero, population, floor, seconds);
    }

    private static boolean onSupport(boolean rot, int i, int j) {
        return rot ? i / 2 == j / 2 : i == j;
    }
}
