package dev.onelayer.model.scb;

/**
 * Euclidean projection of every column of a row-major matrix onto the probability simplex by
 * Michelot's algorithm (Michelot 1986; Condat 2016, Algorithm 2): with the active set S = all
 * entries, repeat {@code tau = (sum_S v - 1)/|S|} and drop the entries {@code <= tau} until none
 * is dropped; then {@code x = max(v - tau, 0)}. tau only grows and a dropped entry is never in the
 * support, so the result is the exact projection (the same as the sort-based
 * {@code optim.Projections.simplexColumns}, up to summation order) without the O(n log n) sort:
 * after the first pass only the few large entries of a sparse attention column remain, which is
 * what makes PPPD's A step cheap at T = 500.
 */
final class SimplexColumns {

    private SimplexColumns() {
    }

    /** Projects the columns of the rows x cols matrix {@code a} (leading dimension cols); {@code buf} needs rows doubles. */
    static void project(float[] a, int rows, int cols, double[] buf) {
        if (a == null || (long) rows * cols > a.length) throw new IllegalArgumentException("SimplexColumns: matrix " + rows + " x " + cols + " does not fit");
        if (buf == null || buf.length < rows) throw new IllegalArgumentException("SimplexColumns: buffer needs " + rows + " doubles");
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                float v = a[r * cols + c];
                if (!Float.isFinite(v)) throw new IllegalArgumentException("SimplexColumns: entry (" + r + ", " + c + ") is " + v);
                sum += v;
            }
            double tau = threshold(a, c, rows, cols, sum, buf);
            for (int r = 0; r < rows; r++) {
                int i = r * cols + c;
                a[i] = (float) Math.max(a[i] - tau, 0);
            }
        }
    }

    /**
     * Michelot's threshold tau of column c of the rows x cols matrix {@code a} (finite entries,
     * rows >= 1) whose entries sum, in row order and float64, to {@code sum}; {@code buf} (rows
     * doubles) is scratch. The projection of the column is {@code max(a - tau, 0)}.
     */
    static double threshold(float[] a, int c, int rows, int cols, double sum, double[] buf) {
        return stridedThreshold(a, c, cols, rows, sum, buf);
    }

    /**
     * Michelot's threshold tau of the vector {@code x_r = a[off + r*stride]}, r in [0, len) (finite
     * entries, len >= 1), whose entries sum, in order and float64, to {@code sum}; {@code buf}
     * (len doubles) is scratch. The first pass reads the vector in place and keeps its survivors in
     * {@code buf}, where the following passes run contiguously. A column of a row-major matrix has
     * stride cols; a row (for example a column of A stored as a row of A^T) has stride 1.
     */
    static double stridedThreshold(float[] a, int off, int stride, int len, double sum, double[] buf) {
        double tau = (sum - 1) / len;
        int w = 0;
        double s0 = 0, s1 = 0;
        int r = 0;
        for (; r + 1 < len; r += 2) {
            double v0 = a[off + r * stride], v1 = a[off + (r + 1) * stride];
            int k0 = above(v0, tau), k1 = above(v1, tau);
            s0 += keepOrZero(v0, k0);
            s1 += keepOrZero(v1, k1);
            buf[w] = v0;
            w += k0;
            buf[w] = v1;
            w += k1;
        }
        if (r < len) {
            double v = a[off + r * stride];
            int k = above(v, tau);
            s0 += keepOrZero(v, k);
            buf[w] = v;
            w += k;
        }
        if (w == len) return tau;
        return threshold(buf, w, s0 + s1);
    }

    /** The remaining Michelot passes on {@code buf[0, m)}, whose sum is {@code sum} (see {@link #threshold(float[], int, int, int, double, double[])}). */
    private static double threshold(double[] buf, int m, double sum) {
        double tau = (sum - 1) / m; // never 0 entries: the largest exceeds the mean minus 1/m
        while (true) {
            // Branch-free compaction: whether an entry survives is data-dependent and would
            // mispredict often (many entries of a flat column sit near tau). Kept entries go into
            // two partial sums by position, so the adds are not one long latency chain; the order
            // is fixed by the data, so the bits are reproducible.
            int w = 0, i = 0;
            double s0 = 0, s1 = 0;
            for (; i + 1 < m; i += 2) {
                double v0 = buf[i], v1 = buf[i + 1];
                int k0 = above(v0, tau), k1 = above(v1, tau);
                s0 += keepOrZero(v0, k0);
                s1 += keepOrZero(v1, k1);
                buf[w] = v0;
                w += k0;
                buf[w] = v1;
                w += k1;
            }
            if (i < m) {
                double v = buf[i];
                int k = above(v, tau);
                s0 += keepOrZero(v, k);
                buf[w] = v;
                w += k;
            }
            if (w == m) return tau;
            m = w;
            tau = (s0 + s1 - 1) / m;
        }
    }

    /**
     * 1 if {@code v > tau}, else 0, as the sign bit of {@code tau - v} (no branch, no conditional
     * move C2 might turn into one). Exact for finite values with tau != -0.0: a difference of
     * doubles is 0 only when they are equal (then +0.0), and keeps its sign when tiny; tau is
     * {@code (s - 1)/m}, never -0.0.
     */
    private static int above(double v, double tau) {
        return (int) (Double.doubleToRawLongBits(tau - v) >>> 63);
    }

    /** v if keep is 1, +0.0 if it is 0 (adding +0.0 leaves a sum that is not -0.0 unchanged). */
    private static double keepOrZero(double v, int keep) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) & -(long) keep);
    }

    /**
     * The first non-finite entry of column c, stored as the vector {@code a[off + r*stride]}, r in
     * [0, rows), as the exception {@link #project} throws (the entry is named (r, c)).
     */
    static IllegalArgumentException nonFinite(float[] a, int off, int stride, int rows, int c) {
        for (int r = 0; r < rows; r++) {
            float v = a[off + r * stride];
            if (!Float.isFinite(v)) return new IllegalArgumentException("SimplexColumns: entry (" + r + ", " + c + ") is " + v);
        }
        return new IllegalArgumentException("SimplexColumns: column " + c + " does not sum to a finite value");
    }
}
