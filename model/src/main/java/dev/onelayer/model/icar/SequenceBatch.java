package dev.onelayer.model.icar;

import dev.onelayer.model.train.Batch;

/**
 * A batch of autoregressive sequences {@code s_0..s_len} ({@code len + 1} states each), real
 * coordinates, layout {@code states[n][t][dim]}. For the complex kinds {@code dim = 2d}: coordinate
 * i of the complex vector is stored as the real pair {@code (re, im)} at {@code 2i, 2i+1}.
 */
public final class SequenceBatch implements Batch {

    /** Number of sequences. */
    public final int n;
    /** Index of the last state: each sequence holds s_0..s_len. */
    public final int len;
    /** Real width of one state. */
    public final int dim;
    /** {@code [n][len + 1][dim]}. */
    public final float[] states;

    public SequenceBatch(int n, int len, int dim) {
        if (n < 1 || len < 1 || dim < 1) {
            throw new IllegalArgumentException("SequenceBatch: n=" + n + ", len=" + len + ", dim=" + dim + " must all be positive");
        }
        if ((long) n * (len + 1) * dim > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("SequenceBatch: n*(len+1)*dim = " + (long) n * (len + 1) * dim + " floats is too large");
        }
        this.n = n;
        this.len = len;
        this.dim = dim;
        this.states = new float[n * (len + 1) * dim];
    }

    @Override
    public int size() {
        return n;
    }

    /** Offset of state s_t of sequence i in {@link #states}. */
    public int offset(int i, int t) {
        return (i * (len + 1) + t) * dim;
    }
}
