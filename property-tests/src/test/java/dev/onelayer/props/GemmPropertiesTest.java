package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * GEMM {@code C = alpha op(A) op(B) + beta C} on every implementation and all four transpose
 * combinations: against the float64 reference with the ARCHITECTURE.md bound, and the algebra a
 * caller relies on (transposition identity, linearity in alpha and beta, exact power-of-two
 * scaling, determinism).
 */
class GemmPropertiesTest {

    private static final boolean[][] COMBOS = {{false, false}, {false, true}, {true, false}, {true, true}};

    private static String tag(boolean transA, boolean transB) {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    /**
     * Every element within {@code sumBound(k, 3, |alpha| sum|a b| + |beta c|)}; beta == 0 ignores
     * NaN/inf in C; nothing outside C's view and no input is written; a second call gives the
     * same bits.
     */
    @Test
    void gemmMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean[] t : COMBOS) {
                Harness.forAll("gemm" + tag(t[0], t[1]) + "/" + ops.name(), GemmCase::dims, (d, g) -> {
                    GemmCase gc = new GemmCase(d, g, t[0], t[1]);
                    float[] aBefore = gc.a.clone(), bBefore = gc.b.clone();
                    float[] c = gc.run(ops);
                    gc.checkAgainstReference(gc.toString(), c);
                    Buffers.assertUnchanged(gc + " A", aBefore, gc.a);
                    Buffers.assertUnchanged(gc + " B", bBefore, gc.b);
                    Buffers.assertSameBits(gc + " twice", c, gc.run(ops));
                });
            }
        }
    }

    /**
     * {@code (op(A) op(B))^T = op(B)^T op(A)^T}: the second product, computed by swapping the
     * operands and flipping both transpose flags, is the transpose of the first within the sum of
     * their bounds (both bound the same products, summed in possibly different orders).
     */
    @Test
    void gemmTranspositionIdentity() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean[] t : COMBOS) {
                Harness.forAll("gemmTranspose" + tag(t[0], t[1]) + "/" + ops.name(), GemmCase::smallDims, (d, g) -> {
                    GemmCase gc = new GemmCase(d, g, t[0], t[1], g.coefficient(), 0f);
                    float[] c = gc.run(ops);
                    int m = gc.m, n = gc.n, k = gc.k, ldt = m + d[5];
                    float[] ct = new float[Buffers.length(0, n, m, ldt)];
                    java.util.Arrays.fill(ct, Float.NaN);
                    ops.gemm(!t[1], !t[0], n, m, k, gc.alpha, gc.b, gc.bOff, gc.ldb, gc.a, gc.aOff, gc.lda,
                            0f, ct, 0, ldt);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            Tolerance.check(gc + " (AB)^T[" + j + "," + i + "]", ct[j * ldt + i], gc.got(c, i, j),
                                    2 * gc.bound(i, j));
                        }
                    }
                });
            }
        }
    }

    /**
     * {@code C(alpha1 + alpha2) = C(alpha1) + C(alpha2)} (beta = 0) within the sum of the three
     * bounds; the alphas are multiples of 1/8 in [-2, 2], so alpha1 + alpha2 is exact in float.
     */
    @Test
    void gemmIsLinearInAlpha() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean[] t : COMBOS) {
                Harness.forAll("gemmAlpha" + tag(t[0], t[1]) + "/" + ops.name(), GemmCase::smallDims, (d, g) -> {
                    float a1 = (g.nextInt(33) - 16) / 8f, a2 = (g.nextInt(33) - 16) / 8f;
                    GemmCase g1 = new GemmCase(d, g, t[0], t[1], a1, 0f);
                    GemmCase g2 = withCoefficients(g1, a2, 0f), g12 = withCoefficients(g1, a1 + a2, 0f);
                    float[] c1 = g1.run(ops), c2 = g2.run(ops), c12 = g12.run(ops);
                    for (int i = 0; i < g1.m; i++) {
                        for (int j = 0; j < g1.n; j++) {
                            double sum = (double) g1.got(c1, i, j) + g2.got(c2, i, j);
                            double bound = g1.bound(i, j) + g2.bound(i, j) + g12.bound(i, j);
                            Tolerance.check(g12 + " linearity [" + i + "," + j + "]", g12.got(c12, i, j), sum, bound);
                        }
                    }
                });
            }
        }
    }

    /**
     * {@code C(alpha, beta, C0) = C(alpha, 0) + beta C0} within the two bounds: the old C enters
     * linearly and only through beta.
     */
    @Test
    void gemmIsLinearInBeta() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean[] t : COMBOS) {
                Harness.forAll("gemmBeta" + tag(t[0], t[1]) + "/" + ops.name(), GemmCase::smallDims, (d, g) -> {
                    float beta = g.coefficient();
                    if (beta == 0f) beta = 0.5f;
                    GemmCase full = new GemmCase(d, g, t[0], t[1], g.coefficient(), beta);
                    GemmCase noC = withCoefficients(full, full.alpha, 0f);
                    float[] cFull = full.run(ops), cNoC = noC.run(ops);
                    for (int i = 0; i < full.m; i++) {
                        for (int j = 0; j < full.n; j++) {
                            double expected = (double) noC.got(cNoC, i, j) + (double) beta * full.cIn(i, j);
                            Tolerance.check(full + " beta-linearity [" + i + "," + j + "]", full.got(cFull, i, j),
                                    expected, full.bound(i, j) + noC.bound(i, j));
                        }
                    }
                });
            }
        }
    }

    /**
     * Scaling alpha by {@code 2^s} scales every output by exactly {@code 2^s} (beta = 0): binary
     * floating point is invariant under power-of-two scaling away from overflow and underflow, and
     * the generated magnitudes (at most 2^+-40 per product, s in [0, 3]) stay far from both.
     */
    @Test
    void gemmPowerOfTwoAlphaScalesExactly() {
        for (DenseOps ops : Impls.dense()) {
            for (boolean[] t : COMBOS) {
                Harness.forAll("gemmPow2" + tag(t[0], t[1]) + "/" + ops.name(), GemmCase::smallDims, (d, g) -> {
                    float scale = 1 << g.nextInt(4);
                    GemmCase one = new GemmCase(d, g, t[0], t[1], 1f, 0f);
                    GemmCase scaled = withCoefficients(one, scale, 0f);
                    float[] c1 = one.run(ops), cs = scaled.run(ops);
                    for (int i = 0; i < one.m; i++) {
                        for (int j = 0; j < one.n; j++) {
                            float want = scale * one.got(c1, i, j), got = scaled.got(cs, i, j);
                            if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got)) {
                                throw new AssertionError(scaled + " [" + i + "," + j + "]: " + got + " != "
                                        + scale + " * " + one.got(c1, i, j));
                            }
                        }
                    }
                });
            }
        }
    }

    /** The same operands with other coefficients (C0 regenerated the same way for beta == 0). */
    private static GemmCase withCoefficients(GemmCase gc, float alpha, float beta) {
        return new GemmCase(gc, alpha, beta);
    }
}
