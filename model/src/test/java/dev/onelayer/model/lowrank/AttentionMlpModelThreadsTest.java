package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch of a step is cut into fixed chunks of {@link AttentionMlpModel#CHUNK_SAMPLES} samples
 * whose gradients are summed in chunk order: the thread count must not change a single bit, and
 * the chunk partials must add up to the batch gradient.
 */
class AttentionMlpModelThreadsTest {

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToRawIntBits(x[i]);
        return b;
    }

    private static long[] bits(double[] x) {
        long[] b = new long[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Double.doubleToRawLongBits(x[i]);
        return b;
    }

    @Test
    void oneAndTwoThreadsTrainToTheSameBits() {
        // 37 samples per step: chunks 8, 8, 8, 8, 5 (a short last chunk).
        LowRankConfig base = new LowRankConfig(PatternTaskConfig.small().withSizes(300, 100), ModelConfig.defaults(), 2.0, 1.0,
                12, 37, 6, 5);
        TrainedRun one = Training.run(base.withThreads(1)), two = Training.run(base.withThreads(2));
        assertEquals(2, two.model().threads());
        assertArrayEquals(bits(one.model().params().values()), bits(two.model().params().values()), "weights after 12 steps");
        assertArrayEquals(bits(one.curve().batchLoss()), bits(two.curve().batchLoss()), "batch losses");
        assertArrayEquals(bits(one.curve().testHinge()), bits(two.curve().testHinge()), "test hinge");
        assertArrayEquals(bits(one.curve().relevantAttention()), bits(two.curve().relevantAttention()), "attention mass");
        PatternData test = one.task().test();
        assertArrayEquals(bits(one.model().neuronContributions(test)), bits(two.model().neuronContributions(test)), "neuron contributions");
    }

    @Test
    void chunkPartialsAddUpToTheBatchGradient() {
        int c = AttentionMlpModel.CHUNK_SAMPLES;
        assertEquals(0, c & (c - 1), "the exactness argument below needs a power-of-two chunk");
        // Two chunks; L = 4 and both batch sizes powers of two, so dF_i = -y_i / (b L) of the
        // batch is exactly half that of a single chunk evaluated alone.
        int d = 6, len = 4, b = 2 * c, m = 8;
        AttentionMlpModel model = new AttentionMlpModel(d, len, new ModelConfig(m, 1, 1, 1, true), Rng.stream(21, Rng.INIT), b, 2);
        Rng rng = Rng.stream(21, Rng.DATA);
        float[] x = new float[b * len * d];
        rng.fillNormal(x, 0, x.length, 0, 1);
        int[] y = new int[b];
        for (int i = 0; i < b; i++) y[i] = i % 3 == 0 ? -1 : 1;
        model.lossAndGradient(x, 0, y, 0, b);
        float[] whole = model.params().grads().clone();
        model.lossAndGradient(x, 0, y, 0, c);
        float[] g1 = model.params().grads().clone();
        model.lossAndGradient(x, c * len * d, y, c, c);
        float[] g2 = model.params().grads().clone();
        float max = 0;
        for (float v : whole) max = Math.max(max, Math.abs(v));
        assertTrue(max > 1e-3, "gradient too small to test: " + max);
        // Each chunk runs the same products on the same rows, with every dL/dh scaled by exactly
        // 1/2 (a power of two: every product and sum scales without rounding), and the batch
        // gradient is the chunk partials added in order: exactly fl(g1/2 + g2/2).
        for (int i = 0; i < whole.length; i++) {
            assertEquals(0.5f * g1[i] + 0.5f * g2[i], whole[i], 0f, "gradient entry " + model.params().label(i));
        }
    }
}
