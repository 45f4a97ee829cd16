package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;

/**
 * A discrete law sampled in O(1) per draw by Vose's alias method (one uniform double per draw, no
 * allocation), so the B (T + 1) i.i.d. tokens of a batch cost little. The table is built over the
 * entries with positive mass only, so an entry of mass 0 can never be drawn, whatever the rounding.
 */
final class AliasTable {

    private final double[] prob;
    private final int[] alias, index;

    /** From the weights {@code p[off + i*stride]}, i &lt; n (finite, non-negative, positive sum). */
    AliasTable(double[] p, int off, int stride, int n) {
        int pos = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double w = p[off + i * stride];
            if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("AliasTable: weight " + i + " = " + w);
            if (w > 0) {
                pos++;
                total += w;
            }
        }
        if (pos == 0) throw new IllegalArgumentException("AliasTable: all " + n + " weights are zero");
        index = new int[pos];
        prob = new double[pos];
        alias = new int[pos];
        double[] scaled = new double[pos];
        int j = 0;
        for (int i = 0; i < n; i++) {
            double w = p[off + i * stride];
            if (w > 0) {
                index[j] = i;
                scaled[j++] = w / total * pos;
            }
        }
        int[] small = new int[pos], large = new int[pos];
        int ns = 0, nl = 0;
        for (int i = 0; i < pos; i++) {
            if (scaled[i] < 1) small[ns++] = i;
            else large[nl++] = i;
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns], l = large[--nl];
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) small[ns++] = l;
            else large[nl++] = l;
        }
        while (nl > 0) { // what is left has mass 1 up to rounding
            int l = large[--nl];
            prob[l] = 1;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns];
            prob[s] = 1;
            alias[s] = s;
        }
    }

    int sample(Rng rng) {
        double u = rng.nextDouble() * prob.length;
        int i = (int) u;
        if (i >= prob.length) i = prob.length - 1;
        return index[u - i < prob[i] ? i : alias[i]];
    }
}
