package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArProcessTest {

    private static final ArProcess.Kind[] KINDS = ArProcess.Kind.values();

    private static ArProcess process(ArProcess.Kind k, ArProcess.Start s) {
        int d = k == ArProcess.Kind.SCALAR_COMPLEX ? 1 : 6;
        return new ArProcess(k, d, 12, s, 0, 50);
    }

    @Test
    void everyWIsOrthogonal() {
        Rng rng = Rng.seeded(1);
        for (ArProcess.Kind k : KINDS) {
            ArProcess p = process(k, ArProcess.Start.ONES);
            int m = p.dim();
            double[] w = new double[m * m];
            for (int rep = 0; rep < 20; rep++) {
                p.sampleW(rng, w);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        double g = 0;
                        for (int r = 0; r < m; r++) g += w[r * m + i] * w[r * m + j];
                        assertEquals(i == j ? 1 : 0, g, 1e-5, k + ": (W^T W)[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void scalarComplexAnglesLieBelowTwoPiOverMu() {
        ArProcess p = process(ArProcess.Kind.SCALAR_COMPLEX, ArProcess.Start.ONES);
        Rng rng = Rng.seeded(2);
        double[] w = new double[4];
        double maxAngle = 0;
        for (int rep = 0; rep < 2000; rep++) {
            p.sampleW(rng, w);
            double angle = Math.atan2(w[2], w[0]);
            assertTrue(angle >= 0 && angle < 2 * Math.PI / 50, "angle " + angle);
            maxAngle = Math.max(maxAngle, angle);
        }
        assertTrue(maxAngle > 0.9 * 2 * Math.PI / 50, "angles should fill [0, 2pi/mu): max " + maxAngle);
    }

    @Test
    void sequencesFollowTheRecurrenceExactly() {
        for (ArProcess.Kind k : KINDS) {
            for (ArProcess.Start s : ArProcess.Start.values()) {
                ArProcess p = process(k, s);
                int m = p.dim();
                Rng rng = Rng.seeded(3);
                double[] w = new double[m * m], s0 = new double[m];
                p.sampleW(rng, w);
                p.sampleStart(rng, s0);
                SequenceBatch b = p.newBatch(1);
                p.fill(rng, w, s0, b, 0);
                // Each stored state is the float rounding of the float64 iterate; |s_t| is preserved, so
                // one step of W on the stored s_t differs from s_{t+1} by at most a few float ulps of |s|.
                double norm0 = 0;
                for (double x : s0) norm0 += x * x;
                for (int t = 0; t < p.len(); t++) {
                    double norm = 0;
                    for (int r = 0; r < m; r++) {
                        double acc = 0;
                        for (int c = 0; c < m; c++) acc += w[r * m + c] * b.states[b.offset(0, t) + c];
                        assertEquals(acc, b.states[b.offset(0, t + 1) + r], 4e-6 * Math.sqrt(norm0) * Math.sqrt(m),
                                k + "/" + s + " s_" + (t + 1) + "[" + r + "]");
                        norm += acc * acc;
                    }
                    assertEquals(norm0, norm, 1e-5 * norm0, k + "/" + s + ": W preserves the norm");
                }
            }
        }
    }

    @Test
    void startOptions() {
        Rng rng = Rng.seeded(4);
        double[] s0 = new double[12];
        ArProcess.of(ArProcess.Kind.UNITARY_DIAGONAL, 6, 3, ArProcess.Start.ONES).sampleStart(rng, s0);
        for (int i = 0; i < 12; i++) assertEquals(i % 2 == 0 ? 1 : 0, s0[i], "complex one is the pair (1, 0)");
        double[] r6 = new double[6];
        ArProcess.of(ArProcess.Kind.ROTATION_BLOCKS, 6, 3, ArProcess.Start.SCALED_ONES).sampleStart(rng, r6);
        for (double x : r6) assertEquals(1 / Math.sqrt(6), x, 1e-15);
        ArProcess.of(ArProcess.Kind.ROTATION_BLOCKS, 6, 3, ArProcess.Start.RANDOM).sampleStart(rng, r6);
        for (int b = 0; b < 3; b++) assertEquals(2, r6[2 * b] * r6[2 * b] + r6[2 * b + 1] * r6[2 * b + 1], 1e-12, "block norm as all-ones");
    }

    @Test
    void noiseIsAdditive() {
        ArProcess p = new ArProcess(ArProcess.Kind.HAAR_ORTHOGONAL, 4, 200, ArProcess.Start.ONES, 0.1, 1);
        Rng rng = Rng.seeded(5);
        double[] w = new double[16], s0 = new double[4];
        p.sampleW(rng, w);
        p.sampleStart(rng, s0);
        SequenceBatch b = p.newBatch(1);
        p.fill(rng, w, s0, b, 0);
        double ss = 0;
        int n = 0;
        for (int t = 0; t < p.len(); t++) {
            for (int r = 0; r < 4; r++) {
                double acc = 0;
                for (int c = 0; c < 4; c++) acc += w[r * 4 + c] * b.states[b.offset(0, t) + c];
                double e = b.states[b.offset(0, t + 1) + r] - acc;
                ss += e * e;
                n++;
            }
        }
        // 800 N(0, 0.01) residuals: sample variance within 6 standard errors (sd of s^2 is sqrt(2/n) sigma^2).
        assertEquals(0.01, ss / n, 6 * Math.sqrt(2.0 / n) * 0.01);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ArProcess.of(ArProcess.Kind.ROTATION_BLOCKS, 5, 3, ArProcess.Start.ONES));
        assertThrows(IllegalArgumentException.class, () -> ArProcess.of(ArProcess.Kind.SCALAR_COMPLEX, 2, 3, ArProcess.Start.ONES));
        assertThrows(IllegalArgumentException.class, () -> new ArProcess(ArProcess.Kind.HAAR_ORTHOGONAL, 3, 3, ArProcess.Start.ONES, -1, 1));
    }
}
