package dev.onelayer.model.icar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6 test (3) on 2x2 rotation data, d = 10 (icar.md validated settings 3): the trained
 * augmented model's fitted step against one GD step. Per-position models use batch 128 (validated:
 * 256), 2000 steps with a random s_0 and 1000 with all-ones; the shared model batch 64 for 500
 * steps, to keep the suite short. Step counts were measured (seed 0): all-ones at 1000 steps, worst
 * eta gap 4.2% at t = 5 (2000 steps: 4.8%), loss at least 0.976 of one GD step's; shared model at
 * 500 steps, worst gap over t &gt;= 2 1.1% (1000 steps: 0.9%).
 */
class AugmentedExperimentTest {

    private static final int[] POSITIONS = {5, 8, 10, 19};

    private static AugmentedExperiment.Config perPosition(ArProcess.Start start, int steps) {
        return new AugmentedExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, 10, start, POSITIONS, 0, steps, 128, 1e-2, 16384, 0, 2);
    }

    @Test
    void randomStartPerPositionStepIsOneOverTPlusDMinusOne() {
        AugmentedExperiment.Result r = AugmentedExperiment.run(perPosition(ArProcess.Start.RANDOM, 2000));
        System.out.println(r.summary());
        for (AugmentedExperiment.Fit f : r.perPosition()) {
            assertTrue(Math.abs(f.relativeGap()) <= 0.03, () -> "t=" + f.t() + ": eta not within 3% of 1/(t+d-1)\n" + r.summary());
        }
    }

    @Test
    void onesStartPerPositionStepWithin12PercentAndBeatsGdByAtMost5Percent() {
        AugmentedExperiment.Result r = AugmentedExperiment.run(perPosition(ArProcess.Start.ONES, 1000));
        System.out.println(r.summary());
        for (AugmentedExperiment.Fit f : r.perPosition()) {
            assertTrue(Math.abs(f.relativeGap()) <= 0.12, () -> "t=" + f.t() + ": eta not within 12% of 1/(t+d-1)\n" + r.summary());
            assertTrue(f.normalisedLoss() >= 0.95 * f.gdLoss(), () -> "t=" + f.t() + ": loss more than 5% below one GD step\n" + r.summary());
        }
    }

    @Test
    void sharedModelHasOneFlatStep() {
        AugmentedExperiment.Result r = AugmentedExperiment.run(new AugmentedExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, 10,
                ArProcess.Start.RANDOM, new int[0], 20, 500, 64, 1e-2, 32768, 0, 2));
        System.out.println(r.summary());
        // 32768 held-out sequences: with 8192 the fit noise alone reached 4% at small t (seed 1).
        // t = 1 is left out and reported: there the trained shared model sits 2.5-4.5% below the best
        // shared step in every seed tried (0, 1, 2), a systematic deviation, not noise.
        for (AugmentedExperiment.Fit f : r.shared()) {
            if (f.t() < 2) continue;
            assertTrue(Math.abs(f.relativeGap()) <= 0.03, () -> "t=" + f.t() + ": eta not within 3% of sum t / sum (t^2+(d-1)t)\n" + r.summary());
        }
    }
}
