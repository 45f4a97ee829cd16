package dev.onelayer.model.markov;

import dev.onelayer.model.train.Batch;

/**
 * B sequences {@code x_0 .. x_N} of N + 1 symbols: inputs are {@code x_0 .. x_{N-1}}, targets
 * the same sequence shifted by one (the reference code samples N + 1 symbols and splits them).
 */
public final class MarkovBatch implements Batch {

    private final int size, seqLen, states;
    /** Symbols {@code [B][N+1]}, row-major. */
    final int[] symbols;

    public MarkovBatch(int size, int seqLen, int states) {
        if (size < 1) throw new IllegalArgumentException("MarkovBatch: size=" + size + " must be at least 1");
        if (seqLen < 1) throw new IllegalArgumentException("MarkovBatch: seqLen=" + seqLen + " must be at least 1");
        if (states < 2) throw new IllegalArgumentException("MarkovBatch: states=" + states + " must be at least 2");
        if ((long) size * (seqLen + 1) > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("MarkovBatch: " + size + " x " + (seqLen + 1) + " symbols do not fit one array");
        }
        this.size = size;
        this.seqLen = seqLen;
        this.states = states;
        this.symbols = new int[size * (seqLen + 1)];
    }

    @Override
    public int size() {
        return size;
    }

    /** N: number of inputs (= targets) per sequence. */
    public int seqLen() {
        return seqLen;
    }

    public int states() {
        return states;
    }

    /** Symbol {@code x_t} of sequence i, t in [0, N]. */
    public int symbol(int i, int t) {
        if (i < 0 || i >= size || t < 0 || t > seqLen) {
            throw new IllegalArgumentException("MarkovBatch.symbol: (" + i + ", " + t + ") outside [0, " + size + ") x [0, " + seqLen + "]");
        }
        return symbols[i * (seqLen + 1) + t];
    }

    /** Overwrites sequence i with {@code x[0..N]} (for tests and hand-made inputs). */
    public void set(int i, int[] x) {
        if (i < 0 || i >= size) throw new IllegalArgumentException("MarkovBatch.set: sequence " + i + " outside [0, " + size + ")");
        if (x == null || x.length != seqLen + 1) {
            throw new IllegalArgumentException("MarkovBatch.set: need " + (seqLen + 1) + " symbols, got " + (x == null ? "null" : x.length));
        }
        for (int t = 0; t <= seqLen; t++) {
            if (x[t] < 0 || x[t] >= states) throw new IllegalArgumentException("MarkovBatch.set: x[" + t + "]=" + x[t] + " outside [0, " + states + ")");
        }
        System.arraycopy(x, 0, symbols, i * (seqLen + 1), seqLen + 1);
    }
}
