package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/**
 * The pretraining half of experiment 3 (transfer): a model trained from the uniform start on an
 * upstream task whose transition matrix correlates with the downstream one,
 * {@code P_pre = (1 - rho) P + rho R} (R's columns Dirichlet(1), the same R as
 * {@link ScbRun#transferInit}), and then handed over as the value matrix V of the downstream start.
 *
 * <p>Only V transfers: the downstream sparse attention is new, so the finetuning start keeps A
 * uniform. The upstream task keeps the downstream's attention pattern q^(k) (it is discarded with
 * A) and its T. With enough pretraining samples V approaches P_pre, so this start converges to
 * {@link ScbRun#transferInit}'s analytic {@code V0}; with fewer it is a noisier, less correlated
 * start, as a real pretrained model would be.
 */
public final class Pretraining {

    private Pretraining() {
    }

    /** The upstream transition matrix {@code (1 - rho) P + rho R}, column-stochastic like P. */
    public static double[] upstreamTransition(ScbTask downstream, double rho, long seed) {
        if (downstream == null) throw new IllegalArgumentException("Pretraining: downstream task is null");
        if (!(rho >= 0 && rho <= 1)) throw new IllegalArgumentException("Pretraining: rho=" + rho + " must be in [0, 1]");
        int n = downstream.vocab();
        double[] r = TransitionGenerator.dirichletColumns(1.0).generate(n, Rng.stream(seed, Rng.INIT + "/transfer"));
        double[] p = new double[n * n];
        for (int i = 0; i < n * n; i++) p[i] = (1 - rho) * downstream.p(i / n, i % n) + rho * r[i];
        return p;
    }

    /**
     * V of a model trained with {@code cfg} on the upstream task for {@code samples} samples (whole
     * batches of {@code batch}; data from the stream "data/pretrain" of {@code seed}, so the
     * downstream run's data stream is untouched).
     */
    public static float[] pretrainedValue(ScbTask downstream, double rho, ScbOptimizerConfig cfg, int batch, long samples, long seed) {
        if (cfg == null) throw new IllegalArgumentException("Pretraining: optimizer config is null");
        if (batch < 1) throw new IllegalArgumentException("Pretraining: batch=" + batch + " must be at least 1");
        if (samples < batch) throw new IllegalArgumentException("Pretraining: samples=" + samples + " must be at least batch=" + batch);
        ScbTask upstream = downstream.withTransition(upstreamTransition(downstream, rho, seed));
        ScbModel model = new ScbModel(upstream.vocab(), upstream.seqLen()).uniform();
        ScbOptimizer opt = new ScbOptimizer(cfg, upstream.vocab(), upstream.seqLen());
        ScbBatch b = new ScbBatch(batch, upstream.seqLen());
        Rng data = Rng.stream(seed, Rng.DATA + "/pretrain");
        while (opt.samples() + batch <= samples) {
            upstream.sample(data, b);
            opt.step(model, b);
        }
        ScbDivergence.requireFinite(model, opt.steps());
        return model.v.clone();
    }
}
