package dev.onelayer.model.train;

/** A batch of independent examples; the trainer shards it into fixed chunks of examples. */
public interface Batch {

    /** Number of examples. */
    int size();
}
