package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/**
 * Experiment 4: softmax vs linear on the same SCB task (scb.md 4, main figure p.9). The linear model
 * is trained by PPPD, the softmax model ({@link FloatSoftmaxScbModel}, float32 on the kernels, zero
 * init = uniform attention and prediction) by Adam on the cross-entropy ({@link FloatSoftmaxAdam}),
 * both on fresh batches of the same data stream. Reported:
 * the attention maps (A; softmax(W e_k)) and value maps (V; softmax(V e_j)) for heatmaps, their
 * Frobenius distances to A* and P, and loss curves in common units, the squared loss of the predicted
 * distribution {@code 1/2 |e_{x_o} - p_hat|^2}: exact population value for the linear model, mean over a
 * fixed evaluation set (stream "eval") for the softmax model, whose cross-entropy is also recorded; and
 * for how many query tokens each model's top-Q attention positions are exactly A*'s support.
 */
public final class SoftmaxComparisonExperiment {

    public static final String CLAIM = "Ren, Wang, Lee (2024), figure p.9: a softmax transformer trained on SCB learns attention "
            + "patterns and value matrices similar to the linear transformer's, and reaches a similar final loss.";

    private SoftmaxComparisonExperiment() {
    }

    /**
     * @param lr        Adam step size for the softmax model (beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
     * @param evalSize  examples in the fixed evaluation set of the softmax model
     */
    public record Config(ScbTaskConfig task, int batch, long budget, long evalEvery, double lr, int evalSize, long seed) {
        public Config {
            if (task == null) throw new IllegalArgumentException("SoftmaxComparisonExperiment: task is null");
            if (batch < 1 || budget < batch || evalEvery < batch || evalSize < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("SoftmaxComparisonExperiment: need batch >= 1, budget, evalEvery >= batch, evalSize >= 1, lr > 0");
            }
        }

        public static Config defaults() {
            return new Config(ScbTaskConfig.recoveryDefault(), 64, 400_000, 16_000, 0.01, 4096, 1);
        }
    }

    /** Maps are row-major: attention T x N, value N x N. Curves are indexed like {@code samples}. */
    public record Result(Config config, long[] samples, double[] linearSquaredLoss, double[] softmaxSquaredLoss, double[] softmaxCrossEntropy,
                         double linearOptimalSquaredLoss, double[] linearAttention, double[] linearValue, double[] softmaxAttention,
                         double[] softmaxValue, double[] trueAttention, double[] trueValue, double linearDistA, double linearDistV,
                         double softmaxDistA, double softmaxDistV, int linearSupportMatches, int softmaxSupportMatches, String claim) {
    }

    public static Result run(Config c) {
        return run(c, RunListener.NONE);
    }

    /** Curve points of {@link #run}, the units it reports to a {@link RunListener} (at most this many). */
    public static int runs(Config c) {
        return (int) ((c.budget() - c.batch()) / c.evalEvery()) + 2;
    }

    /** {@link #run(Config)}, telling {@code listener} after each curve point. */
    public static Result run(Config c, RunListener listener) {
        if (listener == null) throw new IllegalArgumentException("SoftmaxComparisonExperiment: listener is null");
        ScbTask task = c.task().build(c.seed());
        int n = task.vocab(), t = task.seqLen();
        ScbModel lin = new ScbModel(n, t).uniform();
        ScbOptimizer pppd = new ScbOptimizer(ScbOptimizerConfig.pppd(), n, t);
        FloatSoftmaxScbModel soft = new FloatSoftmaxScbModel(n, t);
        FloatSoftmaxAdam adam = new FloatSoftmaxAdam(soft, c.lr());
        ScbBatch b = new ScbBatch(c.batch(), t), eval = new ScbBatch(c.evalSize(), t);
        task.sample(Rng.stream(c.seed(), Rng.EVAL), eval);
        Rng data = Rng.stream(c.seed(), Rng.DATA);
        int cap = (int) (c.budget() / c.evalEvery()) + 3;
        long[] s = new long[cap];
        double[] ls = new double[cap], ss = new double[cap], ce = new double[cap];
        int k = 0;
        long seen = 0, next = 0;
        while (true) {
            if (seen >= next || seen + c.batch() > c.budget()) {
                s[k] = seen;
                ls[k] = ScbPopulation.loss(task, lin);
                ce[k] = soft.loss(eval, null, null);
                ss[k] = squaredLoss(soft, eval);
                k++;
                next += c.evalEvery();
                listener.runDone("samples " + seen);
            }
            if (seen + c.batch() > c.budget()) break;
            task.sample(data, b);
            pppd.step(lin, b);
            adam.step(b);
            seen += c.batch();
        }
        ScbDivergence.requireFinite(lin, pppd.steps());
        ScbDivergence.requireFinite(soft, adam.steps());
        double[] linA = toDouble(lin.attention()), linV = toDouble(lin.v), sA = soft.attentionMap(), sVm = soft.valueMap();
        double[] aStar = task.attention(), p = task.transition();
        return new Result(c, java.util.Arrays.copyOf(s, k), java.util.Arrays.copyOf(ls, k), java.util.Arrays.copyOf(ss, k),
                java.util.Arrays.copyOf(ce, k), ScbPopulation.optimalLoss(task), linA, linV, sA, sVm, aStar, p,
                dist(linA, aStar), dist(linV, p), dist(sA, aStar), dist(sVm, p), ScbMetrics.supportMatches(task, linA),
                ScbMetrics.supportMatches(task, sA), CLAIM);
    }

    /** Mean of {@code 1/2 |e_{x_o} - softmax(z)|^2} over the batch, accumulated in float64. */
    private static double squaredLoss(FloatSoftmaxScbModel m, ScbBatch b) {
        int n = m.vocab;
        float[] p = m.predict(b);
        double total = 0;
        for (int e = 0; e < b.batch; e++) {
            for (int i = 0; i < n; i++) {
                double d = (i == b.targets[e] ? 1 : 0) - (double) p[e * n + i];
                total += 0.5 * d * d;
            }
        }
        return total / b.batch;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }
}
