package dev.onelayer.model.icar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fig 6 (icar.md section 4): the PE-only model reaches the repo's stopping loss, and its row T-2
 * profile oscillates for mu = 50 and is monotone for mu = 300. 64 fixed sequences instead of the
 * repo's 1,000 to keep the suite short (with 1,000 the profiles agree to about 0.003).
 */
class PeOnlyExperimentTest {

    private static PeOnlyExperiment.Result run(double mu) {
        PeOnlyExperiment.Result r = PeOnlyExperiment.run(new PeOnlyExperiment.Config(mu, 30, 64, 0.5 / 29, 3000, 1e-3, 0, 2));
        System.out.println(r.summary());
        assertTrue(r.normalisedLoss() < 1e-3, () -> "did not reach the stopping loss:\n" + r.summary());
        return r;
    }

    @Test
    void profileGoesFromOscillatingToMonotoneAsMuGrows() {
        PeOnlyExperiment.Result small = run(50), large = run(300);
        assertTrue(small.turningPoints() >= 2, () -> "mu = 50 should oscillate:\n" + small.summary());
        assertEquals(0, large.turningPoints(), () -> "mu = 300 should be monotone:\n" + large.summary());
        // Notes: the profile ends near 0.33 (mu = 50) and 0.13 (mu = 300); larger mu, lower end.
        assertTrue(small.lastRow()[28] > large.lastRow()[28], "end of row T-2 decreases with mu");
    }
}
