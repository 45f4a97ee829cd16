package dev.onelayer.model.icar;

import dev.onelayer.kernel.Attention;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.LinearAttentionSpec;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.train.Model;

/**
 * The augmented one-layer linear Transformer (Sander et al. 2024, icar.md section 2(a)), real data:
 * <pre>
 *   T(e_{1:t}) = e_t + sum_{t' <= t} P e_{t'} (e_{t'}^T Q e_t),   e_t = (0, s_t, s_{t-1}) in R^{3d}, s_{-1} = 0,
 * </pre>
 * with full P, Q in R^{3d x 3d}, read out from the first block (where e_t is 0, so the residual
 * adds nothing): {@code pred_t = P_1 sum_{t' <= t} e_{t'} (e_{t'}^T Q e_t)}, P_1 = rows 0..d-1 of P
 * (the other rows of P never receive a gradient). Target s_{t+1}; per-example loss
 * {@code sum_{t in L} ||pred_t - s_{t+1}||^2} over the loss positions L.
 *
 * <p>Two loss sets: all positions {@code t = 0..len-1} (one shared model), computed as causal
 * linear attention ({@link Attention#linear}, q = Q e, k = e, v = P_1 e); or one position t only
 * (the per-position models of the step-size theory), computed per example with four
 * matrix-vector products {@code u = Q e_t, g = E u, w = E^T g, pred = P_1 w} (E = rows e_0..e_t).
 * The one-step-GD solution is {@code P_1 = [0, eta I, 0]}, Q with block (3,2) = I: then
 * {@code pred_t = eta sum_{t'} s_{t'} (s_{t'-1}^T s_t) = eta W^_t s_t}.
 */
public final class AugmentedModel implements Model<SequenceBatch> {

    /** {@link #lossPosition()} value meaning every position. */
    public static final int ALL_POSITIONS = -1;

    private final int d, e, len, position;
    private final Params params = new Params();
    private final Param pMat, qMat;

    /**
     * @param len          tokens e_0..e_{len-1}; batches must hold s_0..s_len
     * @param lossPosition {@link #ALL_POSITIONS} or one t in [0, len)
     * @param initStd      P, Q ~ initStd N(0, 1) (icar.md validated settings: 0.1/sqrt(3d))
     */
    public AugmentedModel(int d, int len, int lossPosition, double initStd, Rng init) {
        if (d < 1 || len < 1) throw new IllegalArgumentException("AugmentedModel: d=" + d + " and len=" + len + " must be positive");
        if (lossPosition != ALL_POSITIONS && (lossPosition < 0 || lossPosition >= len)) {
            throw new IllegalArgumentException("AugmentedModel: lossPosition=" + lossPosition + " must be ALL_POSITIONS or in [0, " + len + ")");
        }
        if (!(initStd >= 0) || init == null) throw new IllegalArgumentException("AugmentedModel: need initStd >= 0 and an init rng");
        this.d = d;
        this.e = 3 * d;
        this.len = len;
        this.position = lossPosition;
        this.pMat = params.add("P", e, e);
        this.qMat = params.add("Q", e, e);
        pMat.normal(init, initStd);
        qMat.normal(init, initStd);
    }

    @Override
    public Params params() {
        return params;
    }

    public int d() {
        return d;
    }

    public int len() {
        return len;
    }

    public int lossPosition() {
        return position;
    }

    /** Number of predicted positions per example: len, or 1 for a per-position model. */
    public int positions() {
        return position == ALL_POSITIONS ? len : 1;
    }

    /** The t of the k-th predicted position. */
    public int positionAt(int k) {
        return position == ALL_POSITIONS ? k : position;
    }

    private void check(SequenceBatch batch, int start, int end) {
        if (batch == null) throw new IllegalArgumentException("AugmentedModel: batch is null");
        if (batch.dim != d || batch.len < len) {
            throw new IllegalArgumentException("AugmentedModel: batch has len=" + batch.len + ", dim=" + batch.dim
                    + "; model needs len >= " + len + ", dim=" + d);
        }
        if (start < 0 || end > batch.n || start >= end) {
            throw new IllegalArgumentException("AugmentedModel: range [" + start + ", " + end + ") is empty or outside the batch of " + batch.n);
        }
    }

    /** Writes the augmented tokens e_0..e_{n-1} of sequence i into {@code out} at {@code off}. */
    private void tokens(SequenceBatch batch, int i, int n, float[] out, int off) {
        java.util.Arrays.fill(out, off, off + n * e, 0f);
        for (int t = 0; t < n; t++) {
            System.arraycopy(batch.states, batch.offset(i, t), out, off + t * e + d, d);
            if (t > 0) System.arraycopy(batch.states, batch.offset(i, t - 1), out, off + t * e + 2 * d, d);
        }
    }

