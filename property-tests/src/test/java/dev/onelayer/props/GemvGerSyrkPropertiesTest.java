package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * gemv (both orientations), the fused reluGemv and reluGemvGate, ger and syrk (both) against float64 references on every
 * implementation, with padded views (offsets, ld larger than the column count) and sentinels
 * around every output.
 */
class GemvGerSyrkPropertiesTest {

    /** Matrix dims up to 200 (one case in eight up to 400), a row pad, three offsets. */
    private static int[] dims(Gen g) {
        int max = g.nextInt(8) == 0 ? 400 : 200;
        return new int[] {g.dim(max), g.dim(max), GemmCase.pad(g), g.dim(5), g.dim(5), g.dim(5)};
    }

    /**
     * {@code y = alpha op(A) x + beta y}: each y_i is a length-(n or m) accumulation plus three
     * extra roundings (alpha, beta, the add), bounded over {@code |alpha| sum|a x| + |beta y|};
     * beta == 0 ignores NaN in y.
     */
    @Test
    void gemvMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean trans : new boolean[] {false, true}) {
                Harness.forAll("gemv" + (trans ? "T" : "N") + "/" + ops.name(), GemvGerSyrkPropertiesTest::dims, (d, g) -> {
                    int m = d[0], n = d[1], lda = n + d[2], aOff = d[3], xOff = d[4], yOff = d[5];
                    int xLen = trans ? m : n, yLen = trans ? n : m;
                    float alpha = g.coefficient(), beta = g.coefficient();
                    float[] a = Buffers.matrix(g, g.dist(), aOff, m, n, lda, g.dim(3));
                    float[] x = Buffers.vector(g, g.dist(), xOff, xLen, g.dim(3));
                    float[] y0 = Buffers.vector(g, g.dist(), yOff, yLen, g.dim(3));
                    if (beta == 0f) java.util.Arrays.fill(y0, yOff, yOff + yLen, Float.NaN);
                    float[] aBefore = a.clone(), xBefore = x.clone(), y = y0.clone();
                    ops.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
                    String what = "gemv" + (trans ? "T" : "N") + " m=" + m + " n=" + n + " alpha=" + alpha + " beta=" + beta;
                    for (int i = 0; i < yLen; i++) {
                        double s = 0, abs = 0;
                        for (int p = 0; p < xLen; p++) {
                            double prod = (double) (trans ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * x[xOff + p];
                            s += prod;
                            abs += Math.abs(prod);
                        }
                        double by = beta == 0f ? 0 : (double) beta * y0[yOff + i];
                        double ref = alpha * s + by;
                        Tolerance.check(what + " y[" + i + "]", y[yOff + i], ref,
                                Tolerance.sumBound(xLen, 3, Math.abs(alpha) * abs + Math.abs(by)));
                    }
                    Buffers.assertOnlyViewChanged(what + " y", y0, y, yOff, 1, yLen, yLen);
                    Buffers.assertUnchanged(what + " A", aBefore, a);
                    Buffers.assertUnchanged(what + " x", xBefore, x);
                    float[] again = y0.clone();
                    ops.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, again, yOff);
                    Buffers.assertSameBits(what + " twice", y, again);
                });
            }
        }
    }

    /**
     * {@code y_i = sum_j max(a_ij, 0) x_j}: the ReLU is exact (max), so each y_i is a length-n
     * dot product: n roundings on the scalar path (product, then sum), at most n/(2L) + 1 + L
     * on the vector path's lane-split FMA chains (within n once the vector body runs, n >= 2L),
     * plus one for slack, over {@code sum_j |max(a_ij, 0) x_j|}. y's NaN sentinels must be
     * overwritten (y is not read).
     */
    @Test
    void reluGemvMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("reluGemv/" + ops.name(), GemvGerSyrkPropertiesTest::dims, (d, g) -> {
                int m = d[0], n = d[1], lda = n + d[2], aOff = d[3], xOff = d[4], yOff = d[5];
                float[] a = Buffers.matrix(g, g.dist(), aOff, m, n, lda, g.dim(3));
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                float[] y0 = Buffers.vector(g, g.dist(), yOff, m, g.dim(3));
                java.util.Arrays.fill(y0, yOff, yOff + m, Float.NaN);
                float[] aBefore = a.clone(), xBefore = x.clone(), y = y0.clone();
                ops.reluGemv(m, n, a, aOff, lda, x, xOff, y, yOff);
                String what = "reluGemv m=" + m + " n=" + n;
                for (int i = 0; i < m; i++) {
                    double s = 0, abs = 0;
                    for (int p = 0; p < n; p++) {
                        double prod = Math.max((double) a[aOff + i * lda + p], 0) * x[xOff + p];
                        s += prod;
                        abs += Math.abs(prod);
                    }
                    Tolerance.check(what + " y[" + i + "]", y[yOff + i], s, Tolerance.sumBound(n, 1, abs));
                }
                Buffers.assertOnlyViewChanged(what + " y", y0, y, yOff, 1, m, m);
                Buffers.assertUnchanged(what + " A", aBefore, a);
                Buffers.assertUnchanged(what + " x", xBefore, x);
                float[] again = y0.clone();
                ops.reluGemv(m, n, a, aOff, lda, x, xOff, again, yOff);
                Buffers.assertSameBits(what + " twice", y, again);
            });
        }
    }

    /**
     * reluGemvGate: y bit for bit as reluGemv (checked against float64 there), and the gate
     * {@code g_ij = x_j [a_ij > 0]} exactly, written into a separate padded G or over A in place.
     */
    @Test
    void reluGemvGateMatchesReluGemvAndExactGate() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean inPlace : new boolean[] {false, true}) {
                Harness.forAll("reluGemvGate" + (inPlace ? "InPlace" : "") + "/" + ops.name(),
                        g -> new int[] {g.dim(200), g.dim(300), GemmCase.pad(g), GemmCase.pad(g), g.dim(5), g.dim(5), g.dim(5), g.dim(5)}, (d, g) -> {
                    int m = d[0], n = d[1], lda = n + d[2], aOff = d[4], xOff = d[5], yOff = d[6];
                    int ldg = inPlace ? lda : n + d[3], gOff = inPlace ? aOff : d[7];
                    float[] a = Buffers.matrix(g, g.dist(), aOff, m, n, lda, g.dim(3));
                    float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                    float[] y0 = Buffers.vector(g, g.dist(), yOff, m, g.dim(3));
                    java.util.Arrays.fill(y0, yOff, yOff + m, Float.NaN);
                    float[] gm = inPlace ? a : Buffers.matrix(g, g.dist(), gOff, m, n, ldg, g.dim(3));
                    float[] aBefore = a.clone(), xBefore = x.clone(), gBefore = gm.clone(), y = y0.clone(), yRef = y0.clone();
                    ops.reluGemv(m, n, aBefore, aOff, lda, x, xOff, yRef, yOff);
                    ops.reluGemvGate(m, n, a, aOff, lda, x, xOff, y, yOff, gm, gOff, ldg);
                    String what = "reluGemvGate" + (inPlace ? " in place" : "") + " m=" + m + " n=" + n;
                    Buffers.assertSameBits(what + " y vs reluGemv", yRef, y);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float want = aBefore[aOff + i * lda + j] > 0f ? x[xOff + j] : 0f;
                            float got = gm[gOff + i * ldg + j];
                            if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want)) {
                                throw new AssertionError(what + " G[" + i + "," + j + "] = " + got + ", want " + want);
                            }
                        }
                    }
                    Buffers.assertOnlyViewChanged(what + " G", gBefore, gm, gOff, m, n, ldg);
                    if (!inPlace) Buffers.assertUnchanged(what + " A", aBefore, a);
                    Buffers.assertUnchanged(what + " x", xBefore, x);
                });
            }
        }
    }

    /**
     * {@code A += alpha x y^T}: each entry is {@code fl(fl(alpha x_i) y_j + a_ij)} or with an FMA,
     * at most three roundings over {@code |a| + |alpha x y|}.
     */
    @Test
    void gerMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("ger/" + ops.name(), GemvGerSyrkPropertiesTest::dims, (d, g) -> {
                int m = d[0], n = d[1], lda = n + d[2], aOff = d[3], xOff = d[4], yOff = d[5];
                float alpha = g.coefficient();
                float[] x = Buffers.vector(g, g.dist(), xOff, m, g.dim(3));
                float[] y = Buffers.vector(g, g.dist(), yOff, n, g.dim(3));
                float[] a0 = Buffers.matrix(g, g.dist(), aOff, m, n, lda, g.dim(3));
                float[] a = a0.clone(), xBefore = x.clone(), yBefore = y.clone();
                ops.ger(m, n, alpha, x, xOff, y, yOff, a, aOff, lda);
                String what = "ger m=" + m + " n=" + n + " alpha=" + alpha;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double old = a0[aOff + i * lda + j], upd = (double) alpha * x[xOff + i] * y[yOff + j];
                        Tolerance.check(what + " A[" + i + "," + j + "]", a[aOff + i * lda + j], old + upd,
                                Tolerance.sumBound(0, 3, Math.abs(old) + Math.abs(upd)));
                    }
                }
                Buffers.assertOnlyViewChanged(what + " A", a0, a, aOff, m, n, lda);
                Buffers.assertUnchanged(what + " x", xBefore, x);
                Buffers.assertUnchanged(what + " y", yBefore, y);
            });
        }
    }

    /**
     * {@code C = alpha A A^T + beta C} ({@code A^T A} when trans), both triangles: each entry a
     * k-term accumulation plus three roundings, as GEMM; and C symmetric within twice that bound
     * (the two triangles may sum the same products in different orders).
     */
    @Test
    void syrkMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean trans : new boolean[] {false, true}) {
                Harness.forAll("syrk" + (trans ? "T" : "N") + "/" + ops.name(), GemmCase::dims, (d, g) -> {
                    int n = d[0], k = d[2];
                    int aRows = trans ? k : n, aCols = trans ? n : k;
                    int lda = aCols + d[3], ldc = n + d[5], aOff = d[6], cOff = d[8];
                    float alpha = g.coefficient(), beta = g.coefficient();
                    float[] a = Buffers.matrix(g, g.dist(), aOff, aRows, aCols, lda, g.dim(3));
                    float[] c0 = Buffers.matrix(g, g.dist(), cOff, n, n, ldc, g.dim(3));
                    if (beta == 0f) {
                        for (int i = 0; i < n; i++) java.util.Arrays.fill(c0, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
                    }
                    float[] c = c0.clone(), aBefore = a.clone();
                    ops.syrk(trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
                    String what = "syrk" + (trans ? "T" : "N") + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0, abs = 0;
                            for (int p = 0; p < k; p++) {
                                double prod = trans
                                        ? (double) a[aOff + p * lda + i] * a[aOff + p * lda + j]
                                        : (double) a[aOff + i * lda + p] * a[aOff + j * lda + p];
                                s += prod;
                                abs += Math.abs(prod);
                            }
                            double bc = beta == 0f ? 0 : (double) beta * c0[cOff + i * ldc + j];
                            double bound = Tolerance.sumBound(k, 3, Math.abs(alpha) * abs + Math.abs(bc));
                            Tolerance.check(what + " C[" + i + "," + j + "]", c[cOff + i * ldc + j], alpha * s + bc, bound);
                            if (beta == 0f) {
                                Tolerance.check(what + " symmetry C[" + i + "," + j + "]", c[cOff + i * ldc + j],
                                        c[cOff + j * ldc + i], 2 * bound);
                            }
                        }
                    }
                    Buffers.assertOnlyViewChanged(what + " C", c0, c, cOff, n, n, ldc);
                    Buffers.assertUnchanged(what + " A", aBefore, a);
                });
            }
        }
    }
}
