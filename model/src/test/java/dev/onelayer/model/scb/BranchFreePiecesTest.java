package dev.onelayer.model.scb;

import dev.onelayer.model.optim.Prox;
import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The branch-free pieces of the PPPD A step give the same bits as the formulas they replace. */
class BranchFreePiecesTest {

    private static final double[] THRESHOLDS = {0, 3e-6, 1e-3, 0.5, Double.MIN_VALUE};

    private static float[] values() {
        Rng rng = Rng.seeded(11);
        float[] x = new float[2000];
        float[] special = {0f, -0f, 3e-6f, -3e-6f, 1e-3f, -1e-3f, 0.5f, -0.5f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < x.length; i++) x[i] = (float) (rng.normal() * Math.pow(10, -rng.uniform(0, 8)));
        return x;
    }

    @Test
    void softThresholdMatchesProx() {
        float[] x = values();
        for (double thr : THRESHOLDS) {
            float[] viaProx = x.clone();
            Prox.softThreshold(viaProx, 0, viaProx.length, thr);
            for (int i = 0; i < x.length; i++) {
                float got = (float) ScbOptimizer.softThreshold(x[i], thr);
                assertEquals(Float.floatToRawIntBits(viaProx[i]), Float.floatToRawIntBits(got), "x=" + x[i] + " thr=" + thr);
            }
        }
    }

    @Test
    void positivePartMatchesMathMax() {
        float[] x = values();
        for (double tau : new double[] {0, -0.0, 1e-3, -1e-3, 0.25}) {
            for (float v : x) {
                double d = v - tau;
                assertEquals(Double.doubleToRawLongBits(Math.max(d, 0)), Double.doubleToRawLongBits(ScbOptimizer.positivePart(d)), "d=" + d);
            }
        }
    }

    @Test
    void thresholdMatchesMichelotWithBranches() {
        Rng rng = Rng.seeded(12);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + (int) rng.uniform(0, 300), cols = 3;
            float[] a = new float[rows * cols];
            for (int i = 0; i < a.length; i++) a[i] = rng.uniform(0, 1) < 0.4 ? 0f : (float) (rng.uniform(-0.5, 1.5) / rows);
            for (int c = 0; c < cols; c++) {
                double sum = 0, abs = 0;
                double[] buf = new double[rows];
                for (int r = 0; r < rows; r++) {
                    sum += a[r * cols + c];
                    abs += Math.abs(a[r * cols + c]);
                }
                double got = SimplexColumns.threshold(a, c, rows, cols, sum, new double[rows]);
                // Michelot with branches, one sum per pass in index order
                for (int r = 0; r < rows; r++) buf[r] = a[r * cols + c];
                int m = rows;
                double tau = (sum - 1) / m;
                while (true) {
                    int w = 0;
                    for (int i = 0; i < m; i++) if (buf[i] > tau) buf[w++] = buf[i];
                    if (w == m) break;
                    m = w;
                    double s = 0;
                    for (int i = 0; i < m; i++) s += buf[i];
                    tau = (s - 1) / m;
                }
                // two summation orders of the m kept entries: each within gamma_rows sum|v| of the exact sum,
                // so the taus differ by at most 2 gamma_rows sum|v| / m (plus the rounding of the division)
                assertEquals(tau, got, (2 * rows * 0x1p-53 * (abs + 1)) / m + 2 * 0x1p-53 * Math.abs(tau), "trial " + trial);
                double total = 0;
                for (int r = 0; r < rows; r++) total += Math.max(a[r * cols + c] - got, 0);
                assertEquals(1.0, total, 4 * rows * 0x1p-52 * 2);
            }
        }
    }
}
