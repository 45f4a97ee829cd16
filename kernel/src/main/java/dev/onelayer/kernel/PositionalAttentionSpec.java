package dev.onelayer.kernel;

/**
 * Shape of positional-matrix-weighted linear attention (form 3 of {@link Attention}; the
 * non-augmented model of Sander et al. 2024, icar.md section 2(b)).
 *
 * <p>{@code out_t = sum_h sum_{s <= min(t + shift, T-1)} P[t,s] (q_t . diag(a_h) k_s) diag(b_h) v_s}.
 * With {@code q = k = v = s_{0..T-1}} and {@code shift = 1}, row r uses the query token s_r and the
 * tokens up to s_{r+1}, i.e. the paper's previous-token query predicting s_{r+2}.
 *
 * @param batch  B
 * @param heads  H (diagonal maps a_h, b_h)
 * @param seqLen T
 * @param d      token width
 * @param shift  how many positions past t the keys reach (0: causal incl. diagonal; 1: the paper)
 */
public record PositionalAttentionSpec(int batch, int heads, int seqLen, int d, int shift) {

    public PositionalAttentionSpec {
        String k = "PositionalAttentionSpec";
        AttentionSpecs.dims(k, new String[] {"batch", "heads", "seqLen", "d", "shift"}, batch, heads, seqLen, d, shift);
        AttentionSpecs.floats(k, "tokens", batch, seqLen, d);
        AttentionSpecs.floats(k, "P", seqLen, seqLen);
        AttentionSpecs.floats(k, "a", heads, d);
    }

    /** Last key of row t. */
    public int last(int t) {
        return (int) Math.min((long) t + shift, seqLen - 1);
    }

    /** Floats of q, k, v and out: B*T*d (layout [B][T][d]). */
    public int tokenFloats() {
        return batch * seqLen * d;
    }

    /** Floats of a and b: H*d (layout [H][d]). */
    public int diagonalFloats() {
        return heads * d;
    }

    /** Floats of P: T*T (layout [T][T]). */
    public int positionalFloats() {
        return seqLen * seqLen;
    }

    /** Number of attended (t, s) pairs per batch element. */
    public long pairs() {
        long n = 0;
        for (int t = 0; t < seqLen; t++) n += last(t) + 1;
        return n;
    }

    /** Forward flops through the coupling C: per pair 2 (d^2 + 2d), plus 2 H d^2 for C. */
    public double forwardFlops() {
        return 2.0 * batch * pairs() * ((double) d * d + 2.0 * d) + 2.0 * heads * d * d;
    }

    /** Backward flops: per pair C w, C^T u, dC (d^2 each) and about 6d more; plus 4 H d^2. */
    public double backwardFlops() {
        return 2.0 * batch * pairs() * (3.0 * d * d + 6.0 * d) + 6.0 * heads * d * d;
    }

    public int workspaceFloats() {
        return AttentionSpecs.floats("PositionalAttentionSpec", "workspace", 1, 4L * d * d + 8L * d + 16);
    }
}
