package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.LinearAttentionSpec;
import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.kernel.PositionalOuter;
import dev.onelayer.kernel.ScalarAttentionOps;
import dev.onelayer.kernel.ScbReadoutSpec;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link AttentionOps}.
 *
 * <p><b>Lanes along the keys.</b> The papers' head widths are small (d = 4..32, often below the
 * vector width), so the quadratic and softmax kernels transpose K and V of one (batch, head) into
 * the workspace as {@code kT[c][j]}, {@code vT[c][j]} (ld = T) and run the lanes over key
 * positions j: a score vector for L keys is a chain of d FMAs with the query component c
 * broadcast, and the weighted sum over keys is a lane-wise FMA per output component. Gradients
 * for keys and values accumulate in transposed buffers as well and are transposed back at the
 * end. Every key has the same operation sequence in a vector lane and in the scalar tail, so a
 * score never depends on where its key falls relative to the lane grid.
 *
 * <p>The prefix-state form (O(T dk dv)) keeps its states in the layouts where every update is an
 * axpy over a row of length dk or dv. The positional form (form 3) runs through the key-value
 * outer products ({@link PositionalOuter}): batches of at least L/4 sequences with the lanes across
 * sequences ({@link VectorPositionalLanes}) when the spec's workspace holds their layout
 * ({@code PositionalAttentionSpec.laneLayout()}), others sequence by sequence with the banded
 * products in {@link VectorPositionalBands}.
 * The SCB readout (form 5) is in {@link VectorScbReadout} (its token scatter-add into N bins stays scalar).
 *
 * <p>Reductions: per-lane partial sums are combined in a fixed order ({@link Lanes#sum}) and
 * {@code exp} is {@link Lanes#expNonPositive}, so results are the same bits on every JIT tier.
 */
public final class VectorAttentionOps extends ScalarAttentionOps {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;
    private static final int BK = KEY_BLOCK;

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String scbGather() {
        return VectorScbReadout.PERMUTE_GATHER ? "permute" : "indexed";
    }

    // ---------------------------------------------------------------- building blocks

    /**
     * Sum of L lanes stored at tmp[off..], left to right. Why not {@link Lanes#sum}: at call sites
     * C2 thinks cold (once per row, after a hot loop) the callee is not inlined, and a vector
     * passed to a non-inlined method is boxed on every call; so callers store the vector with
     * {@code intoArray} and only the array crosses the call.
     */
    private static float sumScalar(float[] tmp, int off) {
        float s = tmp[off];
        for (int i = 1; i < L; i++) s += tmp[off + i];
        return s;
    }

    /**
     * {@code out[oOff + i] = scale * sum_c x[xOff + c] * yT[yOff + c*ld + j0 + i]} for i < n.
     * Each key's dot is the fma chain over c in order, in lanes and in the tail alike.
     */
    static void dotsT(float[] x, int xOff, int dims, float[] yT, int yOff, int ld, int j0, int n, float scale,
                      float[] out, int oOff) {
        int i = 0;
        int base = yOff + j0;
        // Eight independent FMA chains (64 keys with 8 lanes) cover the FMA latency of both pipes.
        for (; i + 8 * L <= n; i += 8 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int r = base + i;
            for (int c = 0; c < dims; c++, r += ld) {
                FloatVector xc = FloatVector.broadcast(F, x[xOff + c]);
                a0 = FloatVector.fromArray(F, yT, r).fma(xc, a0);
                a1 = FloatVector.fromArray(F, yT, r + L).fma(xc, a1);
                a2 = FloatVector.fromArray(F, yT, r + 2 * L).fma(xc, a2);
                a3 = FloatVector.fromArray(F, yT, r + 3 * L).fma(xc, a3);
                a4 = FloatVector.fromArray(F, yT, r + 4 * L).fma(xc, a4);
                a5 = FloatVector.fromArray(F, yT, r + 5 * L).fma(xc, a5);
                a6 = FloatVector.fromArray(F, yT, r + 6 * L).fma(xc, a6);
                a7 = FloatVector.fromArray(F, yT, r + 7 * L).fma(xc, a7);
            }
            a0.mul(scale).intoArray(out, oOff + i);
            a1.mul(scale).intoArray(out, oOff + i + L);
            a2.mul(scale).intoArray(out, oOff + i + 2 * L);
            a3.mul(scale).intoArray(out, oOff + i + 3 * L);
            a4.mul(scale).intoArray(out, oOff + i + 4 * L);
            a5.mul(scale).intoArray(out, oOff + i + 5 * L);
            a6.mul(scale).intoArray(out, oOff + i + 6 * L);
            a7.mul(scale).intoArray(out, oOff + i + 7 * L);
        }
        for (; i + L <= n; i += L) {
            FloatVector a0 = FloatVector.zero(F);
            int r = base + i;
            for (int c = 0; c < dims; c++, r += ld) {
                a0 = FloatVector.fromArray(F, yT, r).fma(FloatVector.broadcast(F, x[xOff + c]), a0);
            }
            a0.mul(scale).intoArray(out, oOff + i);
        }
        for (; i < n; i++) {
            float acc = 0f;
            int r = base + i;
            for (int c = 0; c < dims; c++, r += ld) acc = Math.fma(yT[r], x[xOff + c], acc);
            out[oOff + i] = acc * scale;
        }
    }

    /**
     * {@code res[rOff + c] = sum_{i < n} w[wOff + i] * yT[yOff + c*ld + j0 + i]} for c < rows.
     * Four rows share each load of w; every row has the same two accumulators (even and odd
     * vector chunks), combined and lane-summed in a fixed order whether or not it is in a group
     * of four, so its bits do not depend on the grouping.
     */
    static void rowDotsT(float[] w, int wOff, float[] yT, int yOff, int ld, int rows, int j0, int n,
                         float[] res, int rOff, float[] tmp, int tOff) {
        int c = 0;
        int n2 = n - n % (2 * L);
        for (; c + 4 <= rows; c += 4) {
            int r0 = yOff + c * ld + j0, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
            int i = 0;
            for (; i < n2; i += 2 * L) {
                FloatVector we = FloatVector.fromArray(F, w, wOff + i);
                FloatVector wo = FloatVector.fromArray(F, w, wOff + i + L);
                a0 = we.fma(FloatVector.fromArray(F, yT, r0 + i), a0);
                b0 = wo.fma(FloatVector.fromArray(F, yT, r0 + i + L), b0);
                a1 = we.fma(FloatVector.fromArray(F, yT, r1 + i), a1);
                b1 = wo.fma(FloatVector.fromArray(F, yT, r1 + i + L), b1);
                a2 = we.fma(FloatVector.fromArray(F, yT, r2 + i), a2);
                b2 = wo.fma(FloatVector.fromArray(F, yT, r2 + i + L), b2);
                a3 = we.fma(FloatVector.fromArray(F, yT, r3 + i), a3);
                b3 = wo.fma(FloatVector.fromArray(F, yT, r3 + i + L), b3);
            }
            if (i + L <= n) {
                FloatVector we = FloatVector.fromArray(F, w, wOff + i);
                a0 = we.fma(FloatVector.fromArray(F, yT, r0 + i), a0);
                a1 = we.fma(FloatVector.fromArray(F, yT, r1 + i), a1);
                a2 = we.fma(FloatVector.fromArray(F, yT, r2 + i), a2);
                a3 = we.fma(FloatVector.fromArray(F, yT, r3 + i), a3);
                i += L;
            }
            a0.add(b0).intoArray(tmp, tOff);
            float s0 = sumScalar(tmp, tOff);
            a1.add(b1).intoArray(tmp, tOff);
            float s1 = sumScalar(tmp, tOff);
            a2.add(b2).intoArray(tmp, tOff);
            float s2 = sumScalar(tmp, tOff);
            a3.add(b3).intoArray(tmp, tOff);
            float s3 = sumScalar(tmp, tOff);
            for (; i < n; i++) {
                float wi = w[wOff + i];
                s0 = Math.fma(wi, yT[r0 + i], s0);
                s1 = Math.fma(wi, yT[r1 + i], s1);
                s2 = Math.fma(wi, yT[r2 + i], s2);
                s3 = Math.fma(wi, yT[r3 + i], s3);
            }
            res[rOff + c] = s0;
            res[rOff + c + 1] = s1;
            res[rOff + c + 2] = s2;
            res[rOff + c + 3] = s3;
        }
        for (; c < rows; c++) {
            int r0 = yOff + c * ld + j0;
            FloatVector a0 = FloatVector.zero(F), b0 = a0;
            int i = 0;
            for (; i < n2; i += 2 * L) {
                a0 = FloatVector.fromArray(F, w, wOff + i).fma(FloatVector.fromArray(F, yT, r0 + i), a0);
                b0 = FloatVector.fromArray(F, w, wOff + i + L).fma(FloatVector.fromArray(F, yT, r0 + i + L), b0);
            }
            if (i + L <= n) {
                a0 = FloatVector.fromArray(F, w, wOff + i).fma(FloatVector.fromArray(F, yT, r0 + i), a0);
                i += L;
            }
            a0.add(b0).intoArray(tmp, tOff);
            float s0 = sumScalar(tmp, tOff);
            for (; i < n; i++) s0 = Math.fma(w[wOff + i], yT[r0 + i], s0);
            res[rOff + c] = s0;
        }
    }

    /**
     * {@code yT[yOff + c*ld + j0 + i] += coef[cOff + c] * w[wOff + i]} for c < rows, i < n. Four rows
     * share each load of w; every element is one fma either way.
     */
    static void rank1T(float[] w, int wOff, float[] coef, int cOff, int rows, float[] yT, int yOff, int ld, int j0, int n) {
        int c = 0;
        for (; c + 4 <= rows; c += 4) {
            float k0 = coef[cOff + c], k1 = coef[cOff + c + 1], k2 = coef[cOff + c + 2], k3 = coef[cOff + c + 3];
            FloatVector c0 = FloatVector.broadcast(F, k0), c1 = FloatVector.broadcast(F, k1);
            FloatVector c2 = FloatVector.broadcast(F, k2), c3 = FloatVector.broadcast(F, k3);
            int r0 = yOff + c * ld + j0, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            int i = 0;
            for (; i + L <= n; i += L) {
                FloatVector wv = FloatVector.fromArray(F, w, wOff + i);
                wv.fma(c0, FloatVector.fromArray(F, yT, r0 + i)).intoArray(yT, r0 + i);
                wv.fma(c1, FloatVector.fromArray(F, yT, r1 + i)).intoArray(yT, r1 + i);
                wv.fma(c2, FloatVector.fromArray(F, yT, r2 + i)).intoArray(yT, r2 + i);
                wv.fma(c3, FloatVector.fromArray(F, yT, r3 + i)).intoArray(yT, r3 + i);
            }
            for (; i < n; i++) {
                float wi = w[wOff + i];
                yT[r0 + i] = Math.fma(wi, k0, yT[r0 + i]);
                yT[r1 + i] = Math.fma(wi, k1, yT[r1 + i]);
                yT[r2 + i] = Math.fma(wi, k2, yT[r2 + i]);
                yT[r3 + i] = Math.fma(wi, k3, yT[r3 + i]);
            }
        }
        for (; c < rows; c++) {
            float cc = coef[cOff + c];
            FloatVector cv = FloatVector.broadcast(F, cc);
            int r = yOff + c * ld + j0;
            int i = 0;
            for (; i + L <= n; i += L) {
                FloatVector.fromArray(F, w, wOff + i).fma(cv, FloatVector.fromArray(F, yT, r + i)).intoArray(yT, r + i);
            }
            for (; i < n; i++) yT[r + i] = Math.fma(w[wOff + i], cc, yT[r + i]);
        }
    }

    /** {@code y[yOff..+n) += alpha * x[xOff..+n)}. */
    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
    }

    /** {@code dst[dOff + c*ld + t] = src[sOff + t*d + c]}: [T][d] to [d][T] with leading dimension ld. */
    static void transpose(float[] src, int sOff, int T, int d, float[] dst, int dOff, int ld) {
        for (int t = 0; t < T; t++) {
            for (int c = 0; c < d; c++) dst[dOff + c * ld + t] = src[sOff + t * d + c];
        }
    }

    /** {@code dst[dOff + t*d + c] = src[sOff + c*ld + t]}: [d][T] back to [T][d]. */
    static void untranspose(float[] src, int sOff, int T, int d, int ld, float[] dst, int dOff) {
        for (int t = 0; t < T; t++) {
            for (int c = 0; c < d; c++) dst[dOff + t * d + c] = src[sOff + c * ld + t];
        }
    }

    /** Workspace offsets of the blocked kernels (see {@code LinearAttentionSpec.workspaceFloats}). */
    private static final class Layout {
        final int ld, kT, vT, dkT, dvT, buf1, buf2, rowA, rowB, rowC, lanes;

        Layout(int T, int dk, int dv) {
            ld = AttentionOps.transposedLd(T);
            kT = 0;
            vT = kT + dk * ld;
            dkT = vT + dv * ld;
            dvT = dkT + dk * ld;
            buf1 = dvT + dv * ld;
            buf2 = buf1 + BK;
            rowA = buf2 + BK;
            rowB = rowA + dk + dv;
            rowC = rowB + dk + dv;
            lanes = rowC + dk + dv;
        }
    }

    // ---------------------------------------------------------------- form 1

    @Override
    public void linearQuadratic(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk(), dv = sp.dv();
        Layout w = new Layout(T, dk, dv);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk, vb = bh * T * dv;
            transpose(k, qb, T, dk, ws, w.kT, w.ld);
            transpose(v, vb, T, dv, ws, w.vT, w.ld);
            for (int t = 0; t < T; t++) {
                int o = vb + t * dv;
                Arrays.fill(out, o, o + dv, 0f);
                int hi = sp.includeDiagonal() ? t : t - 1;
                int lo = sp.window() < 0 ? 0 : Math.max(0, t - sp.window());
                for (int j0 = lo; j0 <= hi; j0 += BK) {
                    int n = Math.min(BK, hi + 1 - j0);
                    dotsT(q, qb + t * dk, dk, ws, w.kT, w.ld, j0, n, sp.scale(), ws, w.buf1);
                    rowDotsT(ws, w.buf1, ws, w.vT, w.ld, dv, j0, n, ws, w.rowA, ws, w.lanes);
                    for (int i = 0; i < dv; i++) out[o + i] += ws[w.rowA + i];
                }
            }
        }
    }

    @Override
    public void linearQuadraticBackward(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut,
                                        float[] dq, float[] dk, float[] dv, float[] ws) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        Layout w = new Layout(T, dkw, dvw);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            transpose(k, qb, T, dkw, ws, w.kT, w.ld);
            transpose(v, vb, T, dvw, ws, w.vT, w.ld);
            Arrays.fill(ws, w.dkT, w.dvT + dvw * w.ld, 0f);
            for (int t = 0; t < T; t++) {
                int qo = qb + t * dkw, o = vb + t * dvw;
                Arrays.fill(dq, qo, qo + dkw, 0f);
                int hi = sp.includeDiagonal() ? t : t - 1;
                int lo = sp.window() < 0 ? 0 : Math.max(0, t - sp.window());
                for (int j0 = lo; j0 <= hi; j0 += BK) {
                    int n = Math.min(BK, hi + 1 - j0);
                    dotsT(q, qo, dkw, ws, w.kT, w.ld, j0, n, sp.scale(), ws, w.buf1);      // a_ts
                    dotsT(dOut, o, dvw, ws, w.vT, w.ld, j0, n, sp.scale(), ws, w.buf2);   // g_ts
                    rowDotsT(ws, w.buf2, ws, w.kT, w.ld, dkw, j0, n, ws, w.rowA, ws, w.lanes);
                    for (int c = 0; c < dkw; c++) dq[qo + c] += ws[w.rowA + c];
                    rank1T(ws, w.buf2, q, qo, dkw, ws, w.dkT, w.ld, j0, n);
                    rank1T(ws, w.buf1, dOut, o, dvw, ws, w.dvT, w.ld, j0, n);
                }
            }
            untranspose(ws, w.dkT, T, dkw, w.ld, dk, qb);
            untranspose(ws, w.dvT, T, dvw, w.ld, dv, vb);
        }
    }

    // ---------------------------------------------------------------- form 2

    @Override
    public void linearPrefix(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk(), dv = sp.dv();
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk, vb = bh * T * dv;
            Arrays.fill(ws, 0, dk * dv, 0f);
            for (int t = 0; t < T; t++) {
                if (sp.includeDiagonal()) addOuter(dk, dv, k, qb + t * dk, v, vb + t * dv, ws, 0);
                int o = vb + t * dv;
                Arrays.fill(out, o, o + dv, 0f);
                for (int c = 0; c < dk; c++) axpy(dv, q[qb + t * dk + c], ws, c * dv, out, o);
                scale(dv, sp.scale(), out, o);
                if (!sp.includeDiagonal()) addOuter(dk, dv, k, qb + t * dk, v, vb + t * dv, ws, 0);
            }
        }
    }

    private static void addOuter(int rows, int cols, float[] x, int xo, float[] y, int yo, float[] m, int mo) {
        for (int r = 0; r < rows; r++) axpy(cols, x[xo + r], y, yo, m, mo + r * cols);
    }

    private static void scale(int n, float alpha, float[] x, int off) {
        for (int i = 0; i < n; i++) x[off + i] *= alpha;
    }

    @Override
    public void linearPrefixBackward(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut,
                                     float[] dq, float[] dk, float[] dv, float[] ws) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        int sOff = 0, rOff = dkw * dvw, rtOff = 2 * dkw * dvw;
        boolean diag = sp.includeDiagonal();
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            Arrays.fill(ws, sOff, sOff + dkw * dvw, 0f);
            for (int t = 0; t < T; t++) {
                if (diag) addOuter(dvw, dkw, v, vb + t * dvw, k, qb + t * dkw, ws, sOff);
                int o = qb + t * dkw;
                Arrays.fill(dq, o, o + dkw, 0f);
                for (int i = 0; i < dvw; i++) axpy(dkw, dOut[vb + t * dvw + i], ws, sOff + i * dkw, dq, o);
                scale(dkw, sp.scale(), dq, o);
                if (!diag) addOuter(dvw, dkw, v, vb + t * dvw, k, qb + t * dkw, ws, sOff);
            }
            Arrays.fill(ws, rOff, rOff + 2 * dkw * dvw, 0f);
            for (int s = T - 1; s >= 0; s--) {
                if (diag) {
                    addOuter(dkw, dvw, q, qb + s * dkw, dOut, vb + s * dvw, ws, rOff);
                    addOuter(dvw, dkw, dOut, vb + s * dvw, q, qb + s * dkw, ws, rtOff);
                }
                int ko = qb + s * dkw, vo = vb + s * dvw;
                Arrays.fill(dk, ko, ko + dkw, 0f);
                Arrays.fill(dv, vo, vo + dvw, 0f);
                for (int i = 0; i < dvw; i++) axpy(dkw, v[vo + i], ws, rtOff + i * dkw, dk, ko);
                for (int c = 0; c < dkw; c++) axpy(dvw, k[ko + c], ws, rOff + c * dvw, dv, vo);
                scale(dkw, sp.scale(), dk, ko);
                scale(dvw, sp.scale(), dv, vo);
                if (!diag) {
                    addOuter(dkw, dvw, q, qb + s * dkw, dOut, vb + s * dvw, ws, rOff);
                    addOuter(dvw, dkw, dOut, vb + s * dvw, q, qb + s * dkw, ws, rtOff);
                }
            }
        }
    }

    // ---------------------------------------------------------------- form 4

    /** Max of buf[off..off+n), n >= 1 (max is exact, so the order is irrelevant). */
    private static float max(float[] buf, int off, int n) {
        int i = 0;
        float m = buf[off];
        if (n >= L) {
            FloatVector mv = FloatVector.fromArray(F, buf, off);
            for (i = L; i + L <= n; i += L) mv = mv.max(FloatVector.fromArray(F, buf, off + i));
            m = Lanes.max(mv);
        }
        for (; i < n; i++) m = Math.max(m, buf[off + i]);
        return m;
    }

    /** buf[i] = exp(min(buf[i] - shift, 0)) in place; returns the sum of the results (fixed order). */
    private static float expShifted(float[] buf, int off, int n, float shift, float[] tmp, int tOff) {
        FloatVector sv = FloatVector.broadcast(F, shift);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = Lanes.expNonPositive(FloatVector.fromArray(F, buf, off + i).sub(sv).min(0f));
            e.intoArray(buf, off + i);
            acc = acc.add(e);
        }
        acc.intoArray(tmp, tOff);
        float sum = sumScalar(tmp, tOff);
        for (; i < n; i++) {
            float e = ScalarMath.expNonPositive(Math.min(buf[off + i] - shift, 0f));
            buf[off + i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void softmax(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] lse, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk(), dv = sp.dv();
        Layout w = new Layout(T, dk, dv);
        if (SoftmaxWidth8.applies(sp, w.ld, w.lanes)) {
            SoftmaxWidth8.forward(sp, q, k, v, out, lse, ws, w.ld, w.kT, w.vT, w.buf1, w.lanes);
            return;
        }
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk, vb = bh * T * dv;
            transpose(k, qb, T, dk, ws, w.kT, w.ld);
            transpose(v, vb, T, dv, ws, w.vT, w.ld);
            for (int t = 0; t < T; t++) {
                int o = vb + t * dv, lo = sp.first(t), hi = sp.last(t);
                float m = 0f, l = 0f;
                // Online softmax over key blocks: the running max m only grows; when it does, the
                // sum l and the unnormalised output (in rowB) are rescaled by exp(m_old - m_new).
                for (int j0 = lo; j0 <= hi; j0 += BK) {
                    int n = Math.min(BK, hi + 1 - j0);
                    dotsT(q, qb + t * dk, dk, ws, w.kT, w.ld, j0, n, sp.scale(), ws, w.buf1);
                    float bm = max(ws, w.buf1, n);
                    if (j0 == lo) {
                        m = bm;
                        Arrays.fill(ws, w.rowB, w.rowB + dv, 0f);
                    } else if (bm > m) {
                        float corr = ScalarMath.expNonPositive(m - bm);
                        l *= corr;
                        scale(dv, corr, ws, w.rowB);
                        m = bm;
                    }
                    l += expShifted(ws, w.buf1, n, m, ws, w.lanes);
                    rowDotsT(ws, w.buf1, ws, w.vT, w.ld, dv, j0, n, ws, w.rowA, ws, w.lanes);
                    for (int i = 0; i < dv; i++) ws[w.rowB + i] += ws[w.rowA + i];
                }
                float inv = 1f / l;
                for (int i = 0; i < dv; i++) out[o + i] = ws[w.rowB + i] * inv;
                lse[bh * T + t] = m + (float) StrictMath.log(l);
            }
        }
    }

    @Override
    public void softmaxBackward(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] lse,
                                float[] dOut, float[] dq, float[] dk, float[] dv, float[] ws) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        float scale = sp.scale();
        Layout w = new Layout(T, dkw, dvw);
        if (SoftmaxWidth8.applies(sp, w.ld, w.lanes)) {
            SoftmaxWidth8.backward(sp, q, k, v, out, lse, dOut, dq, dk, dv, ws, w.ld, w.kT, w.vT, w.dkT, w.dvT,
                    w.buf1, w.buf2, w.lanes);
            return;
        }
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            transpose(k, qb, T, dkw, ws, w.kT, w.ld);
            transpose(v, vb, T, dvw, ws, w.vT, w.ld);
            Arrays.fill(ws, w.dkT, w.dvT + dvw * w.ld, 0f);
            for (int t = 0; t < T; t++) {
                int qo = qb + t * dkw, o = vb + t * dvw, lo = sp.first(t), hi = sp.last(t);
                float D = 0f;
                for (int i = 0; i < dvw; i++) D = Math.fma(dOut[o + i], out[o + i], D);
                float rowLse = lse[bh * T + t];
                FloatVector dV = FloatVector.broadcast(F, D);
                Arrays.fill(ws, w.rowB, w.rowB + dkw, 0f);
                for (int c = 0; c < dkw; c++) ws[w.rowC + c] = scale * q[qo + c];
                for (int j0 = lo; j0 <= hi; j0 += BK) {
                    int n = Math.min(BK, hi + 1 - j0);
                    dotsT(q, qo, dkw, ws, w.kT, w.ld, j0, n, scale, ws, w.buf1);
                    expShifted(ws, w.buf1, n, rowLse, ws, w.lanes);                                  // p_tj
                    dotsT(dOut, o, dvw, ws, w.vT, w.ld, j0, n, 1f, ws, w.buf2);             // dp_tj
                    int i = 0;
                    for (; i + L <= n; i += L) {                                          // ds = p (dp - D)
                        FloatVector p = FloatVector.fromArray(F, ws, w.buf1 + i);
                        p.mul(FloatVector.fromArray(F, ws, w.buf2 + i).sub(dV)).intoArray(ws, w.buf2 + i);
                    }
                    for (; i < n; i++) ws[w.buf2 + i] = ws[w.buf1 + i] * (ws[w.buf2 + i] - D);
                    rowDotsT(ws, w.buf2, ws, w.kT, w.ld, dkw, j0, n, ws, w.rowA, ws, w.lanes);
                    for (int c = 0; c < dkw; c++) ws[w.rowB + c] += ws[w.rowA + c];
                    rank1T(ws, w.buf2, ws, w.rowC, dkw, ws, w.dkT, w.ld, j0, n);
                    rank1T(ws, w.buf1, dOut, o, dvw, ws, w.dvT, w.ld, j0, n);
                }
                for (int c = 0; c < dkw; c++) dq[qo + c] = scale * ws[w.rowB + c];
            }
            untranspose(ws, w.dkT, T, dkw, w.ld, dk, qb);
            untranspose(ws, w.dvT, T, dvw, w.ld, dv, vb);
        }
    }

    @Override
    public void softmaxProbabilities(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] lse, float[] probs, float[] ws) {
        int T = sp.seqLen(), dk = sp.dk();
        Layout w = new Layout(T, dk, sp.dv());
        Arrays.fill(probs, 0, sp.probabilityFloats(), 0f);
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dk;
            transpose(k, qb, T, dk, ws, w.kT, w.ld);
            for (int t = 0; t < T; t++) {
                int row = (bh * T + t) * T, lo = sp.first(t), n = sp.last(t) + 1 - lo;
                dotsT(q, qb + t * dk, dk, ws, w.kT, w.ld, lo, n, sp.scale(), probs, row + lo);
                expShifted(probs, row + lo, n, lse[bh * T + t], ws, w.lanes);
            }
        }
    }

    // ---------------------------------------------------------------- form 3

    private static final PositionalOuter.Bands BANDS =
            VectorPositionalBands.SUPPORTED ? VectorPositionalBands.INSTANCE : PositionalOuter.SCALAR;

    @Override
    public void positional(PositionalAttentionSpec sp, float[] p, float[] a, float[] b, float[] q, float[] k, float[] v,
                           float[] out, float[] ws) {
        PositionalOuter.forward(sp, p, a, b, q, k, v, out, ws, BANDS);
    }

    @Override
    public void positionalBackward(PositionalAttentionSpec sp, float[] p, float[] a, float[] b, float[] q, float[] k,
                                   float[] v, float[] dOut, float[] dP, float[] da, float[] db,
                                   float[] dq, float[] dk, float[] dv, float[] ws) {
        PositionalOuter.backward(sp, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws, BANDS);
    }

    // ---------------------------------------------------------------- form 5

    @Override
    public void scbReadoutFromHidden(ScbReadoutSpec sp, float[] vMat, float[] h, int hOff, float[] y, float[] ws) {
        VectorScbReadout.forward(sp.batch(), sp.vocab(), vMat, h, hOff, y, ws, sp.scratchOffset());
    }

    @Override
    public void scbReadoutBackwardFromHidden(ScbReadoutSpec sp, float[] vMat, float[] h, int hOff, int[] tokens, int[] queries,
                                             float[] dy, float[] dV, float[] dA, float[] ws) {
        VectorScbReadout.backward(sp.batch(), sp.seqLen(), sp.vocab(), vMat, h, hOff, tokens, queries, dy, dV, dA, ws,
                sp.scratchOffset());
    }

    @Override
    public void scbReadoutBackwardTransposed(ScbReadoutSpec sp, float[] vMat, float[] h, int hOff, int[] tokens, int[] queries,
                                             float[] dy, float[] dV, float[] dAT, int dATOff, float[] ws) {
        VectorScbReadout.backwardTransposed(sp.batch(), sp.seqLen(), sp.vocab(), vMat, h, hOff, tokens, queries, dy, dV,
                dAT, dATOff, ws, sp.scratchOffset());
    }

    @Override
    public boolean indicesInRange(int[] idx, int n, int bound) {
        return VectorScbReadout.indicesInRange(idx, n, bound);
    }
}
