package dev.onelayer.model.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvdTest {

    private static final double U = Math.ulp(1.0) / 2;

    /**
     * Backward error bound of one-sided Jacobi: each column takes part in at most n−1 rotations
     * per sweep, each adding a relative error of a few u (a rotation is 2 products and a sum,
     * plus the rounding of c and s), so ‖A − UΣVᵀ‖ ≲ 6·sweeps·n·u·‖A‖_F; the check itself sums
     * min(m,n) products (another k·u).
     */
    private static double bound(Svd s) {
        return 6.0 * s.sweeps() * (Math.max(s.rows(), s.cols()) + s.size()) * U;
    }

    @Test
    void knownTwoByTwo() {
        // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
        Svd s = Svd.of(new double[][] {{3, 0}, {4, 5}});
        double[] sigma = s.singularValues();
        assertEquals(Math.sqrt(45), sigma[0], 4 * U * Math.sqrt(45) * s.sweeps());
        assertEquals(Math.sqrt(5), sigma[1], 4 * U * Math.sqrt(45) * s.sweeps());
        checkAll(2, 2, new double[] {3, 0, 4, 5}, s);
    }

    @Test
    void constructedDecompositionsAreRecovered() {
        Random rnd = new Random(11);
        int[][] shapes = {{7, 4}, {4, 7}, {12, 12}, {1, 5}, {5, 1}, {30, 17}, {17, 30}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = Math.min(m, n);
            double[] u0 = orthonormalColumns(rnd, m, k), v0 = orthonormalColumns(rnd, n, k);
            double[] s0 = new double[k];
            for (int i = 0; i < k; i++) s0[i] = Math.pow(0.6, i) * 3; // distinct, descending
            if (k > 3) { s0[k - 1] = 0; s0[k - 2] = 0; } // rank-deficient
            double[] a = compose(m, n, u0, s0, v0);
            Svd s = Svd.of(m, n, a);
            double[] sigma = s.singularValues();
            for (int i = 0; i < k; i++) {
                assertEquals(s0[i], sigma[i], bound(s) * s0[0] * 4, m + "x" + n + " sigma " + i);
            }
            if (k > 3) assertEquals(k - 2, s.rank(0), m + "x" + n + " rank");
            checkAll(m, n, a, s);
        }
    }

    /**
     * Rank 2 plus noise 1e-7..1e-12, entries rounded to float (a trained weight update's shape):
     * with a threshold of u alone these seeds never converged (a pair of a noise column and a
     * large column stays at |a_p.a_q| ~ sqrt(m) u |a_p| |a_q|, the rounding floor of the dot).
     */
    @Test
    void lowRankPlusTinyNoiseConverges() {
        for (int seed : new int[] {10, 17, 48, 57}) {
            Random rnd = new Random(seed);
            int n = 16;
            double[] a = new double[n * n];
            double noise = Math.pow(10, -4 - rnd.nextInt(10));
            for (int r = 0; r < 2; r++) {
                double[] x = new double[n], y = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = rnd.nextGaussian();
                    y[i] = rnd.nextGaussian();
                }
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] += x[i] * y[j];
            }
            for (int i = 0; i < n * n; i++) a[i] = (float) (a[i] + noise * rnd.nextGaussian());
            Svd s = Svd.of(n, n, a);
            assertTrue(s.sweeps() < Svd.MAX_SWEEPS, "seed " + seed);
            checkAll(n, n, a, s);
        }
    }

    @Test
    void randomMatricesFactorAndMatchEigenpairsOfAtA() {
        Random rnd = new Random(5);
        int[][] shapes = {{3, 3}, {10, 3}, {3, 10}, {25, 25}, {40, 9}, {9, 40}, {33, 31}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1];
            double[] a = new double[m * n];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
            Svd s = Svd.of(m, n, a);
            checkAll(m, n, a, s);
            // Each (σᵢ², vᵢ) is an eigenpair of AᵀA: ‖AᵀA vᵢ − σᵢ² vᵢ‖ small against ‖A‖².
            double[] v = s.v(), sigma = s.singularValues();
            int k = s.size();
            double fro2 = frobenius2(a);
            for (int r = 0; r < k; r++) {
                double[] av = new double[m];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) av[i] += a[i * n + j] * v[j * k + r];
                double res2 = 0;
                for (int j = 0; j < n; j++) {
                    double x = 0;
                    for (int i = 0; i < m; i++) x += a[i * n + j] * av[i];
                    double d = x - sigma[r] * sigma[r] * v[j * k + r];
                    res2 += d * d;
                }
                assertTrue(Math.sqrt(res2) <= bound(s) * fro2 * 2, m + "x" + n + " eigen-residual " + r + ": " + Math.sqrt(res2));
            }
        }
    }

    @Test
    void zeroAndRankOneMatrices() {
        Svd z = Svd.of(4, 3, new double[12]);
        for (double x : z.singularValues()) assertEquals(0.0, x);
        assertEquals(0, z.rank(1e-3));
        checkAll(4, 3, new double[12], z);

        double[] x = {1, -2, 3, 0.5}, y = {2, 1, -1};
        double[] a = new double[12];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) a[i * 3 + j] = x[i] * y[j];
        Svd s = Svd.of(4, 3, a);
        double expect = Math.sqrt(1 + 4 + 9 + 0.25) * Math.sqrt(4 + 1 + 1);
        assertEquals(expect, s.spectralNorm(), bound(s) * expect);
        assertEquals(1, s.rank(0));
        checkAll(4, 3, a, s);
    }

    @Test
    void floatInputAndTruncation() {
        float[] w = {0, 0, 1, 2, 3, 4, 5, 6}; // offset 2: [[1,2,3],[4,5,6]]
        Svd s = Svd.of(2, 3, w, 2);
        checkAll(2, 3, new double[] {1, 2, 3, 4, 5, 6}, s);
        double[] r1 = s.reconstruct(1);
        double err2 = 0;
        double[] a = {1, 2, 3, 4, 5, 6};
        for (int i = 0; i < 6; i++) err2 += (a[i] - r1[i]) * (a[i] - r1[i]);
        // Eckart–Young: the rank-1 error is exactly σ₂.
        assertEquals(s.singularValues()[1], Math.sqrt(err2), bound(s) * Math.sqrt(frobenius2(a)) * 4);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Svd.of(0, 3, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Svd.of(2, 3, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> Svd.of(1, 2, new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Svd.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Svd.of(2, 2, new float[3], 0));
    }

    /** Reconstruction, orthonormal U and V, descending non-negative values, Σσ² = ‖A‖_F². */
    static void checkAll(int m, int n, double[] a, Svd s) {
        int k = Math.min(m, n);
        assertEquals(k, s.size());
        double[] sigma = s.singularValues();
        for (int i = 0; i < k; i++) {
            assertTrue(sigma[i] >= 0, "sigma " + i + " negative");
            if (i > 0) assertTrue(sigma[i] <= sigma[i - 1], "not descending at " + i);
        }
        double fro = Math.sqrt(frobenius2(a));
        double[] r = s.reconstruct(k);
        double err2 = 0;
        for (int i = 0; i < m * n; i++) err2 += (a[i] - r[i]) * (a[i] - r[i]);
        assertTrue(Math.sqrt(err2) <= bound(s) * fro, m + "x" + n + " reconstruction error " + Math.sqrt(err2) + " vs ‖A‖ " + fro);
        assertTrue(Math.sqrt(err2) <= 1e-12 * Math.max(fro, 1e-300) || fro == 0, "reconstruction above 1e-12 relative");
        double sq = 0;
        for (double x : sigma) sq += x * x;
        assertEquals(fro * fro, sq, bound(s) * fro * fro * 2, "sum of squares");
        // V is a product of rotations: orthonormal to the rotation error. U's columns for small σ
        // carry an error relative to σ₁/σⱼ, but completion columns are exactly orthogonalised, so
        // the bound uses the condition number of the columns that came from A.
        checkOrthonormal("V", s.v(), n, k, bound(s));
        double kappa = 1;
        double tiny = sigma[0] * m * Math.max(m, n) * U * 4;
        for (double x : sigma) if (x > tiny) kappa = Math.max(kappa, sigma[0] / x);
        checkOrthonormal("U", s.u(), m, k, bound(s) * kappa * 4);
    }

    static void checkOrthonormal(String name, double[] q, int rows, int k, double tol) {
        for (int p = 0; p < k; p++) {
            for (int c = p; c < k; c++) {
                double d = 0;
                for (int i = 0; i < rows; i++) d += q[i * k + p] * q[i * k + c];
                assertEquals(p == c ? 1.0 : 0.0, d, tol, name + "ᵀ" + name + " (" + p + "," + c + ")");
            }
        }
    }

    static double frobenius2(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return s;
    }

    /** Gram–Schmidt (twice) of a Gaussian rows x k matrix. */
    static double[] orthonormalColumns(Random rnd, int rows, int k) {
        double[] q = new double[rows * k];
        for (int i = 0; i < q.length; i++) q[i] = rnd.nextGaussian();
        for (int c = 0; c < k; c++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double d = 0;
                    for (int i = 0; i < rows; i++) d += q[i * k + p] * q[i * k + c];
                    for (int i = 0; i < rows; i++) q[i * k + c] -= d * q[i * k + p];
                }
            }
            double nn = 0;
            for (int i = 0; i < rows; i++) nn += q[i * k + c] * q[i * k + c];
            nn = Math.sqrt(nn);
            for (int i = 0; i < rows; i++) q[i * k + c] /= nn;
        }
        return q;
    }

    static double[] compose(int m, int n, double[] u, double[] s, double[] v) {
        int k = s.length;
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int r = 0; r < k; r++) x += u[i * k + r] * s[r] * v[j * k + r];
                a[i * n + j] = x;
            }
        }
        return a;
    }
}
