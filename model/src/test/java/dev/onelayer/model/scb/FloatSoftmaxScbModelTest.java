package dev.onelayer.model.scb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * The float32 softmax model against its float64 reference ({@link SoftmaxScbModel}, itself checked
 * by finite differences): the same loss and gradients on shapes that are not multiples of the
 * vector width, and the same maps.
 */
class FloatSoftmaxScbModelTest {

    private static final double U = 0x1p-24;

    @Test
    void lossAndGradientsMatchTheFloat64Model() {
        int[][] shapes = {{2, 1, 1}, {3, 7, 5}, {20, 37, 9}, {7, 130, 64}, {17, 500, 3}};
        for (int[] s : shapes) {
            int n = s[0], t = s[1], batch = s[2];
            ScbTask task = new ScbTaskConfig(n, t, Math.min(2, t), "dirichlet", 1.0).build(5 + n);
            FloatSoftmaxScbModel m = new FloatSoftmaxScbModel(n, t);
            Rng rng = Rng.seeded(11 + t);
            for (int i = 0; i < m.v.length; i++) m.v[i] = (float) rng.uniform(-2, 2);
            for (int i = 0; i < m.wT.length; i++) m.wT[i] = (float) rng.uniform(-3, 3);
            SoftmaxScbModel ref = m.toReference();
            ScbBatch b = new ScbBatch(batch, t);
            task.sample(rng, b);
            float[] gV = new float[n * n], gWT = new float[n * t];
            double[] rV = new double[n * n], rW = new double[t * n];
            double loss = m.loss(b, gV, gWT), refLoss = ref.loss(b, rV, rW);
            // The longest chain of float operations behind any value: the softmax sums over T, the
            // hidden over T, the logits over N, g over N, dV and S over B, the dot of the softmax
            // backward over T; each term is bounded by the largest magnitude of its output (all
            // inputs O(1), the probabilities in [0, 1]), so gamma_n times that magnitude bounds it.
            double gamma = (3.0 * t + 2 * n + 2 * batch + 10) * U;
            String at = "N=" + n + " T=" + t + " B=" + batch;
            assertEquals(refLoss, loss, gamma * (Math.abs(refLoss) + Math.log(n) + 4), at + " loss");
            assertEquals(refLoss, m.loss(b, null, null), gamma * (Math.abs(refLoss) + Math.log(n) + 4), at + " loss without gradient");
            double maxV = maxAbs(rV), maxW = maxAbs(rW);
            for (int i = 0; i < n * n; i++) assertEquals(rV[i], gV[i], gamma * (maxV + 1.0 / batch), at + " dV[" + i + "]");
            for (int k = 0; k < n; k++) {
                for (int p = 0; p < t; p++) {
                    assertEquals(rW[p * n + k], gWT[k * t + p], gamma * (maxW + 1.0 / (batch * t)), at + " dW[" + p + "][" + k + "]");
                }
            }
        }
    }

    @Test
    void mapsComeFromTheFloatParameters() {
        FloatSoftmaxScbModel m = new FloatSoftmaxScbModel(3, 4);
        Rng rng = Rng.seeded(2);
        for (int i = 0; i < m.v.length; i++) m.v[i] = (float) rng.normal();
        for (int i = 0; i < m.wT.length; i++) m.wT[i] = (float) rng.normal();
        SoftmaxScbModel ref = m.toReference();
        assertTrue(java.util.Arrays.equals(ref.attentionMap(), m.attentionMap()));
        assertTrue(java.util.Arrays.equals(ref.valueMap(), m.valueMap()));
        assertEquals(m.wT[2 * 4 + 1], (float) ref.w[1 * 3 + 2]); // W^T[k=2][t=1] = W[t=1][k=2]
    }

    @Test
    void adamStepLowersTheLossAndIsReproducible() {
        ScbTask task = new ScbTaskConfig(10, 50, 2, "pmix", 2.0).build(3);
        double[] last = new double[2];
        float[][] finalW = new float[2][];
        for (int run = 0; run < 2; run++) {
            FloatSoftmaxScbModel m = new FloatSoftmaxScbModel(10, 50);
            FloatSoftmaxAdam adam = new FloatSoftmaxAdam(m, 0.01);
            Rng data = Rng.seeded(4);
            ScbBatch b = new ScbBatch(64, 50), eval = new ScbBatch(512, 50);
            task.sample(Rng.seeded(9), eval);
            double first = m.loss(eval, null, null);
            for (int s = 0; s < 300; s++) {
                task.sample(data, b);
                adam.step(b);
            }
            last[run] = m.loss(eval, null, null);
            finalW[run] = m.wT.clone();
            assertTrue(last[run] < first - 0.05, "cross-entropy " + first + " -> " + last[run]);
            assertEquals(300, adam.steps());
        }
        assertTrue(java.util.Arrays.equals(finalW[0], finalW[1]), "same seed, same bits");
    }

    /** A target outside [0, N) is rejected by name: the loss indexes the softmax row of example e by it. */
    @Test
    void targetOutsideTheVocabularyIsRejected() {
        FloatSoftmaxScbModel m = new FloatSoftmaxScbModel(4, 3);
        ScbBatch b = new ScbBatch(3, 3);
        b.targets[2] = -1;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> m.loss(b, new float[16], new float[12]));
        assertTrue(e.getMessage().contains("targets[2]=-1"), e.getMessage());
        b.targets[2] = 4;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.loss(b, null, null));
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
