package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.Task;

/**
 * One fixed set of sequences, served whole at every step (full-batch training, as the reference
 * {@code pe_only.py} with its single set of 1,000 sequences).
 */
public final class FixedSequences implements Task<SequenceBatch> {

    private final SequenceBatch data;

    public FixedSequences(SequenceBatch data) {
        if (data == null) throw new IllegalArgumentException("FixedSequences: data is null");
        this.data = data;
    }

    /** Draws {@code n} sequences from {@code process} with {@code rng}, once. */
    public static FixedSequences draw(ArProcess process, int n, Rng rng) {
        SequenceBatch b = process.newBatch(n);
        process.sample(rng, b);
        return new FixedSequences(b);
    }

    public SequenceBatch data() {
        return data;
    }

    @Override
    public SequenceBatch newBatch(int size) {
        if (size != data.n) throw new IllegalArgumentException("FixedSequences: batch size must be the data size " + data.n + " (full batch), got " + size);
        return new SequenceBatch(data.n, data.len, data.dim);
    }

    @Override
    public void sample(Rng rng, SequenceBatch batch) {
        if (batch.n != data.n || batch.len != data.len || batch.dim != data.dim) {
            throw new IllegalArgumentException("FixedSequences: batch shape differs from the data");
        }
        System.arraycopy(data.states, 0, batch.states, 0, data.states.length);
    }
}
