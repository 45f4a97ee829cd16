package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

import java.util.Arrays;

/**
 * Online training on fresh batches (every step draws B new examples from the stream "data" of the
 * seed), either recording a {@link ScbCurve} or stopping at a population-loss level.
 */
public final class ScbRun {

    private ScbRun() {
    }

    /** V0 for transfer (Validated settings 4): {@code (1 - rho) P_down + rho R}, R's columns Dirichlet(1) (stream "init/transfer"). */
    public static float[] transferInit(ScbTask downstream, double rho, long seed) {
        double[] pPre = Pretraining.upstreamTransition(downstream, rho, seed);
        float[] v = new float[pPre.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) pPre[i];
        return v;
    }

    /** Trains for {@code budget} samples, recording the metrics at 0 and every {@code evalEvery} samples (and at the end). */
    public static ScbCurve curve(ScbTask task, ScbModel model, ScbOptimizerConfig cfg, int batch, long budget, long evalEvery, long seed) {
        check(task, model, batch);
        if (budget < batch || evalEvery < batch) {
            throw new IllegalArgumentException("ScbRun.curve: budget=" + budget + " and evalEvery=" + evalEvery + " must be >= batch=" + batch);
        }
        ScbOptimizer opt = new ScbOptimizer(cfg, task.vocab(), task.seqLen());
        ScbBatch b = new ScbBatch(batch, task.seqLen());
        Rng data = Rng.stream(seed, Rng.DATA);
        int cap = (int) (budget / evalEvery) + 3;
        long[] s = new long[cap];
        double[] dv = new double[cap], da = new double[cap], ex = new double[cap], corr = new double[cap];
        int k = 0;
        long nextEval = 0;
        while (true) {
            if (opt.samples() >= nextEval || opt.samples() + batch > budget) {
                s[k] = opt.samples();
                dv[k] = ScbMetrics.distanceV(task, model);
                da[k] = ScbMetrics.distanceA(task, model);
                ex[k] = ScbPopulation.excessLoss(task, model);
                corr[k] = ScbMetrics.correlation(task, model);
                k++;
                nextEval += evalEvery;
            }
            if (opt.samples() + batch > budget) break;
            task.sample(data, b);
            opt.step(model, b);
        }
        ScbDivergence.requireFinite(model, opt.steps());
        return new ScbCurve(cfg.name(), Arrays.copyOf(s, k), Arrays.copyOf(dv, k), Arrays.copyOf(da, k), Arrays.copyOf(ex, k),
                Arrays.copyOf(corr, k));
    }

    /**
     * Samples seen when the population loss first reaches {@code targetLoss} (checked after every
     * step, exact closed form), or -1 if it does not within {@code maxSamples}.
     */
    public static long samplesToLoss(ScbTask task, ScbModel model, ScbOptimizerConfig cfg, int batch, long maxSamples, double targetLoss,
                                     long seed) {
        check(task, model, batch);
        ScbOptimizer opt = new ScbOptimizer(cfg, task.vocab(), task.seqLen());
        ScbBatch b = new ScbBatch(batch, task.seqLen());
        Rng data = Rng.stream(seed, Rng.DATA);
        if (ScbPopulation.loss(task, model) <= targetLoss) return 0;
        while (opt.samples() + batch <= maxSamples) {
            task.sample(data, b);
            opt.step(model, b);
            if (ScbPopulation.loss(task, model) <= targetLoss) return opt.samples();
        }
        ScbDivergence.requireFinite(model, opt.steps());
        return -1;
    }

    /**
     * Milestones of one run, checked after every step with the exact population loss and corr(V, P).
     *
     * @param lossSamples samples seen when the loss first reached {@code lossTargets[i]} (-1 = not within the budget)
     * @param corrSamples samples seen when corr(V, P) first reached the threshold (-1 = not reached or not asked)
     */
    public record Milestones(long[] lossSamples, long corrSamples) {
    }

    /**
     * Trains until every loss target and the correlation threshold are reached (or the budget ends).
     * A threshold &lt;= -1 skips the correlation milestone.
     */
    public static Milestones milestones(ScbTask task, ScbModel model, ScbOptimizerConfig cfg, int batch, long maxSamples, double[] lossTargets,
                                        double corrThreshold, long seed) {
        check(task, model, batch);
        if (lossTargets == null) throw new IllegalArgumentException("ScbRun.milestones: lossTargets is null");
        ScbOptimizer opt = new ScbOptimizer(cfg, task.vocab(), task.seqLen());
        ScbBatch b = new ScbBatch(batch, task.seqLen());
        Rng data = Rng.stream(seed, Rng.DATA);
        long[] hit = new long[lossTargets.length];
        Arrays.fill(hit, -1);
        boolean wantCorr = corrThreshold > -1;
        long corrHit = -1;
        while (true) {
            double loss = ScbPopulation.loss(task, model);
            boolean done = true;
            for (int i = 0; i < hit.length; i++) {
                if (hit[i] < 0 && loss <= lossTargets[i]) hit[i] = opt.samples();
                done &= hit[i] >= 0;
            }
            if (wantCorr && corrHit < 0 && ScbMetrics.correlation(task, model) >= corrThreshold) corrHit = opt.samples();
            done &= !wantCorr || corrHit >= 0;
            if (done || opt.samples() + batch > maxSamples) break;
            task.sample(data, b);
            opt.step(model, b);
        }
        ScbDivergence.requireFinite(model, opt.steps());
        return new Milestones(hit, corrHit);
    }

    private static void check(ScbTask task, ScbModel model, int batch) {
        if (task == null || model == null) throw new IllegalArgumentException("ScbRun: task or model is null");
        if (model.vocab != task.vocab() || model.seqLen != task.seqLen()) {
            throw new IllegalArgumentException("ScbRun: model (N=" + model.vocab + ", T=" + model.seqLen + ") does not fit the task (N="
                    + task.vocab() + ", T=" + task.seqLen() + ")");
        }
        if (batch < 1) throw new IllegalArgumentException("ScbRun: batch=" + batch + " must be positive");
    }
}
