package dev.onelayer.model.icar;

import dev.onelayer.kernel.CausalLaneAttention;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.core.Workspace;
import dev.onelayer.model.train.Model;

/**
 * The reference code's general one-layer models for the Haar-orthogonal experiments (Sander et
 * al. 2024, Figs 5 and 7; icar.md section 5, {@code augmented.py} and {@code non_augmented.py}):
 * full query/key/value maps per head, several heads summed, a linear readout.
 * <pre>
 *   q_{h,t} = Wq_h x_t,  k_{h,t} = Wk_h x_t,  v_{h,t} = Wv_h x_t           (Wq_h, Wk_h, Wv_h in R^{Dh x D})
 *   alpha_h[t,t'] = (q_{h,t} . k_{h,t'}) / sqrt(Dh) * pi_h[t,t'],          t' &lt;= t
 *   pi_h[t,.] = softmax_{t' &lt;= t}((Wq_h E_t) . (Wk_h E_t') / sqrt(Dh))    (non-augmented; 1 when augmented)
 *   s^_{t+1} = Wo sum_h sum_{t' &lt;= t} alpha_h[t,t'] v_{h,t'}                (Wo in R^{d x Dh})
 * </pre>
 * Tokens: augmented {@code x_t = e_t = (0, s_t, s_{t-1})} (D = 3d, causal linear attention, the
 * positional embeddings unused as in the repo); non-augmented {@code x_t = (s_t, ..., s_t)}
 * ({@code ext} copies, D = ext d; the repo's "embed_extension = 2") with a learned absolute
 * positional embedding E in R^{n x D} whose softmax score, through the <b>same</b> Wq_h, Wk_h,
 * multiplies the linear token score (the repo's positional attention). Per-example loss
 * {@code sum_{t=0}^{n-1} ||s^_{t+1} - s_{t+1}||^2} on sequences s_0..s_n.
 *
 * <p>Readout, two options. Plain: {@code s^ = Wo o} (without a nonlinearity the repo's fc_out and
 * readout collapse into this one map). With {@code layerNorm} (the repo's): {@code z = Wf o}
 * (Wf in R^{D x Dh}), {@code y = gamma * (z - mean z) / sqrt(var z + 1e-5) + beta}, then the
 * augmented model reads the first d coordinates of {@code x_t + y} (= of y, the first block of
 * e_t is 0; the repo's residual) and the non-augmented one applies {@code Wr in R^{d x D}}.
 * Left out from the repo either way: biases.
 *
 * <p>Work per chunk is head by head: Q, K, V of one head for the whole chunk as one
 * {@link Kernels#gemm} each from the tokens in the lane-major layout ([D][n][chunk], the chunk's
 * examples in the SIMD lanes, transposed once per chunk), then the causal pairs s &lt;= t of all examples at once through
 * {@link CausalLaneAttention}. Memory does not grow with H; the backward recomputes the head's
 * projections and scores (a sixth of its work) instead of saving H n^2 floats per example.
 */
public final class GeneralAttentionModel implements Model<SequenceBatch> {

    private final int d, width, heads, headWidth, n, ext;
    private final boolean augmented;
    private final float invSqrt;
    private final Params params = new Params();
    private final boolean layerNorm;
    private final Param wq, wk, wv, wo, pe, wf, gamma, beta, wr;
    private static final double LN_EPS = 1e-5;

    /**
     * @param d         state dimension
     * @param n         positions: tokens x_0..x_{n-1}; batches hold s_0..s_n
     * @param heads     H
     * @param headWidth Dh (the repo: D)
     * @param ext       non-augmented copies of s_t per token (the repo: 2); ignored when augmented
     * @param augmented augmented tokens and no positional attention, or duplicated tokens with it
     * @param init      PyTorch defaults: Linear weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)), E ~ N(0, 1)
     */
    public GeneralAttentionModel(int d, int n, int heads, int headWidth, int ext, boolean augmented, Rng init) {
        this(d, n, heads, headWidth, ext, augmented, false, init);
    }

