package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import dev.onelayer.props.harness.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Row softmax and log-softmax against float64 on every implementation, with a relative bound
 * derived from how both implementations compute them:
 *
 * <pre>
 *   d_j = fl(x_j - m)          (m = max_j x_j, exact)        relative error u
 *   e_j = exp(d_j)                                           relative error E (own) + u|d_j| (from d_j),
 *                                                            or absolute 2^-126 where it underflows
 *   s   = sum_j e_j            (positive terms)              relative relS =
 *         (sum_j exp(d_j)(E + u|d_j|) + n 2^-126) / S + min(C sqrt n, n) u
 *   softmax:     y_j = e_j * fl(1/s)                          relative E + u|d_j| + relS + 2u
 *   log-softmax: y_j = fl(x_j - fl(m + fl(log s)))           absolute relS + u(|log S| + |m + log S| + |y_j|)
 * </pre>
 *
 * E is 2 ulp = 4u for the vector path's polynomial exp (Lanes.expNonPositive documents "about 2
 * ulp") and u for the scalar path ({@code (float) Math.exp}: 1 ulp in double, then one float
 * rounding). Bounds are first order; the factor {@link #SECOND_ORDER} covers the products of
 * error terms (each below 1e-4 relative, so their products are below 1e-3 of the bound).
 */
class SoftmaxPropertiesTest {

    private static final double U = Tolerance.U;
    private static final double UNDERFLOW = 0x1p-126;
    private static final double SECOND_ORDER = 1.001;

    /** rows, cols, padX, padY, offX, offY. */
    private static int[] dims(Gen g) {
        return new int[] {g.dim(12), g.dim(300), GemmCase.pad(g), GemmCase.pad(g), g.dim(5), g.dim(5)};
    }

    /** Per-implementation relative error of one exp. */
    private static double expError(DenseOps ops) {
        return "vector".equals(ops.name()) ? 4 * U : U * (1 + 0x1p-28);
    }

    /** One generated rows x cols score matrix x (padded), and its float64 row statistics. */
    private static final class Scores {
        final int rows, cols, ldx, xOff;
        final float[] x;
        final String kind;

        Scores(int[] d, Gen g) {
            rows = d[0];
            cols = d[1];
            ldx = cols + d[2];
            xOff = d[4];
            Gen.Dist dist = g.dist();
            x = Buffers.matrix(g, dist, xOff, rows, cols, ldx, g.dim(3));
            int mode = g.nextInt(8);
            if (mode == 0) {
                // Huge scores: the max-subtraction must keep exp and the sum finite.
                for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) x[xOff + r * ldx + j] *= 1e30f;
            } else if (mode == 1 && cols > 1) {
                // Masked entries (-inf, as causal attention writes them); entry 0 of a row stays finite.
                for (int r = 0; r < rows; r++) {
                    for (int j = 1; j < cols; j++) if (g.nextInt(3) == 0) x[xOff + r * ldx + j] = Float.NEGATIVE_INFINITY;
                }
            }
            kind = dist + (mode == 0 ? " x1e30" : mode == 1 ? " masked" : "");
        }
    }

    /** Output view: either a separate padded matrix, or x itself (same offset and ld). */
    private static final class Out {
        final float[] y0;
        final int yOff, ldy;
        final boolean alias;

        Out(int[] d, Gen g, Scores s) {
            alias = g.nextInt(4) == 0;
            if (alias) {
                y0 = s.x;
                yOff = s.xOff;
                ldy = s.ldx;
            } else {
                ldy = s.cols + d[3];
                yOff = d[5];
                y0 = Buffers.matrix(g, g.dist(), yOff, s.rows, s.cols, ldy, g.dim(3));
            }
        }
    }

    private static double softmaxBound(double pj, double dj, double relS, double expErr) {
        double dTerm = pj > 0 ? U * Math.abs(dj) : 0;
        return SECOND_ORDER * pj * (expErr + dTerm + relS + 2 * U) + UNDERFLOW + 0x1p-149;
    }

    private static double logSoftmaxBound(double yj, double m, double logS, double relS) {
        return SECOND_ORDER * (relS + U * (Math.abs(logS) + Math.abs(m + logS) + Math.abs(yj))) + Tolerance.TINY;
    }

    /**
     * softmax within the per-element relative bound; every row sums to 1 within the sum of its
     * element bounds; all outputs finite (also for 1e30-sized scores); nothing outside y written;
     * x untouched unless it is y; same bits twice.
     */
    @Test
    void softmaxMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            double expErr = expError(ops);
            Harness.forAll("softmaxRows/" + ops.name(), SoftmaxPropertiesTest::dims, (d, g) -> {
                Scores s = new Scores(d, g);
                Out o = new Out(d, g, s);
                float[] xBefore = s.x.clone(), y = o.alias ? s.x : o.y0.clone();
                float[] yBefore = o.alias ? xBefore : o.y0;
                ops.softmaxRows(s.rows, s.cols, s.x, s.xOff, s.ldx, y, o.yOff, o.ldy);
                String what = "softmaxRows " + s.rows + "x" + s.cols + " " + s.kind + (o.alias ? " in place" : "");
                for (int r = 0; r < s.rows; r++) {
                    double m = xMax(xBefore, s, r), sumExp = 0;
                    for (int j = 0; j < s.cols; j++) sumExp += Math.exp(xBefore[s.xOff + r * s.ldx + j] - m);
                    double relS = relS(xBefore, s, r, m, sumExp, expErr);
                    double rowSum = 0, rowBound = 0;
                    for (int j = 0; j < s.cols; j++) {
                        double dj = xBefore[s.xOff + r * s.ldx + j] - m, pj = Math.exp(dj) / sumExp;
                        float got = y[o.yOff + r * o.ldy + j];
                        if (!Float.isFinite(got)) throw new AssertionError(what + " y[" + r + "," + j + "] = " + got);
                        double bound = softmaxBound(pj, dj, relS, expErr);
                        Tolerance.check(what + " y[" + r + "," + j + "]", got, pj, bound);
                        rowSum += got;
                        rowBound += bound;
                    }
                    if (s.cols > 0) Tolerance.check(what + " row " + r + " sum", rowSum, 1.0, rowBound);
                }
                Buffers.assertOnlyViewChanged(what + " y", yBefore, y, o.yOff, s.rows, s.cols, o.ldy);
                if (!o.alias) {
                    Buffers.assertUnchanged(what + " x", xBefore, s.x);
                    float[] again = o.y0.clone();
                    ops.softmaxRows(s.rows, s.cols, s.x, s.xOff, s.ldx, again, o.yOff, o.ldy);
                    Buffers.assertSameBits(what + " twice", y, again);
                }
            });
        }
    }

    /**
     * log-softmax within the absolute bound; masked (-inf) scores give exactly -inf; all other
     * outputs finite; {@code sum_j exp(y_j) = 1} within {@code sum_j (exp(y_j + bound_j) - exp(y_j))}.
     */
    @Test
    void logSoftmaxMatchesFloat64Reference() {
        for (DenseOps ops : Impls.dense()) {
            double expErr = expError(ops);
            Harness.forAll("logSoftmaxRows/" + ops.name(), SoftmaxPropertiesTest::dims, (d, g) -> {
                Scores s = new Scores(d, g);
                Out o = new Out(d, g, s);
                float[] xBefore = s.x.clone(), y = o.alias ? s.x : o.y0.clone();
                float[] yBefore = o.alias ? xBefore : o.y0;
                ops.logSoftmaxRows(s.rows, s.cols, s.x, s.xOff, s.ldx, y, o.yOff, o.ldy);
                String what = "logSoftmaxRows " + s.rows + "x" + s.cols + " " + s.kind + (o.alias ? " in place" : "");
                for (int r = 0; r < s.rows; r++) {
                    double m = xMax(xBefore, s, r), sumExp = 0;
                    for (int j = 0; j < s.cols; j++) sumExp += Math.exp(xBefore[s.xOff + r * s.ldx + j] - m);
                    double relS = relS(xBefore, s, r, m, sumExp, expErr), logS = Math.log(sumExp);
                    double probSum = 0, probBound = 0;
                    for (int j = 0; j < s.cols; j++) {
                        double xj = xBefore[s.xOff + r * s.ldx + j], ref = xj - m - logS;
                        float got = y[o.yOff + r * o.ldy + j];
                        String at = what + " y[" + r + "," + j + "]";
                        if (xj == Double.NEGATIVE_INFINITY) {
                            if (got != Float.NEGATIVE_INFINITY) throw new AssertionError(at + " = " + got + " for a -inf score");
                            continue;
                        }
                        if (!Float.isFinite(got)) throw new AssertionError(at + " = " + got);
                        double bound = logSoftmaxBound(ref, m, logS, relS);
                        Tolerance.check(at, got, ref, bound);
                        probSum += Math.exp(got);
                        probBound += Math.exp(ref + bound) - Math.exp(ref);
                    }
                    if (s.cols > 0) Tolerance.check(what + " row " + r + " sum of exp", probSum, 1.0, SECOND_ORDER * probBound);
                }
                Buffers.assertOnlyViewChanged(what + " y", yBefore, y, o.yOff, s.rows, s.cols, o.ldy);
                if (!o.alias) Buffers.assertUnchanged(what + " x", xBefore, s.x);
            });
        }
    }

    /**
     * Shift invariance: softmax(x + c) = softmax(x) and logSoftmax(x + c) = logSoftmax(x), each
     * within the sum of the two sides' bounds (for log-softmax the bound of x + c uses m + c). Scores are multiples of 2^-10 below
     * 2^12 and c an integer below 2^10, so x + c is exact in float and both sides have the same
     * exact result.
     */
    @Test
    void softmaxIsShiftInvariant() {
        for (DenseOps ops : Impls.dense()) {
            double expErr = expError(ops);
            Harness.forAll("softmaxShift/" + ops.name(), g -> new int[] {g.dim(8), g.dim(1, 300)}, (d, g) -> {
                int rows = d[0], cols = d[1];
                Gen.Dist dist = g.dist();
                float c = g.nextInt(2047) - 1023;
                float[] x = new float[rows * cols], xc = new float[rows * cols];
                for (int i = 0; i < x.length; i++) {
                    float v = Math.round(Math.max(-4000f, Math.min(4000f, g.value(dist))) * 1024f) / 1024f;
                    x[i] = v;
                    xc[i] = v + c;
                }
                float[] p = new float[x.length], pc = new float[x.length], l = new float[x.length], lc = new float[x.length];
                ops.softmaxRows(rows, cols, x, 0, cols, p, 0, cols);
                ops.softmaxRows(rows, cols, xc, 0, cols, pc, 0, cols);
                ops.logSoftmaxRows(rows, cols, x, 0, cols, l, 0, cols);
                ops.logSoftmaxRows(rows, cols, xc, 0, cols, lc, 0, cols);
                String what = "shift c=" + c + " " + rows + "x" + cols + " " + dist;
                for (int r = 0; r < rows; r++) {
                    double m = Double.NEGATIVE_INFINITY, sumExp = 0;
                    for (int j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]);
                    for (int j = 0; j < cols; j++) sumExp += Math.exp(x[r * cols + j] - m);
                    double relS = 0, logS = Math.log(sumExp);
                    for (int j = 0; j < cols; j++) {
                        double dj = x[r * cols + j] - m;
                        relS += Math.exp(dj) * (expErr + U * Math.abs(dj));
                    }
                    relS = (relS + cols * UNDERFLOW) / sumExp + Math.min(Tolerance.C * Math.sqrt(cols), cols) * U;
                    for (int j = 0; j < cols; j++) {
                        int i = r * cols + j;
                        double dj = x[i] - m, pj = Math.exp(dj) / sumExp;
                        Tolerance.check(what + " softmax[" + r + "," + j + "]", pc[i], p[i], 2 * softmaxBound(pj, dj, relS, expErr));
                        double bound = logSoftmaxBound(dj - logS, m, logS, relS) + logSoftmaxBound(dj - logS, m + c, logS, relS);
                        Tolerance.check(what + " logSoftmax[" + r + "," + j + "]", lc[i], l[i], bound);
                    }
                }
            });
        }
    }

    private static double xMax(float[] x, Scores s, int r) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s.cols; j++) m = Math.max(m, x[s.xOff + r * s.ldx + j]);
        return m;
    }

    private static double relS(float[] x, Scores s, int r, double m, double sumExp, double expErr) {
        double t = 0;
        for (int j = 0; j < s.cols; j++) {
            double dj = x[s.xOff + r * s.ldx + j] - m, ej = Math.exp(dj);
            if (ej > 0) t += ej * (expErr + U * Math.abs(dj));
        }
        t += s.cols * UNDERFLOW;
        return t / sumExp + Math.min(Tolerance.C * Math.sqrt(Math.max(s.cols, 1)), Math.max(s.cols, 1)) * U;
    }
}
