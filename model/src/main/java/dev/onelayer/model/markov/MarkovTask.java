package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.Task;

/**
 * The online setting of the paper: every call to {@link #sample} draws B fresh independent
 * sequences of N + 1 symbols from the chain (there is no fixed data set; markov.md section 1).
 */
public final class MarkovTask implements Task<MarkovBatch> {

    private final Chain chain;
    private final int seqLen;

    /**
     * @param chain  the source
     * @param seqLen N (inputs per sequence)
     */
    public MarkovTask(Chain chain, int seqLen) {
        if (chain == null) throw new IllegalArgumentException("MarkovTask: chain is null");
        if (seqLen < 1) throw new IllegalArgumentException("MarkovTask: seqLen=" + seqLen + " must be at least 1");
        this.chain = chain;
        this.seqLen = seqLen;
    }

    public Chain chain() {
        return chain;
    }

    public int seqLen() {
        return seqLen;
    }

    @Override
    public MarkovBatch newBatch(int size) {
        return new MarkovBatch(size, seqLen, chain.states());
    }

    @Override
    public void sample(Rng rng, MarkovBatch batch) {
        if (rng == null || batch == null) throw new IllegalArgumentException("MarkovTask.sample: rng and batch are required");
        if (batch.seqLen() != seqLen || batch.states() != chain.states()) {
            throw new IllegalArgumentException("MarkovTask.sample: batch has N=" + batch.seqLen() + ", S=" + batch.states()
                    + " but the task has N=" + seqLen + ", S=" + chain.states());
        }
        for (int i = 0; i < batch.size(); i++) chain.sample(rng, batch.symbols, i * (seqLen + 1), seqLen + 1);
    }
}
