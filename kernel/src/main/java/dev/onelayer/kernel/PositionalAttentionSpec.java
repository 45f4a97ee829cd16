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

    public int workspaceFloats() {
        return AttentionSpecs.floats("PositionalAttentionSpec", "workspace", 1, 4L * d * d + 8L * d + 16);
    }
}
