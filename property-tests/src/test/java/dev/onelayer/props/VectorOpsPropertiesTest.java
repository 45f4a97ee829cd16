package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Level-1 kernels (axpy, scale, sum, asum, maxAbs, nrm2) and the exact element-wise ones
 * (mul, add) against float64 references on every implementation.
 *
 * <p>Exactness argument used for scale, mul and add: a product or sum of two floats computed in
 * double and then rounded to float is the correctly rounded float result. For products the
 * double product is exact (24 + 24 bits); for sums, double rounding with 53 >= 2*24 + 2 bits is
 * innocuous (Figueroa, "When is double rounding innocuous?", 1995).
 */
class VectorOpsPropertiesTest {

    /** Length up to 700, two offsets. */
    private static int[] dims(Gen g) {
        return new int[] {g.dim(700), g.dim(5), g.dim(5)};
    }

    /** {@code y += alpha x}: at most two roundings per entry over {@code |y| + |alpha x|}. */
    @Test
    void axpyMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("axpy/" + ops.name(), VectorOpsPropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1], yOff = d[2];
                float alpha = g.coefficient();
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                float[] y0 = Buffers.vector(g, g.dist(), yOff, n, g.dim(3));
                float[] y = y0.clone(), xBefore = x.clone();
                ops.axpy(n, alpha, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) {
                    double ax = (double) alpha * x[xOff + i], old = y0[yOff + i];
                    Tolerance.check("axpy n=" + n + " alpha=" + alpha + " y[" + i + "]", y[yOff + i], old + ax,
                            Tolerance.sumBound(0, 2, Math.abs(old) + Math.abs(ax)));
                }
                Buffers.assertOnlyViewChanged("axpy y", y0, y, yOff, 1, n, n);
                Buffers.assertUnchanged("axpy x", xBefore, x);
            });
        }
    }

    /** {@code x *= alpha}: one correctly rounded product per entry, so bit-exact. */
    @Test
    void scaleIsCorrectlyRounded() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("scale/" + ops.name(), VectorOpsPropertiesTest::dims, (d, g) -> {
                int n = d[0], off = d[1];
                float alpha = g.coefficient();
                float[] x0 = Buffers.vector(g, g.dist(), off, n, g.dim(3));
                float[] x = x0.clone();
                ops.scale(n, alpha, x, off);
                for (int i = 0; i < n; i++) {
                    exact("scale alpha=" + alpha + " x[" + i + "]", x[off + i], (float) ((double) x0[off + i] * alpha));
                }
                Buffers.assertOnlyViewChanged("scale x", x0, x, off, 1, n, n);
            });
        }
    }

    /** {@code z = x * y}: bit-exact; also with z aliasing x (same offset). */
    @Test
    void mulIsCorrectlyRounded() {
        elementwise("mul", false);
    }

    /** {@code z = x + y}: bit-exact; also with z aliasing x (same offset). */
    @Test
    void addIsCorrectlyRounded() {
        elementwise("add", true);
    }

    private static void elementwise(String name, boolean add) {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll(name + "/" + ops.name(), VectorOpsPropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1], yOff = d[2], zOff = g.dim(5);
                boolean alias = g.nextInt(4) == 0;
                float[] x0 = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                float[] y = Buffers.vector(g, g.dist(), yOff, n, g.dim(3));
                float[] x = x0.clone(), yBefore = y.clone();
                float[] z0 = alias ? x : Buffers.vector(g, g.dist(), zOff, n, g.dim(3));
                if (alias) zOff = xOff;
                float[] zBefore = z0.clone();
                if (add) ops.add(n, x, xOff, y, yOff, z0, zOff);
                else ops.mul(n, x, xOff, y, yOff, z0, zOff);
                for (int i = 0; i < n; i++) {
                    double xi = x0[xOff + i], yi = y[yOff + i];
                    exact(name + (alias ? " (z = x)" : "") + " z[" + i + "]", z0[zOff + i], (float) (add ? xi + yi : xi * yi));
                }
                Buffers.assertOnlyViewChanged(name + " z", zBefore, z0, zOff, 1, n, n);
                Buffers.assertUnchanged(name + " y", yBefore, y);
                if (!alias) Buffers.assertUnchanged(name + " x", x0, x);
            });
        }
    }

    /** {@code sum_i x_i}: a length-n accumulation over {@code sum|x_i|}. */
    @Test
    void sumMatchesFloat64Reference() {
        reduction("sum", false);
    }

    /** {@code sum_i |x_i|}: as sum, and never negative. */
    @Test
    void asumMatchesFloat64Reference() {
        reduction("asum", true);
    }

    private static void reduction(String name, boolean abs) {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll(name + "/" + ops.name(), VectorOpsPropertiesTest::dims, (d, g) -> {
                int n = d[0], off = d[1];
                float[] x = Buffers.vector(g, g.dist(), off, n, g.dim(3));
                double ref = 0, size = 0;
                for (int i = 0; i < n; i++) {
                    ref += abs ? Math.abs(x[off + i]) : x[off + i];
                    size += Math.abs(x[off + i]);
                }
                float got = abs ? ops.asum(n, x, off) : ops.sum(n, x, off);
                Tolerance.check(name + " n=" + n, got, ref, Tolerance.sumBound(n, 0, size));
                if (abs && !(got >= 0f)) throw new AssertionError("asum n=" + n + " is " + got);
                float again = abs ? ops.asum(n, x, off) : ops.sum(n, x, off);
                exact(name + " twice", again, got);
            });
        }
    }

    /** {@code max_i |x_i|}: exact (no rounding happens), 0 for n = 0. */
    @Test
    void maxAbsIsExact() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("maxAbs/" + ops.name(), VectorOpsPropertiesTest::dims, (d, g) -> {
                int n = d[0], off = d[1];
                float[] x = Buffers.vector(g, g.dist(), off, n, g.dim(3));
                float ref = 0f;
                for (int i = 0; i < n; i++) ref = Math.max(ref, Math.abs(x[off + i]));
                exact("maxAbs n=" + n, ops.maxAbs(n, x, off), ref);
            });
        }
    }

    /**
     * Euclidean norm, relative bound: the scaled sum of squares s carries
     * {@code sumBound(n, 2, s)} (n squares, each from one rounded scaling and one rounded square),
     * the norm half of that relatively, plus one rounding for the reciprocal of the maximum and
     * one for the final float. Values additionally get scaled by 2^e with e in [-140, 100], so
     * vectors of subnormals and of values near the float maximum are covered: the result must be
     * finite whenever the true norm is.
     */
    @Test
    void nrm2MatchesFloat64ReferenceWithoutOverflow() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("nrm2/" + ops.name(), VectorOpsPropertiesTest::dims, (d, g) -> {
                int n = d[0], off = d[1];
                float[] x = Buffers.vector(g, g.dist(), off, n, g.dim(3));
                int e = g.nextInt(3) == 0 ? g.nextInt(241) - 140 : 0;
                for (int i = 0; i < n; i++) x[off + i] = Math.scalb(x[off + i], e);
                double sq = 0, max = 0;
                for (int i = 0; i < n; i++) max = Math.max(max, Math.abs((double) x[off + i]));
                for (int i = 0; i < n; i++) {
                    double v = x[off + i] / (max == 0 ? 1 : max);
                    sq += v * v;
                }
                double ref = max * Math.sqrt(sq);
                int steps = Math.max(n + 2, 1);
                double relS = Math.min(Tolerance.C * Math.sqrt(steps), steps) * Tolerance.U;
                // Plus half a subnormal ulp: a result below 2^-126 is rounded with absolute error 2^-150.
                double bound = ref * (0.5 * relS + 2 * Tolerance.U) + 0x1p-150;
                float got = ops.nrm2(n, x, off);
                String what = "nrm2 n=" + n + " scale 2^" + e;
                if (ref <= Float.MAX_VALUE && !Float.isFinite(got)) {
                    throw new AssertionError(what + ": got " + got + " but the norm is " + ref);
                }
                if (ref <= Float.MAX_VALUE) Tolerance.check(what, got, ref, bound);
            });
        }
    }

    private static void exact(String what, float got, float want) {
        if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want)) {
            throw new AssertionError(what + ": got " + got + ", correctly rounded " + want);
        }
    }
}
