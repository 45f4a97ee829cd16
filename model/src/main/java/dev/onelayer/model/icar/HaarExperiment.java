package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.MetricsListener;
import dev.onelayer.model.train.StepMetrics;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 5 of issue 6 (Figs 5 and 7; icar.md sections 4-6.4): the reference code's general
 * models ({@link GeneralAttentionModel}) on non-commuting Haar-orthogonal W in O(d), s_0 =
 * 1/sqrt(d) 1, fixed training and test sets, Adam on minibatches epoch by epoch. Reports the
 * training and test loss curves (normalised: zero predictor = 1), whether training stayed finite
 * and how far the loss fell, and where the learned positional attention concentrates (the mass
 * the head-averaged softmax positional attention puts at each offset t - t' from the query).
 * The augmented model has no positional attention; for it the block structure of the merged
 * key-query map {@code sum_h Wq_h^T Wk_h} and value-output map {@code sum_h Wo Wv_h} is
 * reported instead (one GD step: query block s_t against key block s_{t-1}, value block s_t).
 */
public final class HaarExperiment {

    private HaarExperiment() {
    }

    /**
     * @param augmented  augmented model (Fig 5) or non-augmented (Fig 7)
     * @param d          dimension (repo: 5)
     * @param seqLen     n: inputs s_0..s_{n-1}, targets s_1..s_n (repo: 50)
     * @param heads      H (repo: 1 augmented, 64 non-augmented)
     * @param headWidth  Dh (repo: the token width D, 0 here means D)
     * @param ext        non-augmented copies of s_t per token (repo: 2)
     * @param layerNorm  the repo's fc_out + LayerNorm readout (and residual, augmented) instead of one linear map
     * @param trainSize  fixed training sequences (repo: 2^14)
     * @param testSize   fixed test sequences (repo: 2^10)
     * @param steps      Adam steps (repo: 200 epochs of 16 batches = 3200)
     * @param batchSize  repo: 1024
     * @param lr         constant Adam learning rate (repo: 1e-2)
     * @param evalEvery  test loss every k steps (and at the end)
     * @param seed       root seed ("task": data, "init": weights, "data": batch order)
     * @param threads    trainer threads
     */
    public record Config(boolean augmented, int d, int seqLen, int heads, int headWidth, int ext, boolean layerNorm, int trainSize, int testSize,
                         int steps, int batchSize, double lr, int evalEvery, long seed, int threads) {
        public Config {
            if (d < 1 || seqLen < 1 || heads < 1 || headWidth < 0 || ext < 1 || trainSize < 1 || testSize < 1 || steps < 0
                    || batchSize < 1 || evalEvery < 1 || threads < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("HaarExperiment: need d, seqLen, heads, ext, trainSize, testSize, batchSize, evalEvery, threads >= 1, "
                        + "headWidth >= 0, steps >= 0, lr > 0");
            }
        }

        /** Token width D. */
        public int width() {
            return augmented ? 3 * d : ext * d;
        }

        public int resolvedHeadWidth() {
            return headWidth == 0 ? width() : headWidth;
        }

        /** The repo's sizes: d = 5, n = 50, 2^14 / 2^10 sequences, batch 1024, lr 1e-2, 200 epochs. */
        public static Config reference(boolean augmented, int heads, int steps, long seed, int threads) {
            return new Config(augmented, 5, 50, heads, 0, 2, true, 16384, 1024, steps, 1024, 1e-2, 16, seed, threads);
        }
    }

    /**
     * @param steps            training steps of the curve entries
     * @param trainLoss        normalised training loss (batch before the update) per step
     * @param evalSteps        steps at which the test loss was measured (0 = before training)
     * @param testLoss         normalised test loss at those steps
     * @param finite           every loss was finite
     * @param positional       head-averaged positional attention (n x n), null for the augmented model
     * @param offsetMass       mean over rows t &gt;= 3 of the head-averaged attention at offset t - t' = 0, 1, 2, 3+ (null augmented)
     * @param kqBlocks         augmented: Frobenius norms of the 3x3 d-blocks of sum_h Wq_h^T Wk_h (query block, key block); null otherwise
     * @param ovBlocks         augmented: norms of the 3 d-blocks of sum_h Wo Wv_h; null otherwise
     * @param trainSeconds     wall time of training
     */
    public record Result(Config config, long[] steps, double[] trainLoss, long[] evalSteps, double[] testLoss, boolean finite,
                         double[] positional, double[] offsetMass, double[] kqBlocks, double[] ovBlocks, double trainSeconds) {

        public double initialTestLoss() {
            return testLoss[0];
        }

        public double finalTestLoss() {
            return testLoss[testLoss.length - 1];
        }

        /** Largest increase of the test loss between consecutive evaluations, relative to the earlier one. */
        public double worstTestIncrease() {
            double w = 0;
            for (int i = 1; i < testLoss.length; i++) w = Math.max(w, testLoss[i] / testLoss[i - 1] - 1);
            return w;
        }

        public String summary() {
            Config c = config;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "Haar O(%d) %s model%s: n=%d, H=%d, Dh=%d, D=%d, %d train / %d test, %d Adam steps of %d (%.1f s)%n"
                            + "  test loss (zero predictor = 1): %.4f -> %.4f (x%.3g), worst rise between evaluations %.1f%%, all finite: %s%n",
                    c.d(), c.augmented() ? "augmented" : "non-augmented", c.layerNorm() ? " with LayerNorm readout" : "", c.seqLen(), c.heads(), c.resolvedHeadWidth(), c.width(), c.trainSize(),
                    c.testSize(), c.steps(), c.batchSize(), trainSeconds, initialTestLoss(), finalTestLoss(),
                    finalTestLoss() / initialTestLoss(), 100 * worstTestIncrease(), finite));
            if (offsetMass != null) {
                sb.append(String.format(Locale.ROOT,
                        "  positional attention mass by offset t-t' (mean over heads, rows t>=3): 0: %.3f  1: %.3f  2: %.3f  3+: %.3f%n",
                        offsetMass[0], offsetMass[1], offsetMass[2], offsetMass[3]));
            }
            if (kqBlocks != null) {
                sb.append(String.format(Locale.ROOT,
                        "  KQ = sum Wq^T Wk block norms (rows: query 0/s_t/s_t-1; cols: key): [%.3f %.3f %.3f; %.3f %.3f %.3f; %.3f %.3f %.3f]%n"
                                + "  OV = sum Wo Wv block norms (0, s_t, s_t-1): [%.3f %.3f %.3f]%n",
                        kqBlocks[0], kqBlocks[1], kqBlocks[2], kqBlocks[3], kqBlocks[4], kqBlocks[5], kqBlocks[6], kqBlocks[7], kqBlocks[8],
                        ovBlocks[0], ovBlocks[1], ovBlocks[2]));
            }
            return sb.toString();
        }
    }

    /** The fixed training set, test set and an untrained model of {@code cfg} (what {@link #run} trains). */
    public record Setup(SequenceBatch train, SequenceBatch test, GeneralAttentionModel model) {
    }

    public static Setup setup(Config cfg) {
        ArProcess process = ArProcess.of(ArProcess.Kind.HAAR_ORTHOGONAL, cfg.d(), cfg.seqLen(), ArProcess.Start.SCALED_ONES);
        Rng task = Rng.stream(cfg.seed(), Rng.TASK);
        SequenceBatch train = process.newBatch(cfg.trainSize()), test = process.newBatch(cfg.testSize());
        process.sample(task, train);
        process.sample(task, test);
        GeneralAttentionModel model = new GeneralAttentionModel(cfg.d(), cfg.seqLen(), cfg.heads(), cfg.resolvedHeadWidth(), cfg.ext(),
                cfg.augmented(), cfg.layerNorm(), Rng.stream(cfg.seed(), Rng.INIT));
        return new Setup(train, test, model);
    }

    /** A trainer for {@code s}: Adam, constant lr, minibatches from the training set epoch by epoch. */
    public static Trainer<SequenceBatch> trainer(Config cfg, Setup s) {
        int chunk = Math.max(1, (cfg.batchSize() + 7) / 8);
        TrainerConfig tc = new TrainerConfig(cfg.seed(), cfg.steps(), cfg.batchSize(), chunk, cfg.threads(), 0, 0, 0, 0, null);
        return new Trainer<>(s.model(), new EpochSampler(s.train()), AdamW.adam(), Schedule.constant(cfg.lr()), tc);
    }

    public static Result run(Config cfg) {
        return run(cfg, null);
    }

    /** Trains and measures; {@code listener} (null: none) sees every step with the normalised loss. */
    public static Result run(Config cfg, MetricsListener listener) {
        Setup s = setup(cfg);
        Trainer<SequenceBatch> trainer = trainer(cfg, s);
        // ||s_t|| = 1 (s_0 = 1/sqrt(d) 1, W orthogonal): the zero predictor scores n per sequence.
        double zero = cfg.seqLen();
        List<Long> evalSteps = new ArrayList<>();
        List<Double> test = new ArrayList<>();
        long[] steps = new long[cfg.steps()];
        double[] train = new double[cfg.steps()];
        boolean finite = true;
        evalSteps.add(0L);
        test.add(testLoss(s) / zero);
        long t0 = System.nanoTime();
        for (int i = 0; i < cfg.steps(); i++) {
            StepMetrics m;
            try {
                m = trainer.trainStep();
            } catch (dev.onelayer.model.train.NonFiniteException e) {
                finite = false;
                break;
            }
            steps[i] = m.step();
            train[i] = m.loss() / zero;
            finite &= Double.isFinite(train[i]);
            if (listener != null) listener.onStep(new StepMetrics(m.step(), train[i], m.lr(), m.gradNorm(), m.clipped()));
            if ((i + 1) % cfg.evalEvery() == 0 || i + 1 == cfg.steps()) {
                evalSteps.add((long) i + 1);
                double l = testLoss(s) / zero;
                test.add(l);
                finite &= Double.isFinite(l);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] es = evalSteps.stream().mapToLong(Long::longValue).toArray();
        double[] tl = test.stream().mapToDouble(Double::doubleValue).toArray();
        GeneralAttentionModel model = s.model();
        double[] pos = null, mass = null, kq = null, ov = null;
        int n = cfg.seqLen();
        if (!cfg.augmented()) {
            double[] pi = model.positionalAttention();
            pos = new double[n * n];
            for (int h = 0; h < cfg.heads(); h++) for (int i = 0; i < n * n; i++) pos[i] += pi[h * n * n + i] / cfg.heads();
            mass = new double[4];
            int rows = 0;
            for (int t = 3; t < n; t++, rows++) {
                for (int tp = 0; tp <= t; tp++) mass[Math.min(3, t - tp)] += pos[t * n + tp];
            }
            for (int k = 0; k < 4; k++) mass[k] /= Math.max(1, rows);
        } else {
            kq = new double[9];
            ov = new double[3];
            blocks(model, kq, ov);
        }
        return new Result(cfg, steps, train, es, tl, finite, pos, mass, kq, ov, seconds);
    }

    /** Test loss (sum over the test set of per-sequence losses / its size), in chunks of 128 sequences. */
    static double testLoss(Setup s) {
        Workspace ws = new Workspace();
        double sum = 0;
        for (int i = 0; i < s.test().n; i += 128) sum += s.model().forward(s.test(), i, Math.min(s.test().n, i + 128), ws);
        return sum / s.test().n;
    }

    /**
     * The map from the summed head output o to the prediction, d x Dh: Wo, or with the LayerNorm
     * readout its linear part at the learned scale, diag(gamma) Wf rows 0..d-1 (augmented) or
     * Wr diag(gamma) Wf (the per-token normalisation is a positive scalar and does not change blocks).
     */
    private static float[] outputMap(GeneralAttentionModel m) {
        if (!m.layerNorm()) return m.params().get("Wo").copyValues();
        int d = m.d(), w = m.width(), dh = m.headWidth();
        float[] wf = m.params().get("Wf").copyValues(), g = m.params().get("gamma").copyValues();
        float[] out = new float[d * dh];
        float[] wr = m.augmented() ? null : m.params().get("Wr").copyValues();
        for (int c = 0; c < d; c++) {
            for (int j = 0; j < dh; j++) {
                double acc = 0;
                if (wr == null) acc = (double) g[c] * wf[c * dh + j];
                else for (int k = 0; k < w; k++) acc += (double) wr[c * w + k] * g[k] * wf[k * dh + j];
                out[c * dh + j] = (float) acc;
            }
        }
        return out;
    }

    private static void blocks(GeneralAttentionModel m, double[] kq, double[] ov) {
        int d = m.d(), w = m.width(), dh = m.headWidth(), H = m.heads();
        float[] q = m.params().get("Wq").copyValues(), k = m.params().get("Wk").copyValues(), v = m.params().get("Wv").copyValues();
        float[] o = outputMap(m);
        double[] kqm = new double[w * w], ovm = new double[d * w];
        for (int h = 0; h < H; h++) {
            for (int j = 0; j < dh; j++) {
                int r = (h * dh + j) * w;
                for (int a = 0; a < w; a++) {
                    for (int b = 0; b < w; b++) kqm[a * w + b] += (double) q[r + a] * k[r + b];
                    for (int c = 0; c < d; c++) ovm[c * w + a] += (double) o[c * dh + j] * v[r + a];
                }
            }
        }
        for (int a = 0; a < w; a++) {
            for (int b = 0; b < w; b++) kq[(a / d) * 3 + b / d] += kqm[a * w + b] * kqm[a * w + b];
            for (int c = 0; c < d; c++) ov[a / d] += ovm[c * w + a] * ovm[c * w + a];
        }
        for (int i = 0; i < 9; i++) kq[i] = Math.sqrt(kq[i]);
        for (int i = 0; i < 3; i++) ov[i] = Math.sqrt(ov[i]);
    }
}
