package dev.onelayer.model.scb;

import dev.onelayer.kernel.Kernels;

/**
 * Training step of experiment 4's softmax model: the cross-entropy gradient of a
 * {@link FloatSoftmaxScbModel} and one float32 Adam step (Kingma and Ba 2015, Alg. 1; beta =
 * (0.9, 0.999), eps = 1e-8, bias-corrected, no decay: {@code torch.optim.Adam}'s defaults) on V and
 * W^T through {@code Kernels.adam}. The bias corrections are computed in float64 and rounded once.
 */
public final class FloatSoftmaxAdam {

    private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final FloatSoftmaxScbModel model;
    private final double lr;
    private final float[] gV, gW, mV, sV, mW, sW;
    private long t;

    public FloatSoftmaxAdam(FloatSoftmaxScbModel model, double lr) {
        if (model == null) throw new IllegalArgumentException("FloatSoftmaxAdam: model is null");
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("FloatSoftmaxAdam: lr=" + lr + " must be positive and finite");
        this.model = model;
        this.lr = lr;
        int nv = model.v.length, nw = model.wT.length;
        gV = new float[nv];
        mV = new float[nv];
        sV = new float[nv];
        gW = new float[nw];
        mW = new float[nw];
        sW = new float[nw];
    }

    /**
     * One step on the batch; returns the batch's mean cross-entropy before the step.
     *
     * @throws dev.onelayer.model.train.NonFiniteException if that loss is not finite (naming the step
     *         and the first non-finite parameter, V or W; the model is left as it was)
     */
    public double step(ScbBatch b) {
        double loss = model.loss(b, gV, gW);
        if (!Double.isFinite(loss)) {
            throw ScbDivergence.atLoss(t, loss, ScbDivergence.firstNonFinite(model.v, model.wT, model.vocab, model.seqLen, "W"));
        }
        t++;
        float stepSize = (float) (lr / (1 - StrictMath.pow(BETA1, t))); // StrictMath: the same bits on every JIT tier (as AdamW)
        float invSqrtBc2 = (float) (1 / Math.sqrt(1 - StrictMath.pow(BETA2, t)));
        float b1 = (float) BETA1, b2 = (float) BETA2, eps = (float) EPS;
        Kernels.adam(gV.length, model.v, 0, gV, 0, mV, 0, sV, 0, b1, b2, stepSize, invSqrtBc2, eps);
        Kernels.adam(gW.length, model.wT, 0, gW, 0, mW, 0, sW, 0, b1, b2, stepSize, invSqrtBc2, eps);
        return loss;
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }
}
