package dev.onelayer.model.lowrank;

/**
 * A fixed set of samples: tokens {@code x[n][L][d]} (token rows, the layout the attention kernel
 * takes), labels {@code y[n]} in {+1, -1}, and the pattern index of every token
 * {@code pattern[n][L]} (what the generator drew, kept for the attention-mass measurement).
 */
public record PatternData(int n, int seqLen, int d, float[] x, int[] y, int[] pattern) {

    public PatternData {
        if (n < 0 || seqLen < 1 || d < 1) throw new IllegalArgumentException("PatternData: n=" + n + ", L=" + seqLen + ", d=" + d);
        if (x.length != n * seqLen * d) throw new IllegalArgumentException("PatternData: x has " + x.length + " floats, expected n*L*d=" + n * seqLen * d);
        if (y.length != n) throw new IllegalArgumentException("PatternData: y has " + y.length + " labels, expected n=" + n);
        if (pattern.length != n * seqLen) throw new IllegalArgumentException("PatternData: pattern has " + pattern.length + " entries, expected n*L=" + n * seqLen);
    }

    /** Floats per sample, L*d. */
    public int sampleFloats() {
        return seqLen * d;
    }

    /** Offset of sample i in {@link #x()}. */
    public int offset(int i) {
        return i * seqLen * d;
    }
}