    /** As above; {@code layerNorm} selects the repo's fc_out + LayerNorm readout (class docs). */
    public GeneralAttentionModel(int d, int n, int heads, int headWidth, int ext, boolean augmented, boolean layerNorm, Rng init) {
        if (d < 1 || n < 1 || heads < 1 || headWidth < 1 || (!augmented && ext < 1)) {
            throw new IllegalArgumentException("GeneralAttentionModel: d=" + d + ", n=" + n + ", heads=" + heads + ", headWidth=" + headWidth
                    + ", ext=" + ext + " must all be positive");
        }
        if (init == null) throw new IllegalArgumentException("GeneralAttentionModel: init rng is null");
        this.d = d;
        this.n = n;
        this.heads = heads;
        this.headWidth = headWidth;
        this.augmented = augmented;
        this.ext = augmented ? 3 : ext;
        this.width = augmented ? 3 * d : ext * d;
        this.invSqrt = (float) (1 / Math.sqrt(headWidth));
        this.wq = params.add("Wq", heads * headWidth, width);
        this.wk = params.add("Wk", heads * headWidth, width);
        this.wv = params.add("Wv", heads * headWidth, width);
        this.layerNorm = layerNorm;
        this.wo = layerNorm ? null : params.add("Wo", d, headWidth);
        this.pe = augmented ? null : params.add("E", n, width);
        this.wf = layerNorm ? params.add("Wf", width, headWidth) : null;
        this.gamma = layerNorm ? params.add("gamma", width) : null;
        this.beta = layerNorm ? params.add("beta", width) : null;
        this.wr = layerNorm && !augmented ? params.add("Wr", d, width) : null;
        double bx = 1 / Math.sqrt(width), bo = 1 / Math.sqrt(headWidth);
        wq.uniform(init, -bx, bx);
        wk.uniform(init, -bx, bx);
        wv.uniform(init, -bx, bx);
        if (wo != null) wo.uniform(init, -bo, bo);
        if (pe != null) pe.normal(init, 1);
        if (layerNorm) {
            wf.uniform(init, -bo, bo);
            gamma.fill(1f);
            beta.zeros();
            if (wr != null) wr.uniform(init, -bx, bx);
        }
    }

    @Override
    public Params params() {
        return params;
    }

    public int d() {
        return d;
    }

    public int positions() {
        return n;
    }

    public int heads() {
        return heads;
    }

    public int headWidth() {
        return headWidth;
    }

    /** Token width D. */
    public int width() {
        return width;
    }

    public boolean augmented() {
        return augmented;
    }

    public boolean layerNorm() {
        return layerNorm;
    }

    private void check(SequenceBatch batch, int start, int end) {
        if (batch == null) throw new IllegalArgumentException("GeneralAttentionModel: batch is null");
        if (batch.dim != d || batch.len < n) {
            throw new IllegalArgumentException("GeneralAttentionModel: batch has len=" + batch.len + ", dim=" + batch.dim
                    + "; model needs len >= " + n + ", dim=" + d);
        }
        if (start < 0 || end > batch.n || start >= end) {
            throw new IllegalArgumentException("GeneralAttentionModel: range [" + start + ", " + end + ") is empty or outside the batch of " + batch.n);
        }
    }

