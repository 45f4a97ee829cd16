package dev.onelayer.props.attention;

import dev.onelayer.props.harness.Tolerance;

/** Element-wise comparison of a float32 result with its float64 reference under per-element bounds. */
final class Bounds {

    static final double U = Tolerance.U;

    private Bounds() {
    }

    /** Every got[i] within bound[i] of ref[i] (i < ref.length); the message names the quantity and index. */
    static void check(String what, float[] got, double[] ref, double[] bound) {
        for (int i = 0; i < ref.length; i++) {
            if (!Float.isFinite(got[i])) throw new AssertionError(what + "[" + i + "] = " + got[i] + " is not finite");
            Tolerance.check(what + "[" + i + "]", got[i], ref[i], bound[i]);
        }
    }

    /** Bounds {@code sumBound(n, 0, abs[i])} for sums of at most n roundings with magnitude abs[i]. */
    static double[] sums(int n, double[] abs) {
        double[] b = new double[abs.length];
        for (int i = 0; i < abs.length; i++) b[i] = Tolerance.sumBound(n, 0, abs[i]);
        return b;
    }

    static void sameBits(String what, float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                throw new AssertionError(what + "[" + i + "]: " + a[i] + " vs " + b[i] + " (bits differ)");
            }
        }
    }
}
