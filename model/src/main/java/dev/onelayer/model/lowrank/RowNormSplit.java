package dev.onelayer.model.lowrank;

import java.util.Arrays;

/**
 * The two-level structure of W_O's row norms (notes section 4 "Sparsity", ICL'24 Theorem 3: a
 * constant fraction of neurons have large norm, the rest small): exact 2-means on the log norms
 * (in one dimension the optimal clusters are contiguous in sorted order, so every split is tried).
 *
 * @param norms         l2 norm of every row of W_O
 * @param small         whether row j is in the small group
 * @param smallCount    rows in the small group
 * @param smallFraction smallCount / m (the "R" of the pruning claims)
 * @param meanRatio     mean norm of the large group / mean norm of the small group
 * @param gapRatio      largest small norm / smallest large norm (near 0 for a clear split)
 */
public record RowNormSplit(double[] norms, boolean[] small, int smallCount, double smallFraction, double meanRatio, double gapRatio) {

    /** Row norms of a row-major {@code rows x cols} matrix at {@code off} in {@code w}. */
    public static double[] rowNorms(float[] w, int off, int rows, int cols) {
        double[] n = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int t = 0; t < cols; t++) s += (double) w[off + i * cols + t] * w[off + i * cols + t];
            n[i] = Math.sqrt(s);
        }
        return n;
    }

    /** 2-means on {@code log(norm)}; needs at least two rows, all norms positive. */
    public static RowNormSplit of(double[] norms) {
        int m = norms.length;
        if (m < 2) throw new IllegalArgumentException("RowNormSplit: need at least 2 rows, got " + m);
        double[] logs = new double[m];
        for (int i = 0; i < m; i++) {
            if (!(norms[i] > 0) || Double.isInfinite(norms[i])) throw new IllegalArgumentException("RowNormSplit: row " + i + " has norm " + norms[i]);
            logs[i] = Math.log(norms[i]);
        }
        double[] sorted = logs.clone();
        Arrays.sort(sorted);
        double[] prefix = new double[m + 1], prefix2 = new double[m + 1];
        for (int i = 0; i < m; i++) {
            prefix[i + 1] = prefix[i] + sorted[i];
            prefix2[i + 1] = prefix2[i] + sorted[i] * sorted[i];
        }
        int best = 1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int c = 1; c < m; c++) { // the c smallest form the small group
            double cost = sse(prefix, prefix2, 0, c) + sse(prefix, prefix2, c, m);
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        double threshold = sorted[best - 1];
        boolean[] small = new boolean[m];
        int count = 0;
        double sumSmall = 0, sumLarge = 0, maxSmall = 0, minLarge = Double.POSITIVE_INFINITY;
        // Ties at the threshold all go to the small group, so the count can exceed `best` only on exact ties.
        for (int i = 0; i < m; i++) {
            if (logs[i] <= threshold) {
                small[i] = true;
                count++;
                sumSmall += norms[i];
                maxSmall = Math.max(maxSmall, norms[i]);
            } else {
                sumLarge += norms[i];
                minLarge = Math.min(minLarge, norms[i]);
            }
        }
        int large = m - count;
        double ratio = large == 0 ? Double.NaN : (sumLarge / large) / (sumSmall / count);
        return new RowNormSplit(norms.clone(), small, count, count / (double) m, ratio, large == 0 ? Double.NaN : maxSmall / minLarge);
    }

    private static double sse(double[] p, double[] p2, int from, int to) {
        int n = to - from;
        double s = p[to] - p[from];
        return (p2[to] - p2[from]) - s * s / n;
    }
}