    private void tokens(SequenceBatch batch, int start, int m, float[] x) {
        java.util.Arrays.fill(x, 0, m * n * width, 0f);
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int o = (i * n + t) * width, s = batch.offset(start + i, t);
                if (augmented) {
                    System.arraycopy(batch.states, s, x, o + d, d);
                    if (t > 0) System.arraycopy(batch.states, batch.offset(start + i, t - 1), x, o + 2 * d, d);
                } else {
                    for (int c = 0; c < ext; c++) System.arraycopy(batch.states, s, x, o + c * d, d);
                }
            }
        }
    }

    /**
     * The positional attention pi_h (H x n x n, row t a distribution over t' &lt;= t, zeros above the
     * diagonal) into {@code pi}, with the positional queries/keys saved in {@code qp}, {@code kp}
     * ([n][H Dh]); null when augmented.
     */
    private void positional(float[] pi, float[] qp, float[] kp) {
        float[] v = params.values();
        int hd = heads * headWidth;
        Kernels.gemm(false, true, n, hd, width, 1f, v, pe.offset(), width, v, wq.offset(), width, 0f, qp, 0, hd);
        Kernels.gemm(false, true, n, hd, width, 1f, v, pe.offset(), width, v, wk.offset(), width, 0f, kp, 0, hd);
        for (int h = 0; h < heads; h++) {
            int po = h * n * n;
            Kernels.gemm(false, true, n, n, headWidth, invSqrt, qp, h * headWidth, hd, kp, h * headWidth, hd, 0f, pi, po, n);
            for (int t = 0; t < n; t++) {
                int row = po + t * n;
                // Causal softmax over t' <= t, max-subtracted, summed in index order (float64).
                float mx = Float.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) mx = Math.max(mx, pi[row + s]);
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    float e = (float) Math.exp(pi[row + s] - mx);
                    pi[row + s] = e;
                    sum += e;
                }
                float inv = (float) (1 / sum);
                for (int s = 0; s <= t; s++) pi[row + s] *= inv;
                java.util.Arrays.fill(pi, row + t + 1, row + n, 0f);
            }
        }
    }

    /** The positional attention pi (H x n x n, row-major; all zeros-free rows sum to 1); null when augmented. */
    public double[] positionalAttention() {
        if (augmented) return null;
        int hd = heads * headWidth;
        float[] pi = new float[heads * n * n];
        positional(pi, new float[n * hd], new float[n * hd]);
        double[] out = new double[pi.length];
        for (int i = 0; i < pi.length; i++) out[i] = pi[i];
        return out;
    }

    /** Examples per lane group: one to four SIMD vectors of lanes. */
    private static final int GROUP = 16;

    /** Examples in the lane group starting at example g0 of a chunk of m. */
    private static int groupSize(int g0, int m) {
        return Math.min(GROUP, m - g0);
    }

    /**
     * q, k, v of head h, lane-major, from the lane-major tokens xL: {@code [Q; K; V] = [Wq_h; Wk_h; Wv_h] X}
     * as one GEMM (3 Dh x D times D x n m; one packing of X for all three) into {@code q}
     * ([3 Dh][n m] floats: the q rows, then k and v, copied on into {@code k} and {@code vv});
     * {@code w3} holds the stacked weights.
     */
    private void project(float[] xL, int m, int h, float[] w3, float[] q, float[] k, float[] vv) {
        float[] v = params.values();
        int wo0 = h * headWidth * width, rows = n * m, hw = headWidth * width;
        System.arraycopy(v, wq.offset() + wo0, w3, 0, hw);
        System.arraycopy(v, wk.offset() + wo0, w3, hw, hw);
        System.arraycopy(v, wv.offset() + wo0, w3, 2 * hw, hw);
        Kernels.gemm(false, false, 3 * headWidth, rows, width, 1f, w3, 0, width, xL, 0, rows, 0f, q, 0, rows);
        System.arraycopy(q, headWidth * rows, k, 0, headWidth * rows);
        System.arraycopy(q, 2 * headWidth * rows, vv, 0, headWidth * rows);
    }

    /** {@code grad[gOff + w] += <dY row at yOff, xL row w>} for every token feature w (one row of a dW). */
    private void rowDots(float[] dY, int yOff, float[] xL, int rows, float[] grad, int gOff) {
        for (int w = 0; w < width; w++) grad[gOff + w] += Kernels.dot(rows, dY, yOff, xL, w * rows);
    }

    /**
     * Row-major [m][n][cols] to lane-major [cols][n m]: each feature row holds the groups of
     * {@link #GROUP} examples one after another, group g0 at {@code g0 n} as [n][group size]
     * (a group's attention then reads short contiguous pieces and stays in cache).
     */
    private void toLanes(float[] src, float[] dst, int m, int cols) {
        int rows = n * m;
        for (int g0 = 0; g0 < m; g0 += GROUP) {
            int bg = groupSize(g0, m);
            for (int i = 0; i < bg; i++) {
                for (int t = 0; t < n; t++) {
                    int so = ((g0 + i) * n + t) * cols, dso = g0 * n + t * bg + i;
                    for (int c = 0; c < cols; c++) dst[dso + c * rows] = src[so + c];
                }
            }
        }
    }

    /** Lane-major [cols][n m] back to row-major [m][n][cols]. */
    private void fromLanes(float[] src, float[] dst, int m, int cols) {
        int rows = n * m;
        for (int g0 = 0; g0 < m; g0 += GROUP) {
            int bg = groupSize(g0, m);
            for (int i = 0; i < bg; i++) {
                for (int t = 0; t < n; t++) {
                    int dso = ((g0 + i) * n + t) * cols, so = g0 * n + t * bg + i;
                    for (int c = 0; c < cols; c++) dst[dso + c] = src[so + c * rows];
                }
            }
        }
    }

    /** Predictions s^_1..s^_n per example ([m][n][d], owned by {@code ws}). */
    public float[] predict(SequenceBatch batch, int start, int end, Workspace ws) {
        check(batch, start, end);
        int m = end - start, rows = m * n, hd = heads * headWidth;
        float[] x = ws.floats("X", rows * width);
        tokens(batch, start, m, x);
        float[] pi = null;
        if (!augmented) {
            pi = ws.floats("pi", heads * n * n);
            positional(pi, ws.floats("qp", n * hd), ws.floats("kp", n * hd));
        }
        float[] xL = ws.floats("XL", rows * width);
        toLanes(x, xL, m, width);
        float[] qL = ws.floats("qL", 3 * rows * headWidth), kL = ws.floats("kL", rows * headWidth), vL = ws.floats("vL", rows * headWidth);
        float[] w3 = ws.floats("w3", 3 * headWidth * width);
        float[] oL = ws.zeroedFloats("oL", rows * headWidth);
        for (int h = 0; h < heads; h++) {
            project(xL, m, h, w3, qL, kL, vL);
            for (int g0 = 0; g0 < m; g0 += GROUP) {
                CausalLaneAttention.forward(n, headWidth, groupSize(g0, m), invSqrt, qL, kL, vL, g0 * n, rows, pi, h * n * n, oL);
            }
        }
        float[] osum = ws.floats("O", rows * headWidth);
        fromLanes(oL, osum, m, headWidth);
        float[] pred = ws.floats("pred", rows * d);
        float[] v = params.values();
        if (!layerNorm) {
            Kernels.gemm(false, true, rows, d, headWidth, 1f, osum, 0, headWidth, v, wo.offset(), headWidth, 0f, pred, 0, d);
            return pred;
        }
        // z = O Wf^T, zHat = (z - mean) / sqrt(var + eps) per row, y = gamma * zHat + beta.
        float[] z = ws.floats("zHat", rows * width), y = ws.floats("y", rows * width), sig = ws.floats("sigma", rows);
        Kernels.gemm(false, true, rows, width, headWidth, 1f, osum, 0, headWidth, v, wf.offset(), headWidth, 0f, z, 0, width);
        int go = gamma.offset(), bo = beta.offset();
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double mean = 0, var = 0;
            for (int c = 0; c < width; c++) mean += z[o + c];
            mean /= width;
            for (int c = 0; c < width; c++) var += (z[o + c] - mean) * (z[o + c] - mean);
            double sd = Math.sqrt(var / width + LN_EPS);
            sig[r] = (float) sd;
            for (int c = 0; c < width; c++) {
                z[o + c] = (float) ((z[o + c] - mean) / sd);
                y[o + c] = v[go + c] * z[o + c] + v[bo + c];
            }
        }
        if (augmented) {
            for (int r = 0; r < rows; r++) System.arraycopy(y, r * width, pred, r * d, d);
        } else {
            Kernels.gemm(false, true, rows, d, width, 1f, y, 0, width, v, wr.offset(), width, 0f, pred, 0, d);
        }
        return pred;
    }

    @Override
    public double forward(SequenceBatch batch, int start, int end, Workspace ws) {
        float[] pred = predict(batch, start, end, ws);
        int m = end - start;
        float[] res = ws.floats("residual", m * n * d);
        double loss = 0;
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < n; t++) {
                int o = (i * n + t) * d, so = batch.offset(start + i, t + 1);
                for (int c = 0; c < d; c++) {
                    float r = pred[o + c] - batch.states[so + c];
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
        int m = end - start, rows = m * n, hd = heads * headWidth;
        float[] res = ws.saved("residual");
        if (res.length != rows * d) throw new IllegalStateException("GeneralAttentionModel.backward: forward ran on a different range");
        float[] v = params.values();
        float[] x = ws.saved("X"), osum = ws.saved("O");
        float[] g = ws.floats("G", rows * d);
        for (int i = 0; i < g.length; i++) g[i] = 2f * scale * res[i];
        float[] dO = ws.floats("dO", rows * headWidth);
        if (!layerNorm) {
            // pred = O Wo^T: dWo = G^T O, dO = G Wo.
            Kernels.gemm(true, false, d, headWidth, rows, 1f, g, 0, d, osum, 0, headWidth, 1f, grad, wo.offset(), headWidth);
            Kernels.gemm(false, false, rows, headWidth, d, 1f, g, 0, d, v, wo.offset(), headWidth, 0f, dO, 0, headWidth);
        } else {
            layerNormBackward(g, osum, rows, ws, grad, dO);
        }

        float[] pi = augmented ? null : ws.saved("pi");
        float[] dPi = augmented ? null : ws.zeroedFloats("dPi", heads * n * n);
        float[] xL = ws.saved("XL");
        float[] qL = ws.floats("qL", 3 * rows * headWidth), kL = ws.floats("kL", rows * headWidth), vL = ws.floats("vL", rows * headWidth);
        float[] w3 = ws.floats("w3", 3 * headWidth * width);
        float[] dOL = ws.floats("dOL", rows * headWidth), dqL = ws.floats("dqL", rows * headWidth);
        float[] dkL = ws.floats("dkL", rows * headWidth), dvL = ws.floats("dvL", rows * headWidth);
        float[] attnWs = ws.floats("attnWs", CausalLaneAttention.workspaceFloats(n, Math.min(GROUP, m)));
        toLanes(dO, dOL, m, headWidth);
        for (int h = 0; h < heads; h++) {
            project(xL, m, h, w3, qL, kL, vL);
            for (int g0 = 0; g0 < m; g0 += GROUP) {
                // out += alpha V with alpha = (q k^T / sqrt(Dh)) * pi: dq, dk, dv and dPi += dalpha * score.
                CausalLaneAttention.backward(n, headWidth, groupSize(g0, m), invSqrt, qL, kL, vL, g0 * n, rows, pi, h * n * n,
                        dOL, dqL, dkL, dvL, dPi, attnWs);
            }
            // Q = Wq_h X (lane-major): dWq_h += dQ X^T, one dot per weight over rows of n m floats
            // (a 10 x 10 x (n m) GEMM spends most of its time packing).
            for (int c = 0; c < headWidth; c++) {
                int w = (h * headWidth + c) * width;
                rowDots(dqL, c * rows, xL, rows, grad, wq.offset() + w);
                rowDots(dkL, c * rows, xL, rows, grad, wk.offset() + w);
                rowDots(dvL, c * rows, xL, rows, grad, wv.offset() + w);
            }
        }
        if (augmented) return;
        positionalBackward(ws, grad, pi, dPi, hd, v);
    }

    /** From dL/dpred (g) back to dL/dO through the LayerNorm readout, adding Wr, gamma, beta, Wf gradients. */
    private void layerNormBackward(float[] g, float[] osum, int rows, Workspace ws, float[] grad, float[] dO) {
        float[] v = params.values();
        float[] zHat = ws.saved("zHat"), y = ws.saved("y"), sig = ws.saved("sigma");
        float[] dy = ws.zeroedFloats("dy", rows * width);
        if (augmented) {
            for (int r = 0; r < rows; r++) System.arraycopy(g, r * d, dy, r * width, d);
        } else {
            // pred = y Wr^T: dWr = G^T y, dy = G Wr.
            Kernels.gemm(true, false, d, width, rows, 1f, g, 0, d, y, 0, width, 1f, grad, wr.offset(), width);
            Kernels.gemm(false, false, rows, width, d, 1f, g, 0, d, v, wr.offset(), width, 0f, dy, 0, width);
        }
        int go = gamma.offset(), bo = beta.offset();
        float[] dz = ws.floats("dz", rows * width);
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double m1 = 0, m2 = 0;
            for (int c = 0; c < width; c++) {
                grad[go + c] += dy[o + c] * zHat[o + c];
                grad[bo + c] += dy[o + c];
                double dh = (double) dy[o + c] * v[go + c];
                m1 += dh;
                m2 += dh * zHat[o + c];
            }
            m1 /= width;
            m2 /= width;
            // dz = (dzHat - mean(dzHat) - zHat mean(dzHat zHat)) / sigma.
            for (int c = 0; c < width; c++) dz[o + c] = (float) (((double) dy[o + c] * v[go + c] - m1 - zHat[o + c] * m2) / sig[r]);
        }
        // z = O Wf^T: dWf = dz^T O, dO = dz Wf.
        Kernels.gemm(true, false, width, headWidth, rows, 1f, dz, 0, width, osum, 0, headWidth, 1f, grad, wf.offset(), headWidth);
        Kernels.gemm(false, false, rows, headWidth, width, 1f, dz, 0, width, v, wf.offset(), headWidth, 0f, dO, 0, headWidth);
    }

    private void positionalBackward(Workspace ws, float[] grad, float[] pi, float[] dPi, int hd, float[] v) {
        // pi = softmax(Z): dZ = pi * (dPi - <pi, dPi>_row); Z = Qp Kp^T / sqrt(Dh).
        float[] qp = ws.saved("qp"), kp = ws.saved("kp");
        float[] dqp = ws.zeroedFloats("dqp", n * hd), dkp = ws.zeroedFloats("dkp", n * hd);
        for (int h = 0; h < heads; h++) {
            int po = h * n * n;
            for (int t = 0; t < n; t++) {
                int row = po + t * n;
                double dot = 0;
                for (int c = 0; c <= t; c++) dot += (double) pi[row + c] * dPi[row + c];
                for (int c = 0; c <= t; c++) dPi[row + c] = (float) (pi[row + c] * (dPi[row + c] - dot)) * invSqrt;
                java.util.Arrays.fill(dPi, row + t + 1, row + n, 0f);
            }
            Kernels.gemm(false, false, n, headWidth, n, 1f, dPi, po, n, kp, h * headWidth, hd, 0f, dqp, h * headWidth, hd);
            Kernels.gemm(true, false, n, headWidth, n, 1f, dPi, po, n, qp, h * headWidth, hd, 0f, dkp, h * headWidth, hd);
        }
        // Qp = E Wq^T, Kp = E Wk^T: dWq += dQp^T E, dWk += dKp^T E, dE += dQp Wq + dKp Wk.
        Kernels.gemm(true, false, hd, width, n, 1f, dqp, 0, hd, v, pe.offset(), width, 1f, grad, wq.offset(), width);
        Kernels.gemm(true, false, hd, width, n, 1f, dkp, 0, hd, v, pe.offset(), width, 1f, grad, wk.offset(), width);
        Kernels.gemm(false, false, n, width, hd, 1f, dqp, 0, hd, v, wq.offset(), width, 1f, grad, pe.offset(), width);
        Kernels.gemm(false, false, n, width, hd, 1f, dkp, 0, hd, v, wk.offset(), width, 1f, grad, pe.offset(), width);
    }
}