    /** Predictions [m][positions()][d] for sequences start..end-1 (buffer owned by {@code ws}). */
    public float[] predict(SequenceBatch batch, int start, int end, Workspace ws) {
        check(batch, start, end);
        int m = end - start;
        float[] v = params.values();
        int pOff = pMat.offset(), qOff = qMat.offset();
        if (position == ALL_POSITIONS) {
            float[] tok = ws.floats("E", m * len * e);
            for (int i = 0; i < m; i++) tokens(batch, start + i, len, tok, i * len * e);
            float[] q = ws.floats("q", m * len * e), val = ws.floats("v", m * len * d), out = ws.floats("out", m * len * d);
            Kernels.gemm(false, true, m * len, e, e, 1f, tok, 0, e, v, qOff, e, 0f, q, 0, e);
            Kernels.gemm(false, true, m * len, d, e, 1f, tok, 0, e, v, pOff, e, 0f, val, 0, d);
            LinearAttentionSpec sp = LinearAttentionSpec.causal(m, 1, len, e, d);
            Attention.linear(sp, q, tok, val, out, ws.floats("kernelWs", sp.workspaceFloats()));
            return out;
        }
        int n = position + 1;
        float[] tok = ws.floats("E", m * n * e), u = ws.floats("u", m * e), g = ws.floats("g", m * n);
        float[] w = ws.floats("w", m * e), out = ws.floats("out", m * d);
        for (int i = 0; i < m; i++) {
            int to = i * n * e;
            tokens(batch, start + i, n, tok, to);
            Kernels.gemv(false, e, e, 1f, v, qOff, e, tok, to + position * e, 0f, u, i * e);
            Kernels.gemv(false, n, e, 1f, tok, to, e, u, i * e, 0f, g, i * n);
            Kernels.gemv(true, n, e, 1f, tok, to, e, g, i * n, 0f, w, i * e);
            Kernels.gemv(false, d, e, 1f, v, pOff, e, w, i * e, 0f, out, i * d);
        }
        return out;
    }

    @Override
    public double forward(SequenceBatch batch, int start, int end, Workspace ws) {
        float[] out = predict(batch, start, end, ws);
        int m = end - start, np = positions();
        float[] res = ws.floats("residual", m * np * d);
        double loss = 0;
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < np; k++) {
                int o = (i * np + k) * d, so = batch.offset(start + i, positionAt(k) + 1);
                for (int c = 0; c < d; c++) {
                    float r = out[o + c] - batch.states[so + c];
                    res[o + c] = r;
                    loss += (double) r * r;
                }
            }
        }
        return loss;
    }

    @Override
    public void backward(SequenceBatch batch, int start, int end, Workspace ws, float scale, float[] grad) {
        check(batch, start, end);
        int m = end - start, np = positions();
        float[] res = ws.saved("residual");
        if (res.length != m * np * d) throw new IllegalStateException("AugmentedModel.backward: forward ran on a different range");
        float[] delta = ws.floats("delta", m * np * d);
        for (int i = 0; i < delta.length; i++) delta[i] = 2f * scale * res[i];
        float[] v = params.values();
        int pOff = pMat.offset(), qOff = qMat.offset();
        float[] tok = ws.saved("E");
        if (position == ALL_POSITIONS) {
            LinearAttentionSpec sp = LinearAttentionSpec.causal(m, 1, len, e, d);
            float[] dq = ws.floats("dq", m * len * e), dk = ws.floats("dk", m * len * e), dv = ws.floats("dv", m * len * d);
            Attention.linearBackward(sp, ws.saved("q"), tok, ws.saved("v"), delta, dq, dk, dv, ws.saved("kernelWs"));
            // q = E Q^T  =>  dQ = dq^T E;   v = E P_1^T  =>  dP_1 = dv^T E.
            Kernels.gemm(true, false, e, e, m * len, 1f, dq, 0, e, tok, 0, e, 1f, grad, qOff, e);
            Kernels.gemm(true, false, d, e, m * len, 1f, dv, 0, d, tok, 0, e, 1f, grad, pOff, e);
            return;
        }
        int n = position + 1;
        float[] u = ws.saved("u"), w = ws.saved("w");
        float[] dw = ws.floats("dw", e), dg = ws.floats("dg", n), du = ws.floats("du", e);
        for (int i = 0; i < m; i++) {
            int to = i * n * e;
            // pred = P_1 w: dP_1 += delta w^T, dw = P_1^T delta.
            Kernels.ger(d, e, 1f, delta, i * d, w, i * e, grad, pOff, e);
            Kernels.gemv(true, d, e, 1f, v, pOff, e, delta, i * d, 0f, dw, 0);
            // w = E^T E u with E^T E symmetric: du = E^T E dw; u = Q e_t: dQ += du e_t^T.
            Kernels.gemv(false, n, e, 1f, tok, to, e, dw, 0, 0f, dg, 0);
            Kernels.gemv(true, n, e, 1f, tok, to, e, dg, 0, 0f, du, 0);
            Kernels.ger(e, e, 1f, du, 0, tok, to + position * e, grad, qOff, e);
        }
    }
}
