package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.kernel.ScalarDenseOps;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * The element-wise optimiser updates: {@code axpyWide} (a float64 step on float parameters) and
 * float32 Adam, against float64 references on every implementation, lengths including 0, 1 and
 * non-multiples of the vector width. Both are specified entry by entry as one fixed expression, so
 * every implementation must also give the scalar one's bits.
 */
class OptimizerUpdatePropertiesTest {

    private static int[] dims(Gen g) {
        return new int[] {g.dim(700), g.dim(5), g.dim(5)};
    }

    /** {@code y = (float) (y + alpha x)}: the float64 expression rounded once, so bit-exact; also with y = x. */
    @Test
    void axpyWideIsTheFloat64ExpressionRoundedOnce() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("axpyWide/" + ops.name(), OptimizerUpdatePropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1], yOff = d[2];
                double alpha = g.nextBoolean() ? g.coefficient() : (g.nextDouble() - 0.5) * Math.pow(10, -g.nextInt(10));
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                float[] y0 = Buffers.vector(g, g.dist(), yOff, n, g.dim(3));
                float[] y = y0.clone(), xBefore = x.clone();
                ops.axpyWide(n, alpha, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) {
                    float want = (float) (y0[yOff + i] + alpha * x[xOff + i]);
                    exact("axpyWide n=" + n + " alpha=" + alpha + " y[" + i + "]", y[yOff + i], want);
                }
                Buffers.assertOnlyViewChanged("axpyWide y", y0, y, yOff, 1, n, n);
                Buffers.assertUnchanged("axpyWide x", xBefore, x);
                float[] self = y0.clone();
                ops.axpyWide(n, alpha, self, yOff, self, yOff);
                for (int i = 0; i < n; i++) {
                    exact("axpyWide aliased y[" + i + "]", self[yOff + i], (float) (y0[yOff + i] + alpha * y0[yOff + i]));
                }
            });
        }
    }

    /**
     * One Adam step against float64 Adam with the same float constants. Bounds, per entry, from the
     * roundings of the specified expression (u = 2^-24): m gets two ({@code c1 g}, the fma), v three
     * ({@code g g}, {@code c2 (.)}, the fma); sqrt, the denominator's fma, the product, the
     * quotient and the final subtraction one each, with the moments' errors carried through to first
     * order (doubled for the second-order terms); |sqrt(a) - sqrt(b)| <= sqrt(|a - b|) where v is near 0.
     */
    @Test
    void adamMatchesFloat64Reference() {
        ScalarDenseOps scalar = new ScalarDenseOps();
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("adam/" + ops.name(), g -> new int[] {g.dim(700), g.dim(5)}, (d, g) -> {
                int n = d[0], off = d[1], len = off + n + 3;
                float beta1 = g.nextBoolean() ? 0.9f : (float) g.nextDouble(), beta2 = g.nextBoolean() ? 0.999f : (float) g.nextDouble();
                float stepSize = (float) (0.1 * g.nextDouble()), invSqrtBc2 = (float) (1 + 30 * g.nextDouble());
                float eps = g.nextBoolean() ? 1e-8f : (float) (1e-3 * g.nextDouble());
                float[] w0 = new float[len], gr = new float[len], m0 = new float[len], v0 = new float[len];
                for (int i = 0; i < len; i++) {
                    w0[i] = g.value(Gen.Dist.NORMAL);
                    gr[i] = g.value(g.nextBoolean() ? Gen.Dist.UNIFORM : Gen.Dist.SPARSE);
                    m0[i] = 0.1f * g.value(Gen.Dist.UNIFORM);
                    float s = g.value(Gen.Dist.UNIFORM);
                    v0[i] = g.nextInt(4) == 0 ? 0f : s * s;
                }
                float[] w = w0.clone(), m = m0.clone(), v = v0.clone();
                ops.adam(n, w, off, gr, off, m, off, v, off, beta1, beta2, stepSize, invSqrtBc2, eps);
                double u = Tolerance.U, c1 = 1f - beta1, c2 = 1f - beta2;
                for (int i = off; i < off + n; i++) {
                    double gi = gr[i];
                    double mRef = beta1 * (double) m0[i] + c1 * gi, vRef = beta2 * (double) v0[i] + c2 * gi * gi;
                    double dm = 2 * u * (Math.abs(beta1 * (double) m0[i]) + Math.abs(c1 * gi)) + Tolerance.TINY;
                    double dv = 3 * u * (Math.abs(beta2 * (double) v0[i]) + c2 * gi * gi) + Tolerance.TINY;
                    double sq = Math.sqrt(vRef), den = sq * invSqrtBc2 + eps, upd = stepSize * mRef / den;
                    double dSq = Math.min(sq > 0 ? dv / (2 * sq) : Double.POSITIVE_INFINITY, Math.sqrt(dv)) + u * sq;
                    double dDen = invSqrtBc2 * dSq + u * den;
                    double dUpd = 2 * (stepSize * dm / den + Math.abs(upd) * dDen / den) + 2 * u * Math.abs(upd);
                    double wRef = w0[i] - upd;
                    String at = "adam n=" + n + " beta=(" + beta1 + ", " + beta2 + ") entry " + i;
                    Tolerance.check(at + " m", m[i], mRef, dm);
                    Tolerance.check(at + " v", v[i], vRef, dv);
                    Tolerance.check(at + " w", w[i], wRef, dUpd + u * Math.abs(wRef) + Tolerance.TINY);
                }
                Buffers.assertOnlyViewChanged("adam w", w0, w, off, 1, n, n);
                Buffers.assertOnlyViewChanged("adam m", m0, m, off, 1, n, n);
                Buffers.assertOnlyViewChanged("adam v", v0, v, off, 1, n, n);
                float[] ws = w0.clone(), ms = m0.clone(), vs = v0.clone();
                scalar.adam(n, ws, off, gr, off, ms, off, vs, off, beta1, beta2, stepSize, invSqrtBc2, eps);
                for (int i = 0; i < len; i++) {
                    exact("adam w vs scalar [" + i + "]", w[i], ws[i]);
                    exact("adam m vs scalar [" + i + "]", m[i], ms[i]);
                    exact("adam v vs scalar [" + i + "]", v[i], vs[i]);
                }
            });
        }
    }

    private static void exact(String what, float got, float want) {
        if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want)) {
            throw new AssertionError(what + ": got " + got + ", want " + want);
        }
    }
}
