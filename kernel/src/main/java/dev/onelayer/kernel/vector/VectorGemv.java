package dev.onelayer.kernel.vector;

import static dev.onelayer.kernel.vector.Lanes.F;
import static dev.onelayer.kernel.vector.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Matrix-vector kernels (Level 2). They are bound by loads of A, so the point of blocking is to
 * load the other operand once per several rows of A: four rows share each x vector in
 * {@code y = A x}, and four rows share each load/store of y in {@code y = A^T x} and in
 * {@code A += x y^T}. Each row's sum still runs in a fixed order, so the bits depend only on the
 * arguments.
 */
final class VectorGemv {

    private VectorGemv() {
    }

    /** {@code y_i = alpha (A x)_i + beta y_i} with A m x n; beta == 0 does not read y. */
    static void rowsTimesX(int m, int n, float alpha, float[] a, int aOff, int lda,
                           float[] x, int xOff, float beta, float[] y, int yOff) {
        int i = 0;
        int nv = n - (n % (2 * L));
        float[] lanes = GemmWorkspace.scratch();
        for (; i + 4 <= m; i += 4) {
            int r0 = aOff + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            // Two accumulators per row: 8 independent FMA chains, 5 loads per 4 FMAs.
            FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F);
            FloatVector s10 = FloatVector.zero(F), s11 = FloatVector.zero(F);
            FloatVector s20 = FloatVector.zero(F), s21 = FloatVector.zero(F);
            FloatVector s30 = FloatVector.zero(F), s31 = FloatVector.zero(F);
            for (int j = 0; j < nv; j += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(F, x, xOff + j);
                FloatVector x1 = FloatVector.fromArray(F, x, xOff + j + L);
                s00 = FloatVector.fromArray(F, a, r0 + j).fma(x0, s00);
                s01 = FloatVector.fromArray(F, a, r0 + j + L).fma(x1, s01);
                s10 = FloatVector.fromArray(F, a, r1 + j).fma(x0, s10);
                s11 = FloatVector.fromArray(F, a, r1 + j + L).fma(x1, s11);
                s20 = FloatVector.fromArray(F, a, r2 + j).fma(x0, s20);
                s21 = FloatVector.fromArray(F, a, r2 + j + L).fma(x1, s21);
                s30 = FloatVector.fromArray(F, a, r3 + j).fma(x0, s30);
                s31 = FloatVector.fromArray(F, a, r3 + j + L).fma(x1, s31);
            }
            // Lanes go through a scratch array and are summed left to right: four Lanes.sum
            // calls here exceeded C2's inlining budget and boxed a vector per block.
            s00.add(s01).intoArray(lanes, 0);
            s10.add(s11).intoArray(lanes, L);
            s20.add(s21).intoArray(lanes, 2 * L);
            s30.add(s31).intoArray(lanes, 3 * L);
            float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
            for (int l = 0; l < L; l++) {
                t0 += lanes[l];
                t1 += lanes[L + l];
                t2 += lanes[2 * L + l];
                t3 += lanes[3 * L + l];
            }
            for (int j = nv; j < n; j++) {
                float xj = x[xOff + j];
                t0 = Math.fma(a[r0 + j], xj, t0);
                t1 = Math.fma(a[r1 + j], xj, t1);
                t2 = Math.fma(a[r2 + j], xj, t2);
                t3 = Math.fma(a[r3 + j], xj, t3);
            }
            y[yOff + i] = combine(alpha, t0, beta, y, yOff + i);
            y[yOff + i + 1] = combine(alpha, t1, beta, y, yOff + i + 1);
            y[yOff + i + 2] = combine(alpha, t2, beta, y, yOff + i + 2);
            y[yOff + i + 3] = combine(alpha, t3, beta, y, yOff + i + 3);
        }
        for (; i < m; i++) {
            int r0 = aOff + i * lda;
            FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F);
            for (int j = 0; j < nv; j += 2 * L) {
                s00 = FloatVector.fromArray(F, a, r0 + j).fma(FloatVector.fromArray(F, x, xOff + j), s00);
                s01 = FloatVector.fromArray(F, a, r0 + j + L).fma(FloatVector.fromArray(F, x, xOff + j + L), s01);
            }
            float t0 = Lanes.sum(s00.add(s01));
            for (int j = nv; j < n; j++) t0 = Math.fma(a[r0 + j], x[xOff + j], t0);
            y[yOff + i] = combine(alpha, t0, beta, y, yOff + i);
        }
    }

    /**
     * {@code y_i = sum_j max(A_ij, 0) x_j}: {@link #rowsTimesX} with the ReLU applied to each
     * loaded vector of A (one max per FMA), so ReLU(A) is never stored and A is read once.
     */
    static void reluRowsTimesX(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        int nv = n - (n % (2 * L));
        float[] lanes = GemmWorkspace.scratch();
        for (; i + 4 <= m; i += 4) {
            int r0 = aOff + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F);
            FloatVector s10 = FloatVector.zero(F), s11 = FloatVector.zero(F);
            FloatVector s20 = FloatVector.zero(F), s21 = FloatVector.zero(F);
            FloatVector s30 = FloatVector.zero(F), s31 = FloatVector.zero(F);
            for (int j = 0; j < nv; j += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(F, x, xOff + j);
                FloatVector x1 = FloatVector.fromArray(F, x, xOff + j + L);
                s00 = FloatVector.fromArray(F, a, r0 + j).max(0f).fma(x0, s00);
                s01 = FloatVector.fromArray(F, a, r0 + j + L).max(0f).fma(x1, s01);
                s10 = FloatVector.fromArray(F, a, r1 + j).max(0f).fma(x0, s10);
                s11 = FloatVector.fromArray(F, a, r1 + j + L).max(0f).fma(x1, s11);
                s20 = FloatVector.fromArray(F, a, r2 + j).max(0f).fma(x0, s20);
                s21 = FloatVector.fromArray(F, a, r2 + j + L).max(0f).fma(x1, s21);
                s30 = FloatVector.fromArray(F, a, r3 + j).max(0f).fma(x0, s30);
                s31 = FloatVector.fromArray(F, a, r3 + j + L).max(0f).fma(x1, s31);
            }
            // Lanes summed left to right through the scratch array (see rowsTimesX).
            s00.add(s01).intoArray(lanes, 0);
            s10.add(s11).intoArray(lanes, L);
            s20.add(s21).intoArray(lanes, 2 * L);
            s30.add(s31).intoArray(lanes, 3 * L);
            float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
            for (int l = 0; l < L; l++) {
                t0 += lanes[l];
                t1 += lanes[L + l];
                t2 += lanes[2 * L + l];
                t3 += lanes[3 * L + l];
            }
            for (int j = nv; j < n; j++) {
                float xj = x[xOff + j];
                t0 = Math.fma(Math.max(a[r0 + j], 0f), xj, t0);
                t1 = Math.fma(Math.max(a[r1 + j], 0f), xj, t1);
                t2 = Math.fma(Math.max(a[r2 + j], 0f), xj, t2);
                t3 = Math.fma(Math.max(a[r3 + j], 0f), xj, t3);
            }
            y[yOff + i] = t0;
            y[yOff + i + 1] = t1;
            y[yOff + i + 2] = t2;
            y[yOff + i + 3] = t3;
        }
        for (; i < m; i++) {
            int r0 = aOff + i * lda;
            FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F);
            for (int j = 0; j < nv; j += 2 * L) {
                s00 = FloatVector.fromArray(F, a, r0 + j).max(0f).fma(FloatVector.fromArray(F, x, xOff + j), s00);
                s01 = FloatVector.fromArray(F, a, r0 + j + L).max(0f).fma(FloatVector.fromArray(F, x, xOff + j + L), s01);
            }
            // Left to right like the four-row blocks, so every row's bits match reluRowsTimesXGate.
            s00.add(s01).intoArray(lanes, 0);
            float t0 = 0f;
            for (int l = 0; l < L; l++) t0 += lanes[l];
            for (int j = nv; j < n; j++) t0 = Math.fma(Math.max(a[r0 + j], 0f), x[xOff + j], t0);
            y[yOff + i] = t0;
        }
    }

    /**
     * {@link #reluRowsTimesX} (same accumulation order, same bits for y) that also stores the
     * gate {@code g_ij = x_j [a_ij > 0]} while each vector of A is in a register. One row at a
     * time (two FMA chains): the compare, blend and store per FMA, not the FMA latency, bound it.
     * G may be A in place: each vector of A is loaded before the gate is stored over it.
     */
    static void reluRowsTimesXGate(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff,
                                   float[] g, int gOff, int ldg) {
        int nv = n - (n % (2 * L));
        float[] lanes = GemmWorkspace.scratch();
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < m; i++) {
            int r0 = aOff + i * lda, g0 = gOff + i * ldg;
            FloatVector s00 = zero, s01 = zero;
            for (int j = 0; j < nv; j += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(F, x, xOff + j);
                FloatVector x1 = FloatVector.fromArray(F, x, xOff + j + L);
                FloatVector a0 = FloatVector.fromArray(F, a, r0 + j);
                FloatVector a1 = FloatVector.fromArray(F, a, r0 + j + L);
                zero.blend(x0, a0.compare(VectorOperators.GT, 0f)).intoArray(g, g0 + j);
                zero.blend(x1, a1.compare(VectorOperators.GT, 0f)).intoArray(g, g0 + j + L);
                s00 = a0.max(0f).fma(x0, s00);
                s01 = a1.max(0f).fma(x1, s01);
            }
            s00.add(s01).intoArray(lanes, 0);
            float t0 = 0f;
            for (int l = 0; l < L; l++) t0 += lanes[l];
            for (int j = nv; j < n; j++) {
                float aj = a[r0 + j];
                t0 = Math.fma(Math.max(aj, 0f), x[xOff + j], t0);
                g[g0 + j] = aj > 0f ? x[xOff + j] : 0f;
            }
            y[yOff + i] = t0;
        }
    }

    private static float combine(float alpha, float s, float beta, float[] y, int at) {
        return beta == 0f ? alpha * s : Math.fma(alpha, s, beta * y[at]);
    }

    /** {@code y = alpha A^T x + beta y} with A m x n, x of length m, y of length n. */
    static void xTimesRows(int m, int n, float alpha, float[] a, int aOff, int lda,
                           float[] x, int xOff, float beta, float[] y, int yOff) {
        if (beta == 0f) java.util.Arrays.fill(y, yOff, yOff + n, 0f);
        else if (beta != 1f) for (int j = 0; j < n; j++) y[yOff + j] *= beta;
        if (alpha == 0f) return;
        int nv = F.loopBound(n);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = aOff + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            float x0 = alpha * x[xOff + i], x1 = alpha * x[xOff + i + 1];
            float x2 = alpha * x[xOff + i + 2], x3 = alpha * x[xOff + i + 3];
            FloatVector v0 = FloatVector.broadcast(F, x0), v1 = FloatVector.broadcast(F, x1);
            FloatVector v2 = FloatVector.broadcast(F, x2), v3 = FloatVector.broadcast(F, x3);
            // y_j gets the four rows in order i, i+1, i+2, i+3 (same order as row by row).
            for (int j = 0; j < nv; j += L) {
                FloatVector acc = FloatVector.fromArray(F, y, yOff + j);
                acc = FloatVector.fromArray(F, a, r0 + j).fma(v0, acc);
                acc = FloatVector.fromArray(F, a, r1 + j).fma(v1, acc);
                acc = FloatVector.fromArray(F, a, r2 + j).fma(v2, acc);
                acc = FloatVector.fromArray(F, a, r3 + j).fma(v3, acc);
                acc.intoArray(y, yOff + j);
            }
            for (int j = nv; j < n; j++) {
                float acc = y[yOff + j];
                acc = Math.fma(a[r0 + j], x0, acc);
                acc = Math.fma(a[r1 + j], x1, acc);
                acc = Math.fma(a[r2 + j], x2, acc);
                acc = Math.fma(a[r3 + j], x3, acc);
                y[yOff + j] = acc;
            }
        }
        for (; i < m; i++) VectorDenseOps.axpyImpl(n, alpha * x[xOff + i], a, aOff + i * lda, y, yOff);
    }

    /** {@code A += alpha x y^T}: each row of A is an axpy with y; two rows share each y load. */
    static void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff,
                    float[] a, int aOff, int lda) {
        int nv = F.loopBound(n);
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int r0 = aOff + i * lda, r1 = r0 + lda;
            float x0 = alpha * x[xOff + i], x1 = alpha * x[xOff + i + 1];
            FloatVector v0 = FloatVector.broadcast(F, x0), v1 = FloatVector.broadcast(F, x1);
            for (int j = 0; j < nv; j += L) {
                FloatVector yj = FloatVector.fromArray(F, y, yOff + j);
                yj.fma(v0, FloatVector.fromArray(F, a, r0 + j)).intoArray(a, r0 + j);
                yj.fma(v1, FloatVector.fromArray(F, a, r1 + j)).intoArray(a, r1 + j);
            }
            for (int j = nv; j < n; j++) {
                a[r0 + j] = Math.fma(y[yOff + j], x0, a[r0 + j]);
                a[r1 + j] = Math.fma(y[yOff + j], x1, a[r1 + j]);
            }
        }
        for (; i < m; i++) VectorDenseOps.axpyImpl(n, alpha * x[xOff + i], y, yOff, a, aOff + i * lda);
    }
}
