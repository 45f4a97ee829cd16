package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.GradCheck;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionMlpModelTest {

    private static final double U = 0x1.0p-24;

    /** The paper's F(X) in float64, straight from the formula (columns as tokens). */
    static double reference(AttentionMlpModel model, float[] x, int off) {
        int d = model.d(), len = model.seqLen(), m = model.neurons();
        float[] w = model.params().values();
        Param q = model.params().get("wQ"), k = model.params().get("wK"), v = model.params().get("wV"), o = model.params().get("wO");
        float[] a = model.outputVector();
        double f = 0;
        for (int l = 0; l < len; l++) {
            double[] ql = new double[d];
            for (int i = 0; i < d; i++) for (int t = 0; t < d; t++) ql[i] += w[q.offset() + i * d + t] * (double) x[off + l * d + t];
            double[] score = new double[len];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                for (int i = 0; i < d; i++) {
                    double kj = 0;
                    for (int t = 0; t < d; t++) kj += w[k.offset() + i * d + t] * (double) x[off + j * d + t];
                    score[j] += kj * ql[i];
                }
                max = Math.max(max, score[j]);
            }
            double sum = 0;
            for (int j = 0; j < len; j++) sum += Math.exp(score[j] - max);
            double[] z = new double[d];
            for (int j = 0; j < len; j++) {
                double p = Math.exp(score[j] - max) / sum;
                for (int i = 0; i < d; i++) {
                    double vj = 0;
                    for (int t = 0; t < d; t++) vj += w[v.offset() + i * d + t] * (double) x[off + j * d + t];
                    z[i] += p * vj;
                }
            }
            for (int n = 0; n < m; n++) {
                double h = 0;
                for (int i = 0; i < d; i++) h += w[o.offset() + n * d + i] * z[i];
                f += a[n] * Math.max(0, h);
            }
        }
        return f / len;
    }

    private static AttentionMlpModel tiny(long seed, int maxBatch) {
        // Unit init scales and a = +-1/sqrt(m) so every gradient is O(0.1), far above rounding.
        return new AttentionMlpModel(4, 3, new ModelConfig(4, 1, 1, 1, true), Rng.stream(seed, Rng.INIT), maxBatch);
    }

    @Test
    void forwardMatchesTheFormulaInFloat64() {
        PatternTaskConfig c = PatternTaskConfig.small().withSizes(40, 2);
        PatternTask task = new PatternTask(c, 2);
        AttentionMlpModel model = new AttentionMlpModel(c.d(), c.seqLen(), new ModelConfig(8, 1, 1, 1, true), Rng.stream(2, Rng.INIT), 16);
        double[] f = model.outputs(task.train()); // 40 samples: chunks of 16, 16, 8
        for (int i = 0; i < 40; i++) {
            double ref = reference(model, task.train().x(), task.train().offset(i));
            // float32 pipeline of depth ~ d + L + m terms per output, each O(1): a loose
            // forward-error bound of 2 (d + L + m) u times the output scale sum |a| max|h|.
            assertEquals(ref, f[i], 2 * (c.d() + c.seqLen() + 8) * U * 16, "sample " + i);
        }
        double[] contrib = model.neuronContributions(task.train());
        for (int i = 0; i < 40; i++) {
            double s = 0;
            for (int j = 0; j < 8; j++) s += contrib[i * 8 + j];
            assertEquals(f[i], s, 1e-5, "contributions of sample " + i + " sum to F");
        }
    }

    /** A point whose kink margins (asserted below) hold; seeds 11, 12, 14, 15 have a pre-activation within 20h of 0. */
    static final long GRAD_SEED = 13;

    @Test
    void gradientsMatchFiniteDifferences() {
        AttentionMlpModel model = tiny(GRAD_SEED, 3);
        Rng rng = Rng.stream(GRAD_SEED, Rng.DATA);
        float[] x = new float[3 * 3 * 4];
        rng.fillNormal(x, 0, x.length, 0, 1);
        int[] y = {1, -1, 1};
        double h = 1e-3;
        double[] f = model.forward(x, 0, 3).clone();
        // Finite differences are only valid away from the kinks: the hinge (y F = 1) and every
        // ReLU (h_lj = 0). One scalar moved by h changes a pre-activation by O(h |x| |W|), below
        // 20 h at these unit scales, so a margin of 20 h keeps every difference on one side.
        for (int i = 0; i < 3; i++) assertTrue(Math.abs(1 - y[i] * f[i]) > 20 * h, "hinge near its kink: F=" + f[i]);
        double minPre = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 3 * 3 * 4; i++) minPre = Math.min(minPre, Math.abs(model.preActivations()[i]));
        assertTrue(minPre > 20 * h, "a pre-activation is within 20h of the ReLU kink: " + minPre);
        GradCheck.Report r = GradCheck.check(model.params(),
                () -> {
                    double[] out = model.forward(x, 0, 3);
                    double s = 0;
                    for (int i = 0; i < 3; i++) s += Math.max(0, 1 - y[i] * out[i]);
                    return s / 3;
                },
                g -> {
                    model.lossAndGradient(x, 0, y, 0, 3);
                    System.arraycopy(model.params().grads(), 0, g, 0, g.length);
                },
                // Rounding: one float32 loss evaluation is off by about 1e-7 (a few u times O(1)
                // terms), so a difference is off by about 1e-7 / h = 1e-4; truncation h^2/6 |L'''|
                // is about 1e-6. atol 1e-3 leaves 10x headroom; rtol 1e-2 for large entries.
                h, 1e-2, 1e-3);
        assertTrue(r.passed(), r.toString());
        assertEquals(model.params().size(), r.checked());
    }

    @Test
    void badArgumentsAreRejected() {
        AttentionMlpModel model = tiny(1, 2);
        assertThrows(IllegalArgumentException.class, () -> model.forward(new float[3 * 3 * 4], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> model.forward(new float[5], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(3, 1, 1, 1, false));
        PatternData wrongD = new PatternData(1, 3, 5, new float[15], new int[1], new int[3]);
        assertThrows(IllegalArgumentException.class, () -> model.outputs(wrongD));
        assertThrows(IllegalArgumentException.class, () -> model.neuronContributions(wrongD));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(4, -1, 1, 1, false));
    }
}
