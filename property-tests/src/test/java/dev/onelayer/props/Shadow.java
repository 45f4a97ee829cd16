package dev.onelayer.props;

/**
 * Running error analysis: a float computation shadowed in float64. {@code v} is the exact value
 * of the formula (with exact constants; the float64 reference), {@code e} a rigorous bound on
 * {@code |computed float - v|}, propagated operation by operation:
 *
 * <pre>
 *   fl(a op b) - (a op b)_exact  <=  propagated + u |a op b|_computed + 2^-150 (subnormal results)
 * </pre>
 *
 * with the propagated part from the operands' bounds (first order plus the product term for
 * multiplication, so no term is dropped). A bound derived this way follows the float evaluation
 * the kernel performs, which is what "derive the bound from the float evaluation" asks for.
 */
final class Shadow {

    static final double U = 0x1p-24;
    private static final double SUBNORMAL = 0x1p-150;

    final double v;
    final double e;

    private Shadow(double v, double e) {
        this.v = v;
        this.e = e;
    }

    /** An input float: exact. */
    static Shadow of(float x) {
        return new Shadow(x, 0);
    }

    /** A constant whose float version {@code stored} approximates {@code exact}. */
    static Shadow constant(double exact, float stored) {
        return new Shadow(exact, Math.abs((double) stored - exact));
    }

    /** A value with a given bound (for primitives analysed separately, like tanh). */
    static Shadow withError(double v, double e) {
        return new Shadow(v, e);
    }

    private static Shadow rounded(double v, double propagated) {
        return new Shadow(v, propagated + U * (Math.abs(v) + propagated) + SUBNORMAL);
    }

    Shadow mul(Shadow o) {
        return rounded(v * o.v, Math.abs(v) * o.e + Math.abs(o.v) * e + e * o.e);
    }

    Shadow add(Shadow o) {
        return rounded(v + o.v, e + o.e);
    }

    Shadow sub(Shadow o) {
        return rounded(v - o.v, e + o.e);
    }

    Shadow div(Shadow o) {
        double q = v / o.v, den = Math.abs(o.v) - o.e;
        return rounded(q, den > 0 ? (e + Math.abs(q) * o.e) / den : Double.POSITIVE_INFINITY);
    }

    /** Multiplication by 1/2: exact, except for the last bit of a subnormal. */
    Shadow half() {
        return new Shadow(0.5 * v, 0.5 * e + SUBNORMAL);
    }

    Shadow neg() {
        return new Shadow(-v, e);
    }

    /**
     * tanh as the vector path computes it: {@code sign(u) (1 - x) / (1 + x)} with
     * {@code x = exp(-2|u|)} from a polynomial exp of relative error {@code expErr}, flushed to 0
     * below 2^-126. The bound dominates the scalar path too ({@code (float) Math.tanh}: the same
     * propagated part, {@code d tanh = (1 - t^2) du = 4x/(1+x)^2 du}, and only u|t| of its own).
     * The value is {@link Math#tanh} of the exact argument.
     */
    static Shadow tanh(Shadow u, double expErr) {
        double a = Math.abs(u.v);
        double x = Math.exp(-2 * a), xHi = Math.exp(-2 * Math.max(0, a - u.e));
        // |computed x - x| <= (input error moves the argument by at most 2 e) + own error + flush.
        Shadow ex = new Shadow(x, (xHi - x) + expErr * xHi + 0x1p-126);
        Shadow one = new Shadow(1, 0);
        Shadow t = one.sub(ex).div(one.add(ex));
        return new Shadow(Math.tanh(u.v), t.e);
    }

    @Override
    public String toString() {
        return v + " +- " + e;
    }
}
