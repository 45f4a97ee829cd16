package dev.onelayer.model.markov;

import dev.onelayer.model.train.Trainer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark entry point {@link MarkovTraining#trainer} and the config checks. */
class MarkovTrainingTest {

    private static float[] paramsAfterSteps(TrainConfig c, int steps) {
        Trainer<MarkovBatch> t = MarkovTraining.trainer(c);
        for (int s = 0; s < steps; s++) assertTrue(Double.isFinite(t.trainStep().loss()));
        return t.params().values().clone();
    }

    /** Chunks are summed in chunk order, so one and two threads give the same bits (both models). */
    @Test
    void trainingStepsAreBitIdenticalOnOneAndTwoThreads() {
        TrainConfig theory = TrainConfig.paper(0.5, 0.8, true).withSeqLen(16).withBatchSize(6).withSteps(60);
        TrainConfig full = TrainConfig.paperFull(0.5, 0.8, false).withLayers(2).withWindow(3).withSeqLen(16).withBatchSize(6).withSteps(60);
        // d = 8 runs the width-8 attention kernels (row tiles, row pairs, partial key vectors).
        TrainConfig theory8 = theory.withModel(8, false, theory.window()).withSeqLen(40);
        for (TrainConfig c : new TrainConfig[] {theory, theory8, full}) {
            float[] one = paramsAfterSteps(c.withParallelism(2, 1), 3);
            float[] two = paramsAfterSteps(c.withParallelism(2, 2), 3);
            assertArrayEquals(one, two, c.architecture() + ": threads must not change the bits");
            float[] init = MarkovTraining.initialModel(c).params().values();
            boolean moved = false;
            for (int i = 0; i < one.length; i++) moved |= one[i] != init[i];
            assertTrue(moved, "three steps changed the parameters");
        }
    }

    @Test
    void paperDefaultsAndValidation() {
        TrainConfig c = TrainConfig.paper(0.2, 0.3, true);
        assertEquals(1024, c.seqLen());
        assertEquals(16, c.batchSize());
        assertEquals(2e-3, c.lr());
        assertEquals(1e-3, c.weightDecay());
        assertEquals(TrainConfig.Architecture.FULL, TrainConfig.paperFull(0.2, 0.3, true).architecture());
        assertEquals(8, TrainConfig.paperFull(0.2, 0.3, true).d());
        assertThrows(IllegalArgumentException.class, () -> c.withSteps(10), "2% warm-up of 10 steps is empty");
        assertThrows(IllegalArgumentException.class, () -> c.withLayers(2), "the theory model has one layer");
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.paperFull(0.2, 0.3, true).withInit(TrainConfig.Init.UNIGRAM, 0.02));
    }
}
