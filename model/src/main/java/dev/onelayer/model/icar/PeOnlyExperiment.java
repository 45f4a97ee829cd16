package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.optim.Sgd;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;

import java.util.Locale;

/**
 * Experiment 4 of issue 6 (Fig 6, {@code pe_only.py}; icar.md section 4): d = 1 complex data with
 * {@code lambda = exp(i theta / mu)}, the PE-only model
 * ({@link DiagonalAttentionModel#positionalOnly}), P from zeros, full-batch plain SGD on one fixed
 * set of sequences until the normalised loss falls below a threshold.
 *
 * <p>Expected (notes, from the repo's saved results): the row T-2 profile over t' oscillates for
 * mu = 50 (about 1.5 periods) and becomes monotone as mu grows to 300. The profile is read on
 * t' = 0..T-2 (the repo plots tril(P), without the newest-token entry t' = T-1), and its shape is
 * summarised by the number of turning points (sign changes of the first difference).
 *
 * @see #run
 */
public final class PeOnlyExperiment {

    private PeOnlyExperiment() {
    }

    /**
     * @param mu        angle divisor (angles in [0, 2pi/mu))
     * @param seqLen    T (repo: 30)
     * @param n         fixed sequences (repo: 1,000)
     * @param lr        SGD learning rate on this package's loss (sum over the T-1 rows); the repo's 0.5 on a
     *                  mean over rows corresponds to 0.5 / (T-1), and 0.5 itself diverges here
     * @param maxSteps  step budget (repo: 100,000)
     * @param lossStop  stop once the normalised loss (zero predictor = 1) is below this
     * @param seed      root seed ("task" stream draws the data)
     * @param threads   trainer threads (results do not depend on it; the steps are tiny, so one
     *                  thread avoids a hand-off per step)
     */
    public record Config(double mu, int seqLen, int n, double lr, int maxSteps, double lossStop, long seed, int threads) {
        public Config {
            if (!(mu > 0) || seqLen < 3 || n < 1 || !(lr > 0) || maxSteps < 0 || !(lossStop >= 0) || threads < 1) {
                throw new IllegalArgumentException("PeOnlyExperiment: need mu > 0, seqLen >= 3, n >= 1, lr > 0, maxSteps >= 0, lossStop >= 0, threads >= 1");
            }
        }

        public static Config reference(double mu, int maxSteps) {
            return new Config(mu, 30, 1000, 0.5 / 29, maxSteps, 1e-3, 0, 1);
        }
    }

    /**
     * @param positional     learned P (T x T)
     * @param lastRow        row T-2 at t' = 0..T-2 (the repo's plotted profile)
     * @param newestWeight   p_{T-2,T-1} (weight on the newest token, not in the repo's plot)
     * @param turningPoints  sign changes of the first difference of lastRow (0 = monotone)
     * @param normalisedLoss final full-batch loss / zero predictor's
     * @param steps          steps taken
     */
    public record Result(Config config, double[] positional, double[] lastRow, double newestWeight, int turningPoints,
                         double normalisedLoss, long steps, double trainSeconds) {
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "PE-only mu=%.0f T=%d: %d steps (%.1f s), normalised loss %.2e (stop below %.0e)%n  row T-2:",
                    config.mu(), config.seqLen(), steps, trainSeconds, normalisedLoss, config.lossStop()));
            for (double x : lastRow) sb.append(String.format(Locale.ROOT, " %.3f", x));
            sb.append(String.format(Locale.ROOT, "%n  newest-token weight %.3f, turning points %d", newestWeight, turningPoints));
            return sb.toString();
        }
    }

    public static Result run(Config cfg) {
        return run(cfg, null);
    }

    /** As {@link #run(Config)}, reporting every step (loss normalised by the zero predictor's) to {@code listener} (null: none). */
    public static Result run(Config cfg, dev.onelayer.model.train.MetricsListener listener) {
        int T = cfg.seqLen();
        ArProcess process = new ArProcess(ArProcess.Kind.SCALAR_COMPLEX, 1, T, ArProcess.Start.ONES, 0, cfg.mu());
        FixedSequences data = FixedSequences.draw(process, cfg.n(), Rng.stream(cfg.seed(), Rng.TASK));
        DiagonalAttentionModel model = DiagonalAttentionModel.positionalOnly(T, 1, true);
        int chunk = Math.max(1, (cfg.n() + 3) / 4);
        TrainerConfig tc = new TrainerConfig(cfg.seed(), cfg.maxSteps(), cfg.n(), chunk, cfg.threads(), 0, 0, 0, 0, null);
        Trainer<SequenceBatch> trainer = new Trainer<>(model, data, new Sgd(), Schedule.constant(cfg.lr()), tc);
        // |s_t| = 1, so the zero predictor's loss is T - 1 per sequence.
        double zero = T - 1.0;
        long t0 = System.nanoTime();
        double loss = Double.NaN;
        while (trainer.step() < cfg.maxSteps()) {
            dev.onelayer.model.train.StepMetrics sm = trainer.trainStep();
            loss = sm.loss() / zero;   // loss before this step's update
            if (listener != null) listener.onStep(new dev.onelayer.model.train.StepMetrics(sm.step(), loss, sm.lr(), sm.gradNorm(), sm.clipped()));
            if (loss < cfg.lossStop()) break;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        float[] pv = model.params().get("P").copyValues();
        double[] p = new double[T * T];
        for (int i = 0; i < p.length; i++) p[i] = pv[i];
        double[] row = new double[T - 1];
        for (int s = 0; s <= T - 2; s++) row[s] = p[(T - 2) * T + s];
        int turns = 0;
        for (int s = 1; s + 1 < row.length; s++) {
            double d1 = row[s] - row[s - 1], d2 = row[s + 1] - row[s];
            if (d1 * d2 < 0) turns++;
        }
        return new Result(cfg, p, row, p[(T - 2) * T + T - 1], turns, loss, trainer.step(), seconds);
    }
}
