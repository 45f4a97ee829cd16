package dev.onelayer.props.attention;

import java.util.function.DoubleSupplier;

/** Central finite differences in float64, for checking the references' analytic gradients. */
final class FiniteDifferences {

    private FiniteDifferences() {
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /**
     * For every entry of x (perturbed in place and restored): {@code (L(x+h) - L(x-h)) / 2h} against
     * grad within {@code tol (1 + |grad| + |L|)}. The losses here are multilinear in each entry
     * (forms 1, 3, 5: the difference is exact up to rounding) or smooth (softmax: error O(h^2)).
     */
    static void check(String what, double[] x, DoubleSupplier loss, double[] grad, double h, double tol) {
        double l0 = Math.abs(loss.getAsDouble());
        for (int i = 0; i < grad.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = loss.getAsDouble();
            x[i] = keep - h;
            double down = loss.getAsDouble();
            x[i] = keep;
            double fd = (up - down) / (2 * h);
            if (!(Math.abs(fd - grad[i]) <= tol * (1 + Math.abs(grad[i]) + l0))) {
                throw new AssertionError(what + "[" + i + "]: analytic " + grad[i] + ", finite difference " + fd);
            }
        }
    }
}
