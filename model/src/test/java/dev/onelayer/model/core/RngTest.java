package dev.onelayer.model.core;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class RngTest {

    @Test
    void sameSeedAndPurposeGiveTheSameBitsDifferentPurposesDiffer() {
        Rng a = Rng.stream(42, "data"), b = Rng.stream(42, "data"), c = Rng.stream(42, "init"), d = Rng.stream(43, "data");
        long[] xa = new long[8], xb = new long[8], xc = new long[8], xd = new long[8];
        for (int i = 0; i < 8; i++) {
            xa[i] = a.nextLong();
            xb[i] = b.nextLong();
            xc[i] = c.nextLong();
            xd[i] = d.nextLong();
        }
        assertArrayEquals(xa, xb);
        assertFalse(Arrays.equals(xa, xc));
        assertFalse(Arrays.equals(xa, xd));
    }

    @Test
    void stateRoundTripContinuesWithTheSameBitsIncludingTheCachedNormal() {
        Rng a = Rng.seeded(7);
        a.normal(); // leaves the second Box–Muller value cached
        long[] st = a.state();
        Rng b = Rng.fromState(st);
        for (int i = 0; i < 100; i++) assertEquals(Double.doubleToRawLongBits(a.normal()), Double.doubleToRawLongBits(b.normal()));
        assertEquals(a.nextLong(), b.nextLong());
        assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new long[5]));
        assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new long[6]));
    }

    @Test
    void splitStreamsAreDeterministicAndDistinct() {
        Rng a = Rng.seeded(1), b = Rng.seeded(1);
        Rng a1 = a.split(), b1 = b.split();
        assertEquals(a1.nextLong(), b1.nextLong());
        assertNotEquals(a.nextLong(), a1.nextLong());
    }

    @Test
    void uniformAndNormalMomentsWithinFiveSigma() {
        Rng r = Rng.seeded(11);
        int n = 200_000;
        double s = 0, s2 = 0, u = 0;
        for (int i = 0; i < n; i++) {
            double x = r.normal();
            s += x;
            s2 += x * x;
            double v = r.nextDouble();
            assertTrue(v >= 0 && v < 1);
            u += v;
        }
        // standard errors: mean 1/√n, second moment √2/√n, uniform mean √(1/12)/√n
        assertEquals(0, s / n, 5 / Math.sqrt(n));
        assertEquals(1, s2 / n, 5 * Math.sqrt(2) / Math.sqrt(n));
        assertEquals(0.5, u / n, 5 * Math.sqrt(1.0 / 12) / Math.sqrt(n));
    }

    @Test
    void categoricalFrequenciesMatchWeights() {
        Rng r = Rng.seeded(5);
        double[] p = {0.1, 0, 0.6, 0.3};
        int n = 100_000;
        int[] counts = new int[p.length];
        for (int i = 0; i < n; i++) counts[r.categorical(p)]++;
        assertEquals(0, counts[1]);
        for (int k = 0; k < p.length; k++) {
            double sd = Math.sqrt(n * p[k] * (1 - p[k]));
            assertEquals(n * p[k], counts[k], 5 * sd + 1e-9, "category " + k);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.categorical(new double[]{0.5, -0.1}));
        assertTrue(e.getMessage().contains("p[1]"), e.getMessage());
    }

    @Test
    void dirichletSumsToOneAndHasTheRightMean() {
        Rng r = Rng.seeded(9);
        double[] alpha = {0.3, 1.0, 2.5, 0.05};
        double a0 = Arrays.stream(alpha).sum();
        int n = 20_000;
        double[] mean = new double[alpha.length];
        for (int t = 0; t < n; t++) {
            double[] x = r.dirichlet(alpha);
            double s = 0;
            for (int k = 0; k < x.length; k++) {
                assertTrue(x[k] >= 0);
                s += x[k];
                mean[k] += x[k] / n;
            }
            assertEquals(1.0, s, 4 * 0x1p-52);
        }
        for (int k = 0; k < alpha.length; k++) {
            double m = alpha[k] / a0, var = m * (1 - m) / (a0 + 1);
            assertEquals(m, mean[k], 5 * Math.sqrt(var / n), "component " + k);
        }
    }

    @Test
    void haarOrthogonalIsOrthogonalAndSignFixed() {
        Rng r = Rng.seeded(3);
        for (int n : new int[]{1, 2, 5, 16}) {
            double[] q = r.haarOrthogonal(n);
            float[] qf = Rng.seeded(3 + n).haarOrthogonalFloat(n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, sf = 0;
                    for (int k = 0; k < n; k++) {
                        s += q[k * n + i] * q[k * n + j];
                        sf += (double) qf[k * n + i] * qf[k * n + j];
                    }
                    double id = i == j ? 1 : 0;
                    assertEquals(id, s, 1e-12, "QᵀQ(" + i + "," + j + ") n=" + n);
                    assertEquals(id, sf, 1e-5, "float QᵀQ(" + i + "," + j + ") n=" + n);
                }
            }
        }
        // Without the sign fix Householder QR gives Q₁₁ ≤ 0 always; Haar has E[Q₁₁] = 0, sd 1/√n.
        int samples = 4000, n = 3;
        double s = 0;
        for (int t = 0; t < samples; t++) s += r.haarOrthogonal(n)[0];
        assertEquals(0, s / samples, 5 / Math.sqrt(n * samples));
    }

    @Test
    void permutationIsAPermutationAndUniformInFirstPosition() {
        Rng r = Rng.seeded(2);
        int[] p = r.permutation(50);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        int n = 30_000, k = 4;
        int[] first = new int[k];
        for (int t = 0; t < n; t++) first[r.permutation(k)[0]]++;
        for (int c : first) assertEquals(n / (double) k, c, 5 * Math.sqrt(n * 0.25 * 0.75));
        assertEquals(0, r.permutation(0).length);
    }

    @Test
    void nextIntStaysInRange() {
        Rng r = Rng.seeded(8);
        for (int i = 0; i < 10_000; i++) {
            int v = r.nextInt(7);
            assertTrue(v >= 0 && v < 7);
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    }
}
