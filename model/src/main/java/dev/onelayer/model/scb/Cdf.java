package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/**
 * A discrete law sampled by inverse CDF with binary search (O(log n) per draw, no allocation),
 * so the T i.i.d. context tokens of every example cost little. Only entries with positive mass
 * can be drawn.
 */
final class Cdf {

    private final double[] cum;
    private final int[] index;

    /** From the weights {@code p[off + i*stride]}, i &lt; n (finite, non-negative, positive sum). */
    Cdf(double[] p, int off, int stride, int n) {
        int pos = 0;
        for (int i = 0; i < n; i++) {
            double w = p[off + i * stride];
            if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("Cdf: weight " + i + " = " + w);
            if (w > 0) pos++;
        }
        if (pos == 0) throw new IllegalArgumentException("Cdf: all " + n + " weights are zero");
        cum = new double[pos];
        index = new int[pos];
        double acc = 0;
        int j = 0;
        for (int i = 0; i < n; i++) {
            double w = p[off + i * stride];
            if (w > 0) {
                acc += w;
                cum[j] = acc;
                index[j++] = i;
            }
        }
        for (int i = 0; i < pos; i++) cum[i] /= acc;
        cum[pos - 1] = 1.0; // guards the rounding gap at the top
    }

    int sample(Rng rng) {
        double u = rng.nextDouble();
        int lo = 0, hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cum[mid]) hi = mid;
            else lo = mid + 1;
        }
        return index[lo];
    }
}
