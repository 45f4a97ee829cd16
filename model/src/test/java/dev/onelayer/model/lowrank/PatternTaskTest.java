package dev.onelayer.model.lowrank;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generator facts: orthonormal patterns, labels equal the majority vote, counts and noise within their ranges. */
class PatternTaskTest {

    private static final double U = 0x1.0p-24; // float32 unit roundoff

    @Test
    void patternsAreOrthonormal() {
        PatternTaskConfig c = PatternTaskConfig.small();
        PatternTask t = new PatternTask(c, 3);
        int d = c.d();
        // Each entry of a float64 orthogonal matrix is rounded with relative error <= u, so an
        // inner product of two rows moves by at most 2u sum |p_i q_i| + O(u^2) <= 2u (Cauchy-Schwarz).
        double tol = 2 * U + 4 * d * 0x1.0p-53;
        for (int i = 0; i < c.patterns(); i++) {
            for (int j = 0; j < c.patterns(); j++) {
                float[] a = t.pattern(i), b = t.pattern(j);
                double s = 0;
                for (int k = 0; k < d; k++) s += (double) a[k] * b[k];
                assertEquals(i == j ? 1 : 0, s, tol, "<mu_" + i + ", mu_" + j + ">");
            }
        }
    }

    @Test
    void labelsAreTheMajorityVoteAndBalanced() {
        for (int k = 1; k <= 2; k++) {
            PatternTaskConfig c = PatternTaskConfig.small().withRelevantPerClass(k).withSizes(400, 200);
            PatternTask t = new PatternTask(c, 5);
            for (PatternData data : new PatternData[] {t.train(), t.test()}) {
                int plus = 0;
                for (int i = 0; i < data.n(); i++) {
                    int y = data.y()[i];
                    assertEquals(y, t.vote(data.pattern(), i * c.seqLen()), "sample " + i);
                    if (y > 0) plus++;
                    int rel = 0, conf = 0;
                    for (int l = 0; l < c.seqLen(); l++) {
                        int cls = t.classOf(data.pattern()[i * c.seqLen() + l]);
                        if (cls == y) rel++;
                        else if (cls == -y) conf++;
                    }
                    assertTrue(rel >= c.minRelevant() && rel <= c.maxRelevant(), "relevant count " + rel + " of sample " + i);
                    assertTrue(conf < rel, "confusion tokens " + conf + " must be fewer than relevant " + rel);
                }
                assertEquals(data.n() / 2, plus, "balanced classes");
            }
        }
    }

    @Test
    void everyTokenIsItsPatternPlusNoiseOfNormAtMostTau() {
        PatternTaskConfig c = PatternTaskConfig.small().withSizes(100, 10);
        PatternTask t = new PatternTask(c, 9);
        PatternData data = t.train();
        int d = c.d();
        double maxNoise = 0;
        for (int tok = 0; tok < data.n() * c.seqLen(); tok++) {
            float[] mu = t.pattern(data.pattern()[tok]);
            double s = 0;
            for (int k = 0; k < d; k++) {
                double e = data.x()[tok * d + k] - (double) mu[k];
                s += e * e;
            }
            maxNoise = Math.max(maxNoise, Math.sqrt(s));
        }
        // float rounding of mu + xi adds at most u (|mu| + |xi|) <= u (1 + tau) per token in norm
        assertTrue(maxNoise <= c.tau() + U * (1 + c.tau()) * Math.sqrt(d), "noise norm " + maxNoise);
        assertTrue(maxNoise > c.tau() / 2, "noise is present: " + maxNoise);
    }

    @Test
    void aSeedFixesTheSetsAndTestSizeDoesNotChangeTraining() {
        PatternTask a = new PatternTask(PatternTaskConfig.small().withSizes(50, 20), 4);
        PatternTask b = new PatternTask(PatternTaskConfig.small().withSizes(50, 30), 4);
        assertArrayEquals(a.train().x(), b.train().x());
        assertArrayEquals(a.train().y(), b.train().y());
        assertArrayEquals(a.patterns(), b.patterns());
    }

    @Test
    void badConfigsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PatternTaskConfig(4, 8, 16, 1, 0.3, 0.1, 1, 0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PatternTaskConfig(16, 8, 16, 1, 0.3, 0.1, 1, 0.6, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PatternTaskConfig(16, 8, 16, 5, 0.3, 0.1, 1, 0.1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PatternTaskConfig(16, 2, 16, 1, 0.3, 0.1, 1, 0.1, 10, 10));
    }
}
