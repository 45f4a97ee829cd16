package dev.onelayer.props.harness;

/**
 * Error bounds from ARCHITECTURE.md. For a float32 sum of n products against a float64 reference,
 * the worst case is {@code gamma_n * sum|x_i y_i|} with {@code gamma_n ~ n u}, {@code u = 2^-24};
 * the typical case grows like {@code sqrt(n) u}. We assert the probabilistic bound
 * {@code c sqrt(n) u S} (c = 8) but never more than the hard ceiling {@code n u S}, where S is the
 * sum of absolute products; {@code extra} counts additional roundings (alpha, beta, a final add).
 */
public final class Tolerance {

    /** Unit roundoff of float32. */
    public static final double U = 0x1p-24;
    /** The constant of the probabilistic bound. */
    public static final double C = 8.0;
    /** Absolute slack for results that land in the subnormal range. */
    public static final double TINY = 0x1p-120;

    private Tolerance() {
    }

    /** Bound for a length-n accumulation with {@code extra} extra roundings and absolute size S. */
    public static double sumBound(int n, int extra, double sumAbs) {
        int steps = n + extra;
        double factor = Math.min(C * Math.sqrt(Math.max(steps, 1)), Math.max(steps, 1));
        return factor * U * sumAbs + TINY;
    }

    /** Throws when {@code |got - ref| > bound}, naming the quantity. */
    public static void check(String what, double got, double ref, double bound) {
        double err = Math.abs(got - ref);
        if (!(err <= bound)) {
            throw new AssertionError(what + ": got " + got + ", float64 reference " + ref + ", error " + err
                    + " > bound " + bound);
        }
    }
}
