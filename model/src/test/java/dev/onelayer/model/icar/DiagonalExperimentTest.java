package dev.onelayer.model.icar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6 tests (1) and (2) with the thresholds of icar.md's validated settings: Adam 1e-2 with
 * cosine decay; the sign of c is random, so products and ratios are tested. Batches are smaller
 * than the validated 256 (16 and 32) to keep the suite short: at the zero-loss optimum every
 * sequence is predicted exactly, so the gradient noise vanishes there and small batches converge.
 */
class DiagonalExperimentTest {

    private static DiagonalExperiment.Config cfg(ArProcess.Kind kind, int heads, int seqLen, int steps, int batch) {
        return new DiagonalExperiment.Config(kind, 10, heads, seqLen, steps, batch, 1e-2, 2048, 0, 2);
    }

    @Test
    void unitaryWithDHeadsLearnsScaledIdentityAndNewestTokenWeight() {
        DiagonalExperiment.Result r = DiagonalExperiment.run(cfg(ArProcess.Kind.UNITARY_DIAGONAL, 10, 20, 300, 16));
        System.out.println(r.summary());
        assertTrue(r.worstNewestGap() <= 0.05, () -> "c*p_{r,r+1} not within 5% of 1 on every row:\n" + r.summary());
        assertTrue(r.cOffStructure() <= 0.05, () -> "off-diagonal C above 5% of max |C|:\n" + r.summary());
        assertTrue(r.pOffStructure() <= 0.05, () -> "off-structure causal P above 5% of max:\n" + r.summary());
    }

    @Test
    void unitaryWithFewerHeadsStopsAtTheRankFloor() {
        // (d - H)/d = 0.5 for d = 10, H = 5; T = 10 (the floor does not depend on T) to keep it short.
        // 150 steps, measured (seed 0): population loss 0.50031 (300 steps: 0.50005), held-out 0.50594
        // (its 1.2% gap is the 2048-sequence evaluation noise, the same at 300 steps); 100 steps: 0.542.
        DiagonalExperiment.Result r = DiagonalExperiment.run(cfg(ArProcess.Kind.UNITARY_DIAGONAL, 5, 10, 150, 32));
        System.out.println(r.summary());
        assertEquals(0.5, r.lossFloor(), 0);
        assertEquals(1, r.populationLoss() / r.lossFloor(), 0.03, () -> "exact population loss not within 3% of (d-H)/d:\n" + r.summary());
        assertEquals(1, r.normalisedLoss() / r.lossFloor(), 0.03, () -> "held-out loss not within 3% of (d-H)/d:\n" + r.summary());
    }

    @Test
    void rotationBlocksWithFewerThanDHeadsLearnTheTrigonometricRatio() {
        DiagonalExperiment.Result r = DiagonalExperiment.run(cfg(ArProcess.Kind.ROTATION_BLOCKS, 8, 20, 600, 16));
        System.out.println(r.summary());
        assertTrue(r.worstRatioGap() <= 0.05 * 0.5, () -> "p_{r,r}/p_{r,r+1} not within 5% of -1/2 on every row:\n" + r.summary());
        assertTrue(r.worstNewestGap() <= 0.05, () -> "c*p_{r,r+1} not within 5% of 1:\n" + r.summary());
        assertTrue(r.cOffStructure() <= 0.05, () -> "C off the 2x2 blocks above 5% of max:\n" + r.summary());
        assertTrue(r.pOffStructure() <= 0.05, () -> "P off the two lines above 5% of max:\n" + r.summary());
    }
}
