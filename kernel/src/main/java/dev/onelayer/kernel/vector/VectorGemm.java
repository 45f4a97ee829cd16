package dev.onelayer.kernel.vector;

import static dev.onelayer.kernel.vector.Lanes.F;
import static dev.onelayer.kernel.vector.Lanes.L;

import jdk.incubator.vector.FloatVector;

/**
 * GEMM {@code C = alpha op(A) op(B) + beta C} over row-major buffers with the Vector API.
 *
 * <p>When B is not transposed the rows of C and B are contiguous: a 4 x 2L register block of C
 * accumulates broadcasts of A times vectors of B (eight independent FMA chains). When B is
 * transposed its rows run along k, so each C entry is a dot product of contiguous runs.
 */
final class VectorGemm {

    private VectorGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        // An empty C may sit at the very end of its array (the facade allows offset == length),
        // so even a zero-length fill of row i > 0 would start past the end.
        if (m == 0 || n == 0) return;
        scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) return;
        if (!transB) {
            broadcastKernel(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else if (!transA) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += alpha * VectorDenseOps.dotImpl(k, a, aOff + i * lda, b, bOff + j * ldb);
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    int bj = bOff + j * ldb;
                    for (int p = 0; p < k; p++) s = Math.fma(a[aOff + p * lda + i], b[bj + p], s);
                    c[ci + j] += alpha * s;
                }
            }
        }
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, ci, ci + n, 0f);
            else for (int j = 0; j < n; j++) c[ci + j] *= beta;
        }
    }

    private static float aAt(boolean transA, float[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    private static void broadcastKernel(boolean transA, int m, int n, int k, float alpha,
                                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] c, int cOff, int ldc) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
                FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
                FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
                FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
                for (int p = 0; p < k; p++) {
                    int bp = bOff + p * ldb + j;
                    FloatVector b0 = FloatVector.fromArray(F, b, bp);
                    FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
                    FloatVector a0 = FloatVector.broadcast(F, aAt(transA, a, aOff, lda, i, p));
                    FloatVector a1 = FloatVector.broadcast(F, aAt(transA, a, aOff, lda, i + 1, p));
                    FloatVector a2 = FloatVector.broadcast(F, aAt(transA, a, aOff, lda, i + 2, p));
                    FloatVector a3 = FloatVector.broadcast(F, aAt(transA, a, aOff, lda, i + 3, p));
                    c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                    c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                    c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                    c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                }
                store(c00, alpha, c, cOff + i * ldc + j);
                store(c01, alpha, c, cOff + i * ldc + j + L);
                store(c10, alpha, c, cOff + (i + 1) * ldc + j);
                store(c11, alpha, c, cOff + (i + 1) * ldc + j + L);
                store(c20, alpha, c, cOff + (i + 2) * ldc + j);
                store(c21, alpha, c, cOff + (i + 2) * ldc + j + L);
                store(c30, alpha, c, cOff + (i + 3) * ldc + j);
                store(c31, alpha, c, cOff + (i + 3) * ldc + j + L);
            }
            for (int r = 0; r < 4; r++) rowTail(transA, i + r, j, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
        for (; i < m; i++) rowTail(transA, i, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    private static void store(FloatVector acc, float alpha, float[] c, int off) {
        acc.fma(FloatVector.broadcast(F, alpha), FloatVector.fromArray(F, c, off)).intoArray(c, off);
    }

    /** Row i of C from column j0 on: vector chunks of L, then scalar columns. */
    private static void rowTail(boolean transA, int i, int j0, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc) {
        int j = j0;
        int ci = cOff + i * ldc;
        for (; j + L <= n; j += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.broadcast(F, aAt(transA, a, aOff, lda, i, p))
                        .fma(FloatVector.fromArray(F, b, bOff + p * ldb + j), acc);
            }
            store(acc, alpha, c, ci + j);
        }
        for (; j < n; j++) {
            float s = 0f;
            for (int p = 0; p < k; p++) s = Math.fma(aAt(transA, a, aOff, lda, i, p), b[bOff + p * ldb + j], s);
            c[ci + j] = Math.fma(alpha, s, c[ci + j]);
        }
    }
}
