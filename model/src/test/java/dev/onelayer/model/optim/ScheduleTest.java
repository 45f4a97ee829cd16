package dev.onelayer.model.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ScheduleTest {

    static final double EPS = 1e-15;

    /** PyTorch: initial_lr = max_lr/div_factor, min_lr = initial_lr/final_div_factor. */
    @Test
    void oneCycleMarkovPaperSettings() {
        long total = 1000;
        OneCycle s = new OneCycle(2e-3, total, 0.02, 100, 0.05);
        assertEquals(2e-5, s.initialLr(), EPS);
        assertEquals(4e-4, s.minLr(), EPS);
        assertEquals(2e-5, s.lr(0), EPS);                 // step 0: initial_lr
        assertEquals(2e-3, s.lr(19), EPS);                // pct_start*total - 1 = 19: max_lr
        assertEquals(4e-4, s.lr(total - 1), EPS);         // last step: min_lr
        // halfway through phase 1 (step 9.5 is not a step; use pct = 10/19) and phase 2 midpoint
        double pct1 = 10.0 / 19;
        assertEquals(2e-3 + (2e-5 - 2e-3) / 2 * (Math.cos(Math.PI * pct1) + 1), s.lr(10), EPS);
        double mid2 = 19 + (999 - 19) / 2.0; // = 509
        assertEquals((2e-3 + 4e-4) / 2, s.lr((long) mid2), 1e-15);
        assertTrue(s.lr(18) < s.lr(19) && s.lr(20) < s.lr(19));
    }

    @Test
    void oneCycleNonIntegerPhaseBoundaryFollowsTorch() {
        // total 10, pct 0.25: phase-1 end = 1.5 (float, as torch): steps 0, 1 rise; step 1 is pct 1/1.5.
        OneCycle s = new OneCycle(1.0, 10, 0.25, 25, 1e4);
        double init = 0.04, min = 4e-6;
        assertEquals(init, s.lr(0), EPS);
        assertEquals(1.0 + (init - 1.0) / 2 * (Math.cos(Math.PI / 1.5) + 1), s.lr(1), EPS);
        assertEquals(min + (1.0 - min) / 2 * (Math.cos(Math.PI * 0.5 / 7.5) + 1), s.lr(2), EPS);
        assertEquals(min, s.lr(9), EPS);
    }

    @Test
    void oneCycleRejectsEmptyPhases() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OneCycle(1, 10, 0.05, 25, 1e4));
        assertTrue(e.getMessage().contains("empty phase"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OneCycle(1, 10, 1.5, 25, 1e4));
    }

    @Test
    void cosineWithWarmupKeyPoints() {
        Schedule s = Schedule.cosineWithWarmup(1.0, 10, 110, 0.1);
        assertEquals(0.1, s.lr(0), EPS);
        assertEquals(1.0, s.lr(9), EPS);
        assertEquals(1.0, s.lr(10), EPS);
        assertEquals(0.55, s.lr(60), 1e-15);
        assertEquals(0.1, s.lr(110), EPS);
        assertEquals(0.1, s.lr(500), EPS);
        assertEquals(0.3, Schedule.constant(0.3).lr(12345), 0);
    }
}
