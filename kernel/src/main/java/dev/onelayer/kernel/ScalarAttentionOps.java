package dev.onelayer.kernel;

import java.util.Arrays;

/**
 * Plain-loop implementation of {@link AttentionOps} on the natural layouts (no transposes).
 * The softmax streams key by key (online softmax: running max m, sum l and output rescaled by
 * {@code exp(m_old - m_new)} when the max grows), so no row of scores is ever stored.
 * {@code exp} and {@code log} are {@link StrictMath}'s, so results do not depend on the JIT.
 */
public class ScalarAttentionOps implements AttentionOps {

    @Override
    public String name() {
        return "scalar";
    }

    private static float dot(int n, float[] x, int xo, float[] y, int yo) {
        float acc = 0f;
        for (int c = 0; c < n; c++) acc = Math.fma(x[xo + c], y[yo + c], acc);
        return acc;
    }

    private static void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        for (int c = 0; c < n; c++) y[yo + c] = Math.fma(alpha, x[xo + c], y[yo + c]);
    }

    private static float exp(float x) {
        return (float) StrictMath.exp(x);
    }

    // ---------------------------------------------------------------- form 1

    @Override
    public void linearQuadratic(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk(), dv = sp.dv();
        Arrays.fill(out, 0, sp.vFloats(), 0f);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk, vb = bh * T * dv;
            for (int t = 0; t < T; t++) {
                int hi = sp.includeDiagonal() ? t : t - 1;
                int lo = sp.window() < 0 ? 0 : Math.max(0, t - sp.window());
                for (int s = lo; s <= hi; s++) {
                    float a = sp.scale() * dot(dk, q, qb + t * dk, k, qb + s * dk);
                    axpy(dv, a, v, vb + s * dv, out, vb + t * dv);
                }
            }
        }
    }

    @Override
    public void linearQuadraticBackward(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut,
                                        float[] dq, float[] dk, float[] dv, float[] ws) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        Arrays.fill(dq, 0, sp.qkFloats(), 0f);
        Arrays.fill(dk, 0, sp.qkFloats(), 0f);
        Arrays.fill(dv, 0, sp.vFloats(), 0f);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            for (int t = 0; t < T; t++) {
                int hi = sp.includeDiagonal() ? t : t - 1;
                int lo = sp.window() < 0 ? 0 : Math.max(0, t - sp.window());
                for (int s = lo; s <= hi; s++) {
                    float a = sp.scale() * dot(dkw, q, qb + t * dkw, k, qb + s * dkw);
                    float g = sp.scale() * dot(dvw, dOut, vb + t * dvw, v, vb + s * dvw);
                    axpy(dkw, g, k, qb + s * dkw, dq, qb + t * dkw);
                    axpy(dkw, g, q, qb + t * dkw, dk, qb + s * dkw);
                    axpy(dvw, a, dOut, vb + t * dvw, dv, vb + s * dvw);
                }
            }
        }
    }

    // ---------------------------------------------------------------- form 2

    @Override
    public void linearPrefix(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk(), dv = sp.dv();
        // State stored transposed, st[c][i] = S[i][c], so out_t = sum_c q_tc st[c][:] is a chain of axpys.
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk, vb = bh * T * dv;
            Arrays.fill(ws, 0, dk * dv, 0f);
            for (int t = 0; t < T; t++) {
                if (sp.includeDiagonal()) addOuter(dk, dv, k, qb + t * dk, v, vb + t * dv, ws, 0);
                int o = vb + t * dv;
                Arrays.fill(out, o, o + dv, 0f);
                for (int c = 0; c < dk; c++) axpy(dv, q[qb + t * dk + c], ws, c * dv, out, o);
                for (int i = 0; i < dv; i++) out[o + i] *= sp.scale();
                if (!sp.includeDiagonal()) addOuter(dk, dv, k, qb + t * dk, v, vb + t * dv, ws, 0);
            }
        }
    }

    /** m[r][:] += x_r y (m is rows x cols at mo). */
    private static void addOuter(int rows, int cols, float[] x, int xo, float[] y, int yo, float[] m, int mo) {
        for (int r = 0; r < rows; r++) axpy(cols, x[xo + r], y, yo, m, mo + r * cols);
    }

    @Override
    public void linearPrefixBackward(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut,
                                     float[] dq, float[] dk, float[] dv, float[] ws) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        int sOff = 0, rOff = dkw * dvw, rtOff = 2 * dkw * dvw;
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            // Forward scan: S[i][:] (dv x dk), dq_t = scale sum_i dOut_ti S[i][:].
            Arrays.fill(ws, sOff, sOff + dkw * dvw, 0f);
            for (int t = 0; t < T; t++) {
                if (sp.includeDiagonal()) addOuter(dvw, dkw, v, vb + t * dvw, k, qb + t * dkw, ws, sOff);
                int o = qb + t * dkw;
                Arrays.fill(dq, o, o + dkw, 0f);
                for (int i = 0; i < dvw; i++) axpy(dkw, dOut[vb + t * dvw + i], ws, sOff + i * dkw, dq, o);
                for (int c = 0; c < dkw; c++) dq[o + c] *= sp.scale();
                if (!sp.includeDiagonal()) addOuter(dvw, dkw, v, vb + t * dvw, k, qb + t * dkw, ws, sOff);
            }
            // Reverse scan: R = sum_{t >= s} q_t dOut_t^T kept as R[c][:] (dk x dv) and RT[i][:] (dv x dk).
            Arrays.fill(ws, rOff, rOff + 2 * dkw * dvw, 0f);
            for (int s = T - 1; s >= 0; s--) {
                if (sp.includeDiagonal()) {
                    addOuter(dkw, dvw, q, qb + s * dkw, dOut, vb + s * dvw, ws, rOff);
                    addOuter(dvw, dkw, dOut, vb + s * dvw, q, qb + s * dkw, ws, rtOff);
                }
                int ko = qb + s * dkw, vo = vb + s * dvw;
                Arrays.fill(dk, ko, ko + dkw, 0f);
                Arrays.fill(dv, vo, vo + dvw, 0f);
                for (int i = 0; i < dvw; i++) axpy(dkw, v[vo + i], ws, rtOff + i * dkw, dk, ko);
                for (int c = 0; c < dkw; c++) axpy(dvw, k[ko + c], ws, rOff + c * dvw, dv, vo);
                for (int c = 0; c < dkw; c++) dk[ko + c] *= sp.scale();
                for (int i = 0; i < dvw; i++) dv[vo + i] *= sp.scale();
                if (!sp.includeDiagonal()) {
                    addOuter(dkw, dvw, q, qb + s * dkw, dOut, vb + s * dvw, ws, rOff);
                    addOuter(dvw, dkw, dOut, vb + s * dvw, q, qb + s * dkw, ws, rtOff);
                }
            }
        }
    }

    // ---------------------------------------------------------------- form 4

    @Override
    public void softmax(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] lse, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk(), dv = sp.dv();
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk, vb = bh * T * dv;
            for (int t = 0; t < T; t++) {
                int o = vb + t * dv, lo = sp.first(t), hi = sp.last(t);
                // Start from the first key itself: no -inf sentinel is ever formed.
                float m = sp.scale() * dot(dk, q, qb + t * dk, k, qb + lo * dk);
                float l = 1f;
                System.arraycopy(v, vb + lo * dv, out, o, dv);
                for (int j = lo + 1; j <= hi; j++) {
                    float s = sp.scale() * dot(dk, q, qb + t * dk, k, qb + j * dk);
                    if (s > m) {
                        float corr = exp(m - s);
                        l = Math.fma(l, corr, 1f);
                        for (int i = 0; i < dv; i++) out[o + i] = Math.fma(out[o + i], corr, v[vb + j * dv + i]);
                        m = s;
                    } else {
                        float p = exp(s - m);
                        l += p;
                        axpy(dv, p, v, vb + j * dv, out, o);
                    }
                }
                float inv = 1f / l;
                for (int i = 0; i < dv; i++) out[o + i] *= inv;
                lse[bh * T + t] = m + (float) StrictMath.log(l);
            }
        }
    }

    @Override
    public void softmaxBackward(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] lse,
                                float[] dOut, float[] dq, float[] dk, float[] dv, float[] ws) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        Arrays.fill(dq, 0, sp.qkFloats(), 0f);
        Arrays.fill(dk, 0, sp.qkFloats(), 0f);
        Arrays.fill(dv, 0, sp.vFloats(), 0f);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            for (int t = 0; t < T; t++) {
                int qo = qb + t * dkw, o = vb + t * dvw;
                float D = dot(dvw, dOut, o, out, o);
                float rowLse = lse[bh * T + t];
                for (int j = sp.first(t); j <= sp.last(t); j++) {
                    float s = sp.scale() * dot(dkw, q, qo, k, qb + j * dkw);
                    float p = exp(Math.min(s - rowLse, 0f));
                    float dp = dot(dvw, dOut, o, v, vb + j * dvw);
                    float ds = sp.scale() * (p * (dp - D));
                    axpy(dkw, ds, k, qb + j * dkw, dq, qo);
                    axpy(dkw, ds, q, qo, dk, qb + j * dkw);
                    axpy(dvw, p, dOut, o, dv, vb + j * dvw);
                }
            }
        }
    }

    @Override
    public void softmaxProbabilities(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] lse, float[] probs, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk();
        Arrays.fill(probs, 0, sp.probabilityFloats(), 0f);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk;
            for (int t = 0; t < T; t++) {
                float rowLse = lse[bh * T + t];
                int row = (bh * T + t) * T;
                for (int j = sp.first(t); j <= sp.last(t); j++) {
                    float s = sp.scale() * dot(dk, q, qb + t * dk, k, qb + j * dk);
                    probs[row + j] = exp(Math.min(s - rowLse, 0f));
                }
            }
        }
    }

    // ---------------------------------------------------------------- form 3

    /** C[c][i] = sum_h a_hc b_hi into ws[0 .. d*d). */
    static void positionalCoupling(int heads, int d, float[] a, float[] b, float[] c, int cOff) {
        Arrays.fill(c, cOff, cOff + d * d, 0f);
        for (int h = 0; h < heads; h++) {
            for (int ci = 0; ci < d; ci++) axpy(d, a[h * d + ci], b, h * d, c, cOff + ci * d);
        }
    }

    @Override
    public void positional(PositionalAttentionSpec sp, float[] p, float[] a, float[] b, float[] q, float[] k, float[] v,
                           float[] out, float[] ws) {
        PositionalOuter.forward(sp, p, a, b, q, k, v, out, ws, PositionalOuter.SCALAR);
    }

    @Override
    public void positionalBackward(PositionalAttentionSpec sp, float[] p, float[] a, float[] b, float[] q, float[] k,
                                   float[] v, float[] dOut, float[] dP, float[] da, float[] db,
                                   float[] dq, float[] dk, float[] dv, float[] ws) {
        PositionalOuter.backward(sp, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws, PositionalOuter.SCALAR);
    }

    // ---------------------------------------------------------------- form 5

    @Override
    public void scbHidden(ScbReadoutSpec sp, float[] aMat, int[] tokens, int[] queries, float[] h, int hOff, float[] ws) {
        int T = sp.seqLen(), N = sp.vocab(), at = sp.scratchOffset();
        // A^T first: example b reads column q_b of A, which has stride N; as a row of A^T it is contiguous.
        transposeInto(aMat, 0, T, N, ws, at);
        scbHiddenTransposed(sp, ws, at, tokens, queries, h, hOff);
    }

    @Override
    public void scbHiddenTransposed(ScbReadoutSpec sp, float[] aT, int aTOff, int[] tokens, int[] queries, float[] h, int hOff) {
        int T = sp.seqLen(), N = sp.vocab();
        Arrays.fill(h, hOff, hOff + sp.hiddenFloats(), 0f);
        // A scatter-add into N bins: inherently scalar (a vector of tokens may hit one bin twice).
        // Two examples at a time: their bins are distinct, so each example's adds still run in
        // position order, and the two streams of loads that may hit a just-stored bin overlap.
        int bt = 0;
        for (; bt + 1 < sp.batch(); bt += 2) {
            int c0 = aTOff + queries[bt] * T, c1 = aTOff + queries[bt + 1] * T, k0 = bt * T, k1 = k0 + T, h0 = hOff + bt * N, h1 = h0 + N;
            for (int t = 0; t < T; t++) {
                h[h0 + tokens[k0 + t]] += aT[c0 + t];
                h[h1 + tokens[k1 + t]] += aT[c1 + t];
            }
        }
        if (bt < sp.batch()) {
            int col = aTOff + queries[bt] * T, tok = bt * T, ho = hOff + bt * N;
            for (int t = 0; t < T; t++) h[ho + tokens[tok + t]] += aT[col + t];
        }
    }

    @Override
    public void scbReadoutFromHidden(ScbReadoutSpec sp, float[] vMat, float[] h, int hOff, float[] y, float[] ws) {
        int N = sp.vocab();
        for (int bt = 0; bt < sp.batch(); bt++) {
            for (int i = 0; i < N; i++) y[bt * N + i] = dot(N, vMat, i * N, h, hOff + bt * N);
        }
    }

    @Override
    public void scbReadoutBackwardFromHidden(ScbReadoutSpec sp, float[] vMat, float[] h, int hOff, int[] tokens, int[] queries,
                                             float[] dy, float[] dV, float[] dA, float[] ws) {
        int atOff = sp.scratchOffset() + sp.batch() * sp.vocab();
        scbReadoutBackwardTransposed(sp, vMat, h, hOff, tokens, queries, dy, dV, ws, atOff, ws);
        transposeInto(ws, atOff, sp.vocab(), sp.seqLen(), dA, 0);
    }

    @Override
    public void scbReadoutBackwardTransposed(ScbReadoutSpec sp, float[] vMat, float[] h, int hOff, int[] tokens, int[] queries,
                                             float[] dy, float[] dV, float[] dAT, int dATOff, float[] ws) {
        int T = sp.seqLen(), N = sp.vocab(), B = sp.batch();
        int gOff = sp.scratchOffset();
        Arrays.fill(dV, 0, N * N, 0f);
        for (int bt = 0; bt < B; bt++) {
            for (int i = 0; i < N; i++) axpy(N, dy[bt * N + i], h, hOff + bt * N, dV, i * N);
        }
        // G = dY V: g_b = V^T dy_b, the gradient reaching each token of example b.
        Arrays.fill(ws, gOff, gOff + B * N, 0f);
        for (int bt = 0; bt < B; bt++) {
            for (int i = 0; i < N; i++) axpy(N, dy[bt * N + i], vMat, i * N, ws, gOff + bt * N);
        }
        // dA^T[q_b][t] += g_b[x_bt]: rows of dA^T are contiguous in t (column q_b of dA has stride N).
        Arrays.fill(dAT, dATOff, dATOff + N * T, 0f);
        for (int bt = 0; bt < B; bt++) {
            int row = dATOff + queries[bt] * T, tok = bt * T, g = gOff + bt * N;
            for (int t = 0; t < T; t++) dAT[row + t] += ws[g + tokens[tok + t]];
        }
    }

    /**
     * {@code out[oOff + c*rows + r] = src[off + r*cols + c]}: the transpose of the rows x cols matrix
     * at src[off]. Public for the vector implementation's form 5, which transposes the same way.
     */
    public static void transposeInto(float[] src, int off, int rows, int cols, float[] out, int oOff) {
        // Eight source rows at a time (then four, then one): each read row streams, and each output
        // row gets eight consecutive entries per visit instead of one strided store per line
        // (eight measured 1.3-1.5x faster than four for the SCB shapes, 500 x 20 and 20 x 500).
        int r = 0;
        for (; r + 7 < rows; r += 8) {
            int s0 = off + r * cols;
            for (int c = 0; c < cols; c++) {
                int o = oOff + c * rows + r, s = s0 + c;
                out[o] = src[s];
                out[o + 1] = src[s + cols];
                out[o + 2] = src[s + 2 * cols];
                out[o + 3] = src[s + 3 * cols];
                out[o + 4] = src[s + 4 * cols];
                out[o + 5] = src[s + 5 * cols];
                out[o + 6] = src[s + 6 * cols];
                out[o + 7] = src[s + 7 * cols];
            }
        }
        for (; r + 3 < rows; r += 4) {
            int s0 = off + r * cols;
            for (int c = 0; c < cols; c++) {
                int o = oOff + c * rows + r;
                out[o] = src[s0 + c];
                out[o + 1] = src[s0 + cols + c];
                out[o + 2] = src[s0 + 2 * cols + c];
                out[o + 3] = src[s0 + 3 * cols + c];
            }
        }
        for (; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[oOff + c * rows + r] = src[off + r * cols + c];
        }
    }

    @Override
    public boolean indicesInRange(int[] idx, int n, int bound) {
        // Sign bit of x | (bound - 1 - x) is set exactly when x < 0 or x >= bound; no branch per entry.
        int bad = 0;
        for (int i = 0; i < n; i++) bad |= idx[i] | (bound - 1 - idx[i]);
        return bad >= 0;
    }
}
