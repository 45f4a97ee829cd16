package dev.onelayer.model.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EntropyTest {

    /** Closed forms and the solver differ by a few dozen roundings of O(1) quantities. */
    private static final double TOL = 64 * Math.ulp(1.0);
    /** The paper notes quote four decimals. */
    private static final double PAPER = 5e-5;

    @Test
    void binaryEntropy() {
        assertEquals(Math.log(2), Entropy.binary(0.5), TOL);
        assertEquals(0, Entropy.binary(0), 0);
        assertEquals(0, Entropy.binary(1), 0);
        assertEquals(Entropy.binary(0.2), Entropy.binary(0.8), TOL);
        assertThrows(IllegalArgumentException.class, () -> Entropy.binary(1.5));
        assertThrows(IllegalArgumentException.class, () -> Entropy.binary(Double.NaN));
    }

    @Test
    void binaryChainReferenceValues() {
        // Makkuva et al.: entropy rate (global minimum) and stationary entropy (unigram minimum).
        double[][] cases = {{0.2, 0.3, 0.5446, 0.6730}, {0.5, 0.8, 0.6190, 0.6663}};
        for (double[] c : cases) {
            double[][] k = Entropy.binaryChain(c[0], c[1]);
            assertEquals(c[2], Entropy.entropyRate(k), PAPER, "entropy rate p=" + c[0] + " q=" + c[1]);
            assertEquals(c[3], Entropy.of(Entropy.stationaryDistribution(k)), PAPER, "stationary entropy");
            assertEquals(c[3], Entropy.binary(c[0] / (c[0] + c[1])), PAPER);
        }
    }

    @Test
    void entropyRateMatchesClosedFormOnAGrid() {
        for (int i = 1; i < 20; i++) {
            for (int j = 1; j < 20; j++) {
                double p = i / 20.0, q = j / 20.0;
                double closed = (q * Entropy.binary(p) + p * Entropy.binary(q)) / (p + q);
                assertEquals(closed, Entropy.entropyRate(Entropy.binaryChain(p, q)), TOL, "p=" + p + " q=" + q);
                double[] pi = Entropy.stationaryDistribution(Entropy.binaryChain(p, q));
                assertArrayEquals(new double[] {q / (p + q), p / (p + q)}, pi, TOL);
            }
        }
    }

    @Test
    void stationaryDistributionOfLargerAndPeriodicChains() {
        double[][] k = {{0.5, 0.25, 0.25}, {0.1, 0.6, 0.3}, {0.3, 0.3, 0.4}};
        double[] pi = Entropy.stationaryDistribution(k);
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            double x = 0;
            for (int i = 0; i < 3; i++) x += pi[i] * k[i][j];
            assertEquals(pi[j], x, TOL, "πP = π at " + j);
            sum += pi[j];
        }
        assertEquals(1, sum, TOL);
        // Period 2: power iteration would oscillate, the linear solve does not care.
        assertArrayEquals(new double[] {0.5, 0.5}, Entropy.stationaryDistribution(Entropy.binaryChain(1, 1)), TOL);
        assertEquals(0, Entropy.entropyRate(Entropy.binaryChain(1, 1)), TOL);
        // i.i.d. uniform over 4 symbols: rate = ln 4 = entropy of each row.
        double[][] u = new double[4][4];
        for (double[] row : u) java.util.Arrays.fill(row, 0.25);
        assertEquals(Math.log(4), Entropy.entropyRate(u), TOL);
        assertEquals(Math.log(4), Entropy.of(new double[] {0.25, 0.25, 0.25, 0.25}), TOL);
    }

    @Test
    void rejectsBadKernels() {
        assertThrows(IllegalArgumentException.class, () -> Entropy.stationaryDistribution(new double[][] {{1, 0}, {0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> Entropy.entropyRate(new double[][] {{0.5, 0.6}, {0.5, 0.5}}));
        assertThrows(IllegalArgumentException.class, () -> Entropy.entropyRate(new double[][] {{1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> Entropy.of(new double[] {0.5, -0.1, 0.6}));
        assertThrows(IllegalArgumentException.class, () -> Entropy.binaryChain(0.2, 1.2));
    }
}
