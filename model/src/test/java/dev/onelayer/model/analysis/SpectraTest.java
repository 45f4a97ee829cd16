package dev.onelayer.model.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpectraTest {

    private static final double TOL = 16 * Math.ulp(1.0);

    @Test
    void effectiveRanks() {
        assertEquals(1, Spectra.entropyEffectiveRank(new double[] {2, 0, 0}), TOL);
        assertEquals(4, Spectra.entropyEffectiveRank(new double[] {3, 3, 3, 3}), 4 * TOL);
        assertEquals(0, Spectra.entropyEffectiveRank(new double[] {0, 0}), 0);
        // p = (2/3, 1/3): exp(h) with h = ln 3 − (2/3) ln 2.
        assertEquals(Math.exp(Math.log(3) - 2.0 / 3 * Math.log(2)), Spectra.entropyEffectiveRank(new double[] {2, 1}), 4 * TOL);

        double[] s = {10, 5, 0.02, 0.001};
        assertEquals(2, Spectra.thresholdRank(s, 1e-2));
        assertEquals(3, Spectra.thresholdRank(s, 1e-3));
        assertEquals(3, Spectra.thresholdRank(s, 1e-4)); // 0.001 is not strictly above 0.001
        assertEquals(4, Spectra.thresholdRank(s, 0));
        assertEquals(0, Spectra.thresholdRank(new double[] {0, 0}, 0.1));
        assertEquals((100 + 25 + 0.0004 + 1e-6) / 100, Spectra.stableRank(s), TOL);
    }

    @Test
    void energyFractions() {
        double[] s = {4, 3};
        assertEquals(0, Spectra.energyFraction(s, 0), 0);
        assertEquals(16.0 / 25, Spectra.energyFraction(s, 1), TOL);
        assertEquals(1, Spectra.energyFraction(s, 2), 0);
        assertEquals(1, Spectra.rankForEnergy(s, 0.6));
        assertEquals(2, Spectra.rankForEnergy(s, 0.65));
        assertThrows(IllegalArgumentException.class, () -> Spectra.energyFraction(new double[] {1, 2}, 1));
        assertThrows(IllegalArgumentException.class, () -> Spectra.energyFraction(s, 3));
        assertThrows(IllegalArgumentException.class, () -> Spectra.entropyEffectiveRank(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> Spectra.thresholdRank(s, 2));
    }

    @Test
    void spectrumOfALowRankUpdate() {
        // A rank-2 matrix plus nothing: threshold rank 2, and 100% energy in the top 2.
        double[] a = SvdTest.compose(6, 5, SvdTest.orthonormalColumns(new java.util.Random(1), 6, 2),
                new double[] {5, 1}, SvdTest.orthonormalColumns(new java.util.Random(2), 5, 2));
        double[] sigma = Svd.of(6, 5, a).singularValues();
        assertEquals(2, Spectra.thresholdRank(sigma, 1e-9));
        assertEquals(1, Spectra.energyFraction(sigma, 2), 1e-12);
        assertEquals(25.0 / 26, Spectra.energyFraction(sigma, 1), 1e-12);
    }
}
