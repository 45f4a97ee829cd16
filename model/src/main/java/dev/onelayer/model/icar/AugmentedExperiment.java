package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 3 of issue 6 (icar.md sections 2(a), 6.3 and validated settings 3): train the
 * {@link AugmentedModel} and fit the step of the one-GD-step predictor
 * {@code W^_t s_t = sum_{t'=1}^{t} s_{t'} (s_{t'-1}^T s_t)} at each position t as
 * <pre>  eta_t = sum_n &lt;pred_t, s_{t+1}&gt; / sum_n &lt;W^_t s_t, s_{t+1}&gt;  </pre>
 * over held-out sequences. This ratio is immune to the sign gauge {@code D W^ D} the trained
 * weights pick (a plain projection of pred onto W^_t s_t is not).
 *
 * <p>Theory (real 2x2 rotation data, d = 10): the best per-position step is {@code 1/(t + d - 1)}
 * with normalised loss {@code (d-1)/(t+d-1)}; one model shared over positions 1..L-1 has the best
 * single step {@code sum t / sum (t^2 + (d-1) t)} (position 0 has W^_0 = 0 and does not
 * constrain it). With s_0 = all-ones the full model can beat one GD step by a few percent by
 * exploiting the fixed first token; with a random s_0 it cannot.
 */
public final class AugmentedExperiment {

    private AugmentedExperiment() {
    }

    /**
     * @param kind       law of W (real kinds: ROTATION_BLOCKS or HAAR_ORTHOGONAL)
     * @param d          state dimension
     * @param start      law of s_0
     * @param positions  one model per t in this list, loss on position t only; empty for none
     * @param sharedLen  L &gt; 0: also one model over all positions 0..L-1 (0: none)
     * @param steps      Adam steps per model (cosine decay to 0)
     * @param batchSize  sequences per step
     * @param lr         peak learning rate
     * @param evalSize   held-out sequences for the fit
     * @param seed       root seed
     * @param threads    trainer threads
     */
    public record Config(ArProcess.Kind kind, int d, ArProcess.Start start, int[] positions, int sharedLen, int steps,
                         int batchSize, double lr, int evalSize, long seed, int threads) {
        public Config {
            if (kind == null || kind.complex()) throw new IllegalArgumentException("AugmentedExperiment: kind must be a real kind, got " + kind);
            if (positions == null) throw new IllegalArgumentException("AugmentedExperiment: positions is null (use an empty array)");
            for (int t : positions) {
                if (t < 1) throw new IllegalArgumentException("AugmentedExperiment: position " + t + " must be >= 1 (W^_0 = 0)");
            }
            if (sharedLen < 0 || sharedLen == 1) throw new IllegalArgumentException("AugmentedExperiment: sharedLen=" + sharedLen + " must be 0 or >= 2");
            if (steps < 0 || batchSize < 1 || evalSize < 1 || threads < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("AugmentedExperiment: need steps >= 0, batchSize, evalSize, threads >= 1 and lr > 0");
            }
        }
    }

    /**
     * One fitted position.
     *
     * @param t              position
     * @param eta            fitted step eta_t
     * @param etaTheory      1/(t+d-1) for a per-position model, the best shared step for the shared one
     * @param normalisedLoss held-out loss at t / ||s_{t+1}||^2
     * @param gdLoss         normalised loss of one GD step with eta = etaTheory, on the same held-out data
     */
    public record Fit(int t, double eta, double etaTheory, double normalisedLoss, double gdLoss) {
        public double relativeGap() {
            return eta / etaTheory - 1;
        }
    }

    /**
     * @param perPosition  one fit per configured position (one model each)
     * @param shared       fits at positions 1..L-1 of the shared model (empty without one)
     * @param sharedTheory sum t / sum (t^2 + (d-1) t) over t = 1..L-1
     * @param sharedP      the shared model's P (3d x 3d), or the last per-position model's
     * @param sharedQ      the matching Q
     * @param lossCurve    the last trained model's training loss (per sequence, normalised by d per
     *                     predicted position) every 10 steps
     */
    public record Result(Config config, List<Fit> perPosition, List<Fit> shared, double sharedTheory,
                         float[] sharedP, float[] sharedQ, double[] lossCurve, double trainSeconds) {

        /**
         * Frobenius norms of the 3 x 3 grid of d x d blocks of a 3d x 3d matrix (row-major 3 x 3).
         * One GD step: P's block (1,2) and Q's block (3,2) carry the weight, the rest is ~0
         * (rows 2-3 of P, P(1,1), and Q's first block row and column only ever meet the zero first
         * block of e, so they never receive a gradient and keep their initial values).
         */
        public double[] blockNorms(float[] m) {
            int d = config.d(), e = 3 * d;
            double[] out = new double[9];
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) out[(i / d) * 3 + j / d] += (double) m[i * e + j] * m[i * e + j];
            }
            for (int k = 0; k < 9; k++) out[k] = Math.sqrt(out[k]);
            return out;
        }

        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "augmented %s d=%d s0=%s steps=%d (%.1f s)%n",
                    config.kind(), config.d(), config.start(), config.steps(), trainSeconds));
            sb.append("  per-position models: t, eta, 1/(t+d-1), rel gap, loss, GD loss\n");
            for (Fit f : perPosition) sb.append(line(f));
            if (sharedP != null) {
                double[] bp = blockNorms(sharedP), bq = blockNorms(sharedQ);
                sb.append(String.format(Locale.ROOT,
                        "  last model's block norms (GD step: P(1,2), Q(3,2); P(1,1), Q(1,*), Q(*,1) meet the zero block, never move): P row 1 = [%.3f %.3f %.3f], Q = [%.3f %.3f %.3f; %.3f %.3f %.3f; %.3f %.3f %.3f]%n",
                        bp[0], bp[1], bp[2], bq[0], bq[1], bq[2], bq[3], bq[4], bq[5], bq[6], bq[7], bq[8]));
            }
            if (!shared.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "  shared model over all positions: theory eta = %.5f%n", sharedTheory));
                for (Fit f : shared) sb.append(line(f));
            }
            return sb.toString();
        }

        private static String line(Fit f) {
            return String.format(Locale.ROOT, "    t=%2d eta=%.5f theory=%.5f gap=%+.2f%% loss=%.4f gd=%.4f%n",
                    f.t(), f.eta(), f.etaTheory(), 100 * f.relativeGap(), f.normalisedLoss(), f.gdLoss());
        }
    }

    /** Trains every configured model and fits the steps. */
    public static Result run(Config cfg) {
        return run(cfg, null);
    }

    /**
     * As {@link #run(Config)}, reporting every step of every model to {@code listener} (null:
     * none); steps are numbered across models (model k's step s is reported as k*steps + s).
     */
    public static Result run(Config cfg, dev.onelayer.model.train.MetricsListener listener) {
        long t0 = System.nanoTime();
        List<Fit> per = new ArrayList<>();
        List<Double> curve = new ArrayList<>();
        float[] lastP = null, lastQ = null;
        int d = cfg.d();
        int modelIndex = 0;
        for (int t : cfg.positions()) {
            curve.clear();
            AugmentedModel m = train(cfg, t + 1, t, curve, listener, modelIndex++);
            per.add(fit(cfg, m, t + 1, 1.0 / (t + d - 1)).get(0));
            lastP = m.params().get("P").copyValues();
            lastQ = m.params().get("Q").copyValues();
        }
        List<Fit> shared = new ArrayList<>();
        double theory = Double.NaN;
        if (cfg.sharedLen() > 0) {
            int L = cfg.sharedLen();
            double num = 0, den = 0;
            for (int t = 1; t < L; t++) {
                num += t;
                den += (double) t * t + (d - 1.0) * t;
            }
            theory = num / den;
            curve.clear();
            AugmentedModel m = train(cfg, L, AugmentedModel.ALL_POSITIONS, curve, listener, modelIndex);
            shared.addAll(fit(cfg, m, L, theory));
            lastP = m.params().get("P").copyValues();
            lastQ = m.params().get("Q").copyValues();
        }
        double[] lc = new double[curve.size()];
        for (int i = 0; i < lc.length; i++) lc[i] = curve.get(i);
        return new Result(cfg, per, shared, theory, lastP, lastQ, lc, (System.nanoTime() - t0) / 1e9);
    }

    private static AugmentedModel train(Config cfg, int len, int position, List<Double> curve,
                                        dev.onelayer.model.train.MetricsListener listener, int modelIndex) {
        ArProcess process = ArProcess.of(cfg.kind(), cfg.d(), len, cfg.start());
        long seed = cfg.seed() * 1000 + position + 1;
        AugmentedModel model = new AugmentedModel(cfg.d(), len, position, 0.1 / Math.sqrt(3.0 * cfg.d()), Rng.stream(seed, Rng.INIT));
        int chunk = Math.max(1, (cfg.batchSize() + 3) / 4);
        TrainerConfig tc = new TrainerConfig(seed, cfg.steps(), cfg.batchSize(), chunk, cfg.threads(), 0, 0, 0, 0, null);
        double norm = (double) cfg.d() * model.positions();
        new Trainer<>(model, process, AdamW.adam(), Schedule.cosineWithWarmup(cfg.lr(), 0, cfg.steps(), 0), tc)
                .listener(sm -> {
                    if (sm.step() % 10 == 0) curve.add(sm.loss() / norm);
                    if (listener != null) {
                        listener.onStep(new dev.onelayer.model.train.StepMetrics((long) modelIndex * cfg.steps() + sm.step(),
                                sm.loss() / norm, sm.lr(), sm.gradNorm(), sm.clipped()));
                    }
                }).run();
        return model;
    }

    /** Fits eta at every predicted position t >= 1 of {@code model} on fresh held-out sequences. */
    static List<Fit> fit(Config cfg, AugmentedModel model, int len, double etaTheory) {
        ArProcess process = ArProcess.of(cfg.kind(), cfg.d(), len, cfg.start());
        SequenceBatch eval = process.newBatch(cfg.evalSize());
        process.sample(Rng.stream(cfg.seed() * 1000 + model.lossPosition() + 1, Rng.EVAL), eval);
        float[] pred = model.predict(eval, 0, eval.n, new Workspace());
        int d = cfg.d(), np = model.positions();
        List<Fit> fits = new ArrayList<>();
        double[] gd = new double[d];
        for (int k = 0; k < np; k++) {
            int t = model.positionAt(k);
            if (t < 1) continue;
            double num = 0, den = 0, loss = 0, gdLoss = 0, norm = 0;
            for (int i = 0; i < eval.n; i++) {
                oneGdStep(eval, i, t, gd);
                int po = (i * np + k) * d, so = eval.offset(i, t + 1);
                for (int c = 0; c < d; c++) {
                    double y = eval.states[so + c], p = pred[po + c];
                    num += p * y;
                    den += gd[c] * y;
                    loss += (p - y) * (p - y);
                    gdLoss += (etaTheory * gd[c] - y) * (etaTheory * gd[c] - y);
                    norm += y * y;
                }
            }
            fits.add(new Fit(t, num / den, etaTheory, loss / norm, gdLoss / norm));
        }
        return fits;
    }

    /** {@code out = W^_t s_t = sum_{t'=1}^{t} s_{t'} (s_{t'-1}^T s_t)} in float64 (the unit-step GD predictor). */
    static void oneGdStep(SequenceBatch b, int i, int t, double[] out) {
        int d = b.dim;
        java.util.Arrays.fill(out, 0);
        int st = b.offset(i, t);
        for (int tp = 1; tp <= t; tp++) {
            int prev = b.offset(i, tp - 1), cur = b.offset(i, tp);
            double dot = 0;
            for (int c = 0; c < d; c++) dot += (double) b.states[prev + c] * b.states[st + c];
            for (int c = 0; c < d; c++) out[c] += b.states[cur + c] * dot;
        }
    }
}
