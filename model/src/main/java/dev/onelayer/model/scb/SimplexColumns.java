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
                buf[r] = v;
                sum += v;
            }
            int m = rows;
            double tau = (sum - 1) / m;
            while (true) {
                int w = 0;
                double s = 0;
                for (int i = 0; i < m; i++) {
                    double v = buf[i];
                    if (v > tau) {
                        buf[w++] = v;
                        s += v;
                    }
                }
                if (w == m) break;
                m = w; // never 0: the largest entry exceeds the mean minus 1/m
                tau = (s - 1) / m;
            }
            for (int r = 0; r < rows; r++) {
                int i = r * cols + c;
                a[i] = (float) Math.max(a[i] - tau, 0);
            }
        }
    }
}
