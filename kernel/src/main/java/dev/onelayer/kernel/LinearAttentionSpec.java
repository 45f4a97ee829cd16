package dev.onelayer.kernel;

/**
 * Shape and options of causal linear attention (forms 1 and 2 of {@link Attention}).
 *
 * <p>Output row t of each (batch, head) is
 * {@code out_t = scale * sum_{s in S(t)} (q_t . k_s) v_s} with
 * {@code S(t) = { s : max(0, t - window) <= s <= t }}, without {@code s = t} when
 * {@code includeDiagonal} is false, and with no lower limit when {@code window == NO_WINDOW}.
 *
 * @param batch           B, the leading batch dimension
 * @param heads           H
 * @param seqLen          T
 * @param dk              key/query width
 * @param dv              value width
 * @param scale           multiplies every score (finite)
 * @param includeDiagonal whether s = t is attended
 * @param window          w >= 0 (attend only s >= t - w) or {@link #NO_WINDOW}
 */
public record LinearAttentionSpec(int batch, int heads, int seqLen, int dk, int dv, float scale,
                                  boolean includeDiagonal, int window) {

    /** No sliding window: every earlier position is attended. */
    public static final int NO_WINDOW = -1;

    public LinearAttentionSpec {
        String k = "LinearAttentionSpec";
        AttentionSpecs.dims(k, new String[] {"batch", "heads", "seqLen", "dk", "dv"}, batch, heads, seqLen, dk, dv);
        Checks.finite(k, "scale", scale);
        if (window < NO_WINDOW) throw new IllegalArgumentException(k + ": window=" + window + " must be >= 0 or NO_WINDOW (-1)");
        AttentionSpecs.floats(k, "q", batch, heads, seqLen, Math.max(dk, dv));
    }

    /** Plain causal linear attention, scale 1, diagonal included, no window. */
    public static LinearAttentionSpec causal(int batch, int heads, int seqLen, int dk, int dv) {
        return new LinearAttentionSpec(batch, heads, seqLen, dk, dv, 1f, true, NO_WINDOW);
    }

    /** Floats in q and k: B*H*T*dk (layout [B][H][T][dk]). */
    public int qkFloats() {
        return batch * heads * seqLen * dk;
    }

    /** Floats in v and out: B*H*T*dv (layout [B][H][T][dv]). */
    public int vFloats() {
        return batch * heads * seqLen * dv;
    }

    /** Workspace floats needed by every linear-attention call with this spec (both forms, both passes). */
    public int workspaceFloats() {
        return AttentionSpecs.blockedWorkspace("LinearAttentionSpec", seqLen, dk, dv);
    }

    /** Number of (t, s) pairs attended in one (batch, head). */
    public long pairs() {
        long n = 0;
        for (int t = 0; t < seqLen; t++) {
            int hi = includeDiagonal ? t : t - 1;
            int lo = window == NO_WINDOW ? 0 : Math.max(0, t - window);
            if (hi >= lo) n += hi - lo + 1;
        }
        return n;
    }

    /** Multiply-adds of the quadratic form's forward: pairs * (dk + dv) per head. */
    public double quadraticFlops() {
        return 2.0 * batch * heads * pairs() * (dk + dv);
    }

    /** Multiply-adds of the prefix-state form's forward: T * 2 dk dv per head. */
    public double prefixFlops() {
        return 2.0 * batch * heads * seqLen * 2.0 * dk * dv;
    }

    /** Backward of the quadratic form: per pair a, g, dq, dk (dk each or dv) = 2 (3 dk + 2 dv) flops. */
    public double quadraticBackwardFlops() {
        return 2.0 * batch * heads * pairs() * (3.0 * dk + 2.0 * dv);
    }

    /** Backward of the prefix-state form: per position 6 dk dv multiply-adds (S, dq, R, R^T, dk, dv). */
    public double prefixBackwardFlops() {
        return 2.0 * batch * heads * seqLen * 6.0 * dk * dv;
    }

    /**
     * Whether the prefix-state form applies and is not more expensive: it needs no window, and
     * costs {@code 2 T dk dv} multiply-adds against {@code pairs (dk + dv)}, so it wins once
     * {@code dk dv} is below roughly {@code T (dk + dv) / 4} (in particular whenever dk dv < T).
     */
    public boolean prefixPreferred() {
        return window == NO_WINDOW && prefixFlops() <= quadraticFlops();
    }
}
