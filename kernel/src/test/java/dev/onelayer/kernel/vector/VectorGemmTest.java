package dev.onelayer.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onelayer.kernel.ScalarDenseOps;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks the packed, blocked GEMM and the multi-row gemv/ger against a float64 reference on
 * shapes that hit every edge: 0, 1, primes, non-multiples of MR/L/2L, more than one KC/MC block,
 * offsets, ld larger than the row, all four transpose combinations and alpha/beta special values.
 * Bound per entry (recursive summation, Higham 3.5): (k + 3) u (|alpha| sum_p |a_ip b_pj| + |beta c_ij|).
 */
class VectorGemmTest {

    private static final double U = Math.ulp(1f) / 2;
    private final VectorDenseOps vec = new VectorDenseOps();
    private final ScalarDenseOps sca = new ScalarDenseOps();

    @Test
    void gemmMatchesReferenceOnEdgeShapes() {
        int[] dims = {0, 1, 2, 5, 7, 8, 13, 17, 31, 50};
        float[][] ab = {{1f, 0f}, {1f, 1f}, {-0.75f, 2.5f}, {0f, 0.5f}, {2f, 0f}};
        SplittableRandom rnd = new SplittableRandom(11);
        int cases = 0;
        for (int m : dims) for (int n : dims) for (int k : dims) {
            float[] albe = ab[cases % ab.length];
            for (int t = 0; t < 4; t++) {
                check(rnd, t >= 2, (t & 1) == 1, m, n, k, albe[0], albe[1]);
            }
            cases++;
        }
    }

