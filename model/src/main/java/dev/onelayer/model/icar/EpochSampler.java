package dev.onelayer.model.icar;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.Task;

/**
 * Minibatches from one fixed training set, epoch by epoch (the reference code's
 * {@code DataLoader(shuffle=True)} over its 2^14 sequences): each epoch visits every sequence once
 * in an order drawn from the trainer's data stream; a batch that crosses an epoch boundary
 * continues in the next epoch's order. Stateful: one sampler per trainer.
 */
public final class EpochSampler implements Task<SequenceBatch> {

    private final SequenceBatch data;
    private final int[] order;
    private int cursor;
    private long epochs;

    public EpochSampler(SequenceBatch data) {
        if (data == null) throw new IllegalArgumentException("EpochSampler: data is null");
        this.data = data;
        this.order = new int[data.n];
        this.cursor = data.n;   // first call shuffles
    }

    public SequenceBatch data() {
        return data;
    }

    /** Epochs started so far. */
    public long epochs() {
        return epochs;
    }

    @Override
    public SequenceBatch newBatch(int size) {
        return new SequenceBatch(size, data.len, data.dim);
    }

    @Override
    public void sample(Rng rng, SequenceBatch batch) {
        if (batch.len != data.len || batch.dim != data.dim) throw new IllegalArgumentException("EpochSampler: batch shape differs from the data");
        int per = (data.len + 1) * data.dim;
        for (int i = 0; i < batch.n; i++) {
            if (cursor == order.length) shuffle(rng);
            System.arraycopy(data.states, order[cursor++] * per, batch.states, i * per, per);
        }
    }

    private void shuffle(Rng rng) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cursor = 0;
        epochs++;
    }
}
