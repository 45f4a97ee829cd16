package dev.onelayer.bench.train;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.Batch;
import dev.onelayer.model.train.Task;

/**
 * A task that hands the trainer one batch drawn once, up front, and leaves it as it is on every
 * {@link #sample}: the training-step benchmarks time forward, backward and update, not the data
 * generator (the PyTorch scripts in {@code bench/pytorch/} do the same). None of the models timed
 * here does data-dependent work, so the cost of a step does not depend on which batch it sees.
 */
final class ReplayTask<B extends Batch> implements Task<B> {

    private final B fixed;

    /** Draws the batch once from {@code source} with the stream {@code rng}. */
    ReplayTask(Task<B> source, int size, Rng rng) {
        fixed = source.newBatch(size);
        source.sample(rng, fixed);
    }

    @Override
    public B newBatch(int size) {
        if (size != fixed.size()) throw new IllegalArgumentException("ReplayTask: holds a batch of " + fixed.size() + ", asked for " + size);
        return fixed;
    }

    @Override
    public void sample(Rng rng, B batch) {
        if (batch != fixed) throw new IllegalArgumentException("ReplayTask: not the batch this task handed out");
    }
}
