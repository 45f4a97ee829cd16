package dev.onelayer.model.train.toy;

import dev.onelayer.kernel.Kernels;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.train.Model;

/**
 * {@code ŷ = W x + b} with per-example loss {@code ℓ = (1/dOut)·‖ŷ − y‖²} (mean squared error).
 * Forward saves the residual {@code R = X Wᵀ + 1bᵀ − Y}; backward is
 * {@code ∂ℓ/∂W = (2/dOut)·Rᵀ X}, {@code ∂ℓ/∂b = (2/dOut)·Σᵢ rᵢ}.
 */
public final class LinearRegression implements Model<RegressionBatch> {

    private final int dIn, dOut;
    private final Params params = new Params();
    private final Param w, b;

    /** W ~ N(0, 1/dIn), b = 0. */
    public LinearRegression(int dIn, int dOut, Rng init) {
        if (dIn < 1 || dOut < 1) throw new IllegalArgumentException("LinearRegression: dIn=" + dIn + " and dOut=" + dOut + " must be positive");
        this.dIn = dIn;
        this.dOut = dOut;
        this.w = params.add("W", Params.DECAY, dOut, dIn);
        this.b = params.add("b", Params.NO_DECAY, dOut);
        w.normal(init, 1 / Math.sqrt(dIn));
        b.zeros();
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public double forward(RegressionBatch batch, int start, int end, Workspace ws) {
        checkBatch(batch, start, end);
        int m = end - start;
        float[] r = ws.floats("residual", m * dOut);
        float[] v = params.values();
        for (int i = 0; i < m; i++) System.arraycopy(v, b.offset(), r, i * dOut, dOut);
        Kernels.gemm(false, true, m, dOut, dIn, 1f, batch.x, start * dIn, dIn, v, w.offset(), dIn, 1f, r, 0, dOut);
        Kernels.axpy(m * dOut, -1f, batch.y, start * dOut, r, 0);
        double loss = 0;
        for (int i = 0; i < m * dOut; i++) loss += (double) r[i] * r[i];
        return loss / dOut;
    }

    @Override
    public void backward(RegressionBatch batch, int start, int end, Workspace ws, float scale, float[] grad) {
        checkBatch(batch, start, end);
        int m = end - start;
        float[] r = ws.saved("residual");
        if (r.length != m * dOut) throw new IllegalStateException("LinearRegression.backward: forward ran on a different range");
        float alpha = 2f * scale / dOut;
        Kernels.gemm(true, false, dOut, dIn, m, alpha, r, 0, dOut, batch.x, start * dIn, dIn, 1f, grad, w.offset(), dIn);
        for (int i = 0; i < m; i++) Kernels.axpy(dOut, alpha, r, i * dOut, grad, b.offset());
    }

    private void checkBatch(RegressionBatch batch, int start, int end) {
        if (batch == null) throw new IllegalArgumentException("LinearRegression: batch is null");
        if (batch.dIn != dIn || batch.dOut != dOut) {
            throw new IllegalArgumentException("LinearRegression: batch is " + batch.dIn + "->" + batch.dOut + ", model is " + dIn + "->" + dOut);
        }
        if (start < 0 || end > batch.n || start >= end) {
            throw new IllegalArgumentException("LinearRegression: range [" + start + ", " + end + ") is empty or outside the batch of " + batch.n);
        }
    }
}
