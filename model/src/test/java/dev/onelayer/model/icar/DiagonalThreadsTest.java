package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Training the diagonal model (real and complex form 3) on 1 and 2 threads gives the same bits:
 * the batch is cut into fixed chunks whose gradients are summed in chunk order, and the kernel sums
 * over its chunk in batch order.
 */
class DiagonalThreadsTest {

    private static float[] train(ArProcess.Kind kind, int d, int heads, int seqLen, int threads) {
        return train(kind, d, heads, seqLen, 22, threads);
    }

    private static float[] train(ArProcess.Kind kind, int d, int heads, int seqLen, int batch, int threads) {
        long seed = 3;
        ArProcess process = ArProcess.of(kind, d, seqLen, ArProcess.Start.SCALED_ONES);
        DiagonalAttentionModel model = new DiagonalAttentionModel(heads, seqLen, d, kind.complex(), 0.1, Rng.stream(seed, Rng.INIT));
        int chunk = (batch + 3) / 4;
        TrainerConfig tc = new TrainerConfig(seed, 4, batch, chunk, threads, 0, 0, 0, 0, null);
        Trainer<SequenceBatch> trainer = new Trainer<>(model, process, AdamW.adam(), Schedule.cosineWithWarmup(1e-2, 0, 1000, 0), tc);
        for (int i = 0; i < 4; i++) trainer.trainStep();
        return model.params().values().clone();
    }

    @Test
    void complexUnitaryDoesNotDependOnThreads() {
        assertArrayEquals(train(ArProcess.Kind.UNITARY_DIAGONAL, 5, 5, 11, 1), train(ArProcess.Kind.UNITARY_DIAGONAL, 5, 5, 11, 2));
    }

    @Test
    void realHaarDoesNotDependOnThreads() {
        assertArrayEquals(train(ArProcess.Kind.HAAR_ORTHOGONAL, 5, 7, 13, 1), train(ArProcess.Kind.HAAR_ORTHOGONAL, 5, 7, 13, 2));
    }

    /** Chunks of 18 sequences: the vector kernel's lanes across sequences run a full and a partial group per chunk. */
    @Test
    void realHaarInGroupsOfSequencesDoesNotDependOnThreads() {
        assertArrayEquals(train(ArProcess.Kind.HAAR_ORTHOGONAL, 5, 7, 13, 70, 1), train(ArProcess.Kind.HAAR_ORTHOGONAL, 5, 7, 13, 70, 2));
    }
}