    @Test
    void gemmMatchesReferenceAcrossBlocks() {
        SplittableRandom rnd = new SplittableRandom(12);
        int[][] shapes = {{150, 40, 300}, {7, 2100, 9}, {25, 2100, 9}, {60, 130, 300}, {31, 67, 260}, {145, 33, 257}, {64, 64, 64}, {5, 50, 50}, {50, 50, 5}, {8, 8, 8},
            // one column panel (n <= 2L) with A too large to stay unpacked by size: A read in place
            {300, VectorGemm.NR, 300}, {151, VectorGemm.NR - 3, 517}, {290, Lanes.L, 70}, {97, 5, 600}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) check(rnd, t >= 2, (t & 1) == 1, s[0], s[1], s[2], 0.5f, t == 3 ? 0f : 1.5f);
        }
    }

    /**
     * Each C entry is the same FMA chain whether op(A) is packed or read in place: the first NR
     * columns of a product whose B has one column panel (A in place) equal, bit for bit, those of
     * the same product with a few more columns (A packed).
     */
    @Test
    void packingOfADoesNotChangeBits() {
        SplittableRandom rnd = new SplittableRandom(16);
        int m = 150, k = 300, nr = VectorGemm.NR, wide = nr + 5;
        for (int t = 0; t < 2; t++) {
            boolean ta = t == 1;
            float[] a = random(rnd, m * k), b = random(rnd, k * wide), bNarrow = new float[k * nr];
            for (int p = 0; p < k; p++) System.arraycopy(b, p * wide, bNarrow, p * nr, nr);
            float[] cWide = new float[m * wide], cNarrow = new float[m * nr];
            vec.gemm(ta, false, m, wide, k, 1f, a, 0, ta ? m : k, b, 0, wide, 0f, cWide, 0, wide);
            vec.gemm(ta, false, m, nr, k, 1f, a, 0, ta ? m : k, bNarrow, 0, nr, 0f, cNarrow, 0, nr);
            for (int i = 0; i < m; i++) for (int j = 0; j < nr; j++) {
                assertEquals(Float.floatToRawIntBits(cWide[i * wide + j]), Float.floatToRawIntBits(cNarrow[i * nr + j]),
                        (ta ? "T" : "N") + " entry " + i + "," + j);
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        SplittableRandom rnd = new SplittableRandom(13);
        int m = 9, n = 19, k = 4;
        float[] a = random(rnd, m * k), b = random(rnd, k * n), c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        vec.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        for (float v : c) assertTrue(Float.isFinite(v));
        java.util.Arrays.fill(c, Float.NaN);
        vec.gemm(false, false, m, n, k, 0f, a, 0, k, b, 0, n, 0f, c, 0, n);
        for (float v : c) assertEquals(0f, v);
    }

    @Test
    void repeatedCallsGiveSameBits() {
        SplittableRandom rnd = new SplittableRandom(14);
        int m = 37, n = 41, k = 300;
        float[] a = random(rnd, m * k), b = random(rnd, k * n);
        float[] c1 = new float[m * n], c2 = new float[m * n];
        vec.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c1, 0, n);
        vec.gemm(false, false, 3, 3, 3, 1f, a, 0, 3, b, 0, 3, 0f, c2, 0, 3); // other shape in between
        vec.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c2, 0, n);
        for (int i = 0; i < c1.length; i++) assertEquals(Float.floatToRawIntBits(c1[i]), Float.floatToRawIntBits(c2[i]));
    }

    @Test
    void gemvAndGerMatchReference() {
        SplittableRandom rnd = new SplittableRandom(15);
        int[] dims = {0, 1, 3, 4, 5, 8, 9, 17, 33, 70};
        for (int m : dims) for (int n : dims) for (int t = 0; t < 2; t++) {
            boolean trans = t == 1;
            int lda = n + 3, off = 2;
            float[] a = random(rnd, off + m * lda);
            int xl = trans ? m : n, yl = trans ? n : m;
            float[] x = random(rnd, 1 + xl), y = random(rnd, 1 + yl);
            float[] y2 = y.clone(), yv = y.clone();
            float alpha = 0.75f, beta = t == 0 ? 0f : -1.25f;
            vec.gemv(trans, m, n, alpha, a, off, lda, x, 1, beta, yv, 1);
            sca.gemv(trans, m, n, alpha, a, off, lda, x, 1, beta, y2, 1);
            for (int i = 0; i < yl; i++) {
                double ref = beta == 0 ? 0 : beta * (double) y[1 + i], mag = Math.abs(ref);
                for (int p = 0; p < xl; p++) {
                    double av = trans ? a[off + p * lda + i] : a[off + i * lda + p];
                    ref += alpha * av * x[1 + p];
                    mag += Math.abs(alpha * av * x[1 + p]);
                }
                double tol = (xl + 3) * U * mag + 1e-30;
                assertEquals(ref, yv[1 + i], tol, "gemv vector " + trans + " " + m + "x" + n + " i=" + i);
                assertEquals(ref, y2[1 + i], tol, "gemv scalar " + trans + " " + m + "x" + n + " i=" + i);
            }
            float[] g = a.clone();
            float[] gx = random(rnd, m + 1), gy = random(rnd, n + 1);
            vec.ger(m, n, alpha, gx, 1, gy, 1, g, off, lda);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double ref = a[off + i * lda + j] + alpha * (double) gx[1 + i] * gy[1 + j];
                double tol = 3 * U * (Math.abs(a[off + i * lda + j]) + Math.abs(alpha * (double) gx[1 + i] * gy[1 + j]));
                assertEquals(ref, g[off + i * lda + j], tol);
            }
            assertEquals(a[0], g[0]); // offset prefix untouched
        }
    }

    private void check(SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + 1 + rnd.nextInt(3), ldb = bCols + rnd.nextInt(3), ldc = n + rnd.nextInt(4);
        int aOff = rnd.nextInt(4), bOff = rnd.nextInt(4), cOff = rnd.nextInt(4);
        float[] a = random(rnd, aOff + aRows * lda + 1);
        float[] b = random(rnd, bOff + bRows * ldb + 1);
        float[] c0 = random(rnd, cOff + m * ldc + 1);
        if (beta == 0f) for (int i = 0; i < m; i++) c0[cOff + i * ldc] = Float.NaN;
        float[] cv = c0.clone(), cs = c0.clone();
        vec.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, cv, cOff, ldc);
        sca.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, cs, cOff, ldc);
        String what = (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k + " alpha=" + alpha + " beta=" + beta;
        boolean[] inC = new boolean[c0.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                inC[ci] = true;
                double ref = beta == 0f ? 0 : beta * (double) c0[ci];
                double mag = Math.abs(ref);
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    ref += alpha * av * bv;
                    mag += Math.abs(alpha * av * bv);
                }
                double tol = (k + 3) * U * mag + 1e-30;
                assertEquals(ref, cv[ci], tol, "vector " + what + " at " + i + "," + j);
                assertEquals(ref, cs[ci], tol, "scalar " + what + " at " + i + "," + j);
            }
        }
        for (int i = 0; i < c0.length; i++) {
            if (!inC[i]) assertEquals(Float.floatToRawIntBits(c0[i]), Float.floatToRawIntBits(cv[i]), "outside C " + what);
        }
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return v;
    }
}
