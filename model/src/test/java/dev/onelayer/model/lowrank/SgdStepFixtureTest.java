package dev.onelayer.model.lowrank;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SgdStepFixtureTest {

    @Test
    void issueShapeStepsAndLearns() {
        SgdStepFixture f = SgdStepFixture.issueShape(1);
        assertEquals(256, f.model().neurons());
        assertEquals(32, f.model().d());
        double first = f.step();
        // at init F is about 0 for every sample, so the hinge loss is about 1
        assertEquals(1.0, first, 0.05);
        double last = first;
        for (int i = 0; i < 40; i++) last = f.step();
        assertTrue(last < first, "loss " + first + " -> " + last);
        assertTrue(f.flopsPerStep() > 0);
    }
}
