package dev.onelayer.model.train;

import dev.onelayer.model.core.Rng;

/**
 * A data distribution. The trainer allocates one batch with {@link #newBatch} and refills it every
 * step with {@link #sample}, so sampling allocates nothing after warm-up.
 *
 * @param <B> the batch type the matching {@link Model} reads
 */
public interface Task<B extends Batch> {

    /** An empty batch holding {@code size} examples. */
    B newBatch(int size);

    /** Overwrites every example of {@code batch} with fresh draws from {@code rng}. */
    void sample(Rng rng, B batch);
}
