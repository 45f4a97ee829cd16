package dev.onelayer.model.train;

import java.nio.file.Path;

/**
 * How to train.
 *
 * @param seed            root seed; the "data" and "eval" streams derive from it ({@link dev.onelayer.model.core.Rng#stream})
 * @param steps           total number of optimizer steps
 * @param batchSize       examples per step
 * @param chunkSize       examples per chunk; fixes the summation order, independent of {@code threads}
 * @param threads         threads to run chunks on (results do not depend on it)
 * @param evalEvery       evaluate after every k steps (0: never, except {@link Trainer#evaluate()} by hand)
 * @param evalBatchSize   size of the fixed held-out batch (0: no held-out loss)
 * @param clipNorm        clip the gradient to this global norm (0: no clipping)
 * @param checkpointEvery write a checkpoint after every k steps (0: never)
 * @param checkpointPath  where checkpoints go (required when checkpointEvery > 0)
 */
public record TrainerConfig(long seed, long steps, int batchSize, int chunkSize, int threads,
                            int evalEvery, int evalBatchSize, double clipNorm,
                            int checkpointEvery, Path checkpointPath) {

    public TrainerConfig {
        if (steps < 0) throw new IllegalArgumentException("TrainerConfig: steps=" + steps + " is negative");
        if (batchSize < 1) throw new IllegalArgumentException("TrainerConfig: batchSize=" + batchSize + " must be at least 1");
        if (chunkSize < 1) throw new IllegalArgumentException("TrainerConfig: chunkSize=" + chunkSize + " must be at least 1");
        if (threads < 1) throw new IllegalArgumentException("TrainerConfig: threads=" + threads + " must be at least 1");
        if (evalEvery < 0) throw new IllegalArgumentException("TrainerConfig: evalEvery=" + evalEvery + " is negative");
        if (evalBatchSize < 0) throw new IllegalArgumentException("TrainerConfig: evalBatchSize=" + evalBatchSize + " is negative");
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("TrainerConfig: clipNorm=" + clipNorm + " must be finite and >= 0");
        }
        if (checkpointEvery < 0) throw new IllegalArgumentException("TrainerConfig: checkpointEvery=" + checkpointEvery + " is negative");
        if (checkpointEvery > 0 && checkpointPath == null) {
            throw new IllegalArgumentException("TrainerConfig: checkpointEvery=" + checkpointEvery + " but no checkpointPath");
        }
    }

    /** One thread, whole batch as one chunk, no evaluation, clipping or checkpoints. */
    public static TrainerConfig of(long seed, long steps, int batchSize) {
        return new TrainerConfig(seed, steps, batchSize, batchSize, 1, 0, 0, 0, 0, null);
    }

    public TrainerConfig withSteps(long s) {
        return new TrainerConfig(seed, s, batchSize, chunkSize, threads, evalEvery, evalBatchSize, clipNorm, checkpointEvery, checkpointPath);
    }

    public TrainerConfig withChunks(int chunk, int nThreads) {
        return new TrainerConfig(seed, steps, batchSize, chunk, nThreads, evalEvery, evalBatchSize, clipNorm, checkpointEvery, checkpointPath);
    }

    public TrainerConfig withEval(int every, int batch) {
        return new TrainerConfig(seed, steps, batchSize, chunkSize, threads, every, batch, clipNorm, checkpointEvery, checkpointPath);
    }

    public TrainerConfig withClipNorm(double c) {
        return new TrainerConfig(seed, steps, batchSize, chunkSize, threads, evalEvery, evalBatchSize, c, checkpointEvery, checkpointPath);
    }

    public TrainerConfig withCheckpoints(int every, Path path) {
        return new TrainerConfig(seed, steps, batchSize, chunkSize, threads, evalEvery, evalBatchSize, clipNorm, every, path);
    }
}
