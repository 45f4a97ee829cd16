package dev.onelayer.model.icar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6 tests (1) and (2) with the thresholds of icar.md's validated settings (Adam 1e-2 with
 * cosine decay, batch 256; the sign of c is random, so products and ratios are tested).
 */
class DiagonalExperimentTest {

    @Test
    void unitaryFullHeadsLearnsCIdentityAndNewestTokenWeight() {
        DiagonalExperiment.Result r = DiagonalExperiment.run(DiagonalExperiment.Config.unitary(10, 300, 0));
        System.out.println(r.summary());
        assertTrue(r.worstNewestGap() <= 0.05, () -> "c*p_{r,r+1} not within 5% of 1:\n" + r.summary());
        assertTrue(r.cOffStructure() <= 0.05, () -> "off-diagonal C above 5% of max:\n" + r.summary());
        assertTrue(r.pOffStructure() <= 0.05, () -> "off-structure P above 5% of max:\n" + r.summary());
    }

    @Test
    void rotationBlocksLearnTrigonometricRatio() {
        DiagonalExperiment.Result r = DiagonalExperiment.run(DiagonalExperiment.Config.rotations(8, 800, 0));
        System.out.println(r.summary());
        assertTrue(r.worstRatioGap() <= 0.025, () -> "p_{r,r}/p_{r,r+1} not within 5% of -1/2:\n" + r.summary());
        assertTrue(r.worstNewestGap() <= 0.05, () -> "c*p_{r,r+1} not within 5% of 1:\n" + r.summary());
    }
}
