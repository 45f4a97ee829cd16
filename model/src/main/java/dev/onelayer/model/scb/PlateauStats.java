package dev.onelayer.model.scb;

import java.util.Arrays;

/** Medians and log-log fits for the plateau sweeps. */
public final class PlateauStats {

    private PlateauStats() {
    }

    /** Median (mean of the middle two for even counts); a -1 ("not reached") counts as +infinity. */
    public static double median(long[] xs) {
        double[] d = new double[xs.length];
        for (int i = 0; i < xs.length; i++) d[i] = xs[i] < 0 ? Double.POSITIVE_INFINITY : xs[i];
        Arrays.sort(d);
        int m = d.length / 2;
        return d.length % 2 == 1 ? d[m] : 0.5 * (d[m - 1] + d[m]);
    }

    /** Least-squares slope of ln y against ln x: the fitted exponent of y ~ x^e. */
    public static double exponent(int[] x, double[] y) {
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    /** The loss level at which {@code fraction} of the gap between the uniform start and L* is closed. */
    public static double targetLoss(ScbTask task, double fraction) {
        ScbModel start = new ScbModel(task.vocab(), task.seqLen()).uniform();
        double l0 = ScbPopulation.loss(task, start), lStar = ScbPopulation.optimalLoss(task);
        return lStar + (1 - fraction) * (l0 - lStar);
    }
}
