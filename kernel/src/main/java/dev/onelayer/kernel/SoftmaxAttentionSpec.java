package dev.onelayer.kernel;

/**
 * Shape and options of fused softmax attention (form 4 of {@link Attention}).
 *
 * <p>Scores {@code s_tj = scale * (q_t . k_j)}; row t attends to
 * {@code j in [max(0, t - window), t]} when causal (no lower limit with {@code NO_WINDOW}), or
 * to every j when not causal (full attention for classification; no window then).
 *
 * @param batch  B
 * @param heads  H
 * @param seqLen T
 * @param dk     key/query width
 * @param dv     value width
 * @param scale  score scale, usually {@code 1/sqrt(dk)} (finite)
 * @param causal causal mask (false: full attention)
 * @param window w >= 0 (attend t-w..t) or {@link #NO_WINDOW}; only with causal
 */
public record SoftmaxAttentionSpec(int batch, int heads, int seqLen, int dk, int dv, float scale,
                                   boolean causal, int window) {

    /** No sliding window. */
    public static final int NO_WINDOW = -1;

    public SoftmaxAttentionSpec {
        String k = "SoftmaxAttentionSpec";
        AttentionSpecs.dims(k, new String[] {"batch", "heads", "seqLen", "dk", "dv"}, batch, heads, seqLen, dk, dv);
        Checks.finite(k, "scale", scale);
        if (window < NO_WINDOW) throw new IllegalArgumentException(k + ": window=" + window + " must be >= 0 or NO_WINDOW (-1)");
        if (!causal && window != NO_WINDOW) {
            throw new IllegalArgumentException(k + ": window=" + window + " needs causal=true (full attention has no window)");
        }
        AttentionSpecs.floats(k, "q", batch, heads, seqLen, Math.max(dk, dv));
    }

    /** Causal attention with scale {@code 1/sqrt(d)} (scale 1 when d = 0), dk = dv = d, no window. */
    public static SoftmaxAttentionSpec causal(int batch, int heads, int seqLen, int d) {
        return new SoftmaxAttentionSpec(batch, heads, seqLen, d, d, d == 0 ? 1f : (float) (1 / Math.sqrt(d)), true, NO_WINDOW);
    }

    /** First attended key of row t. */
    public int first(int t) {
        if (!causal) return 0;
        return window == NO_WINDOW ? 0 : Math.max(0, t - window);
    }

    /** Last attended key of row t. */
    public int last(int t) {
        return causal ? t : seqLen - 1;
    }

    public int qkFloats() {
        return batch * heads * seqLen * dk;
    }

    public int vFloats() {
        return batch * heads * seqLen * dv;
    }

    /** Floats of the saved row statistics lse [B][H][T]. */
    public int rowFloats() {
        return batch * heads * seqLen;
    }

    /** Floats of the probabilities [B][H][T][T] (throws when that exceeds a Java array). */
    public int probabilityFloats() {
        return AttentionSpecs.floats("SoftmaxAttentionSpec", "probabilities", batch, heads, seqLen, seqLen);
    }

    /**
     * The blocked kernels' workspace plus, for the width-8 backward, the dq lanes of a row tile
     * ({@link AttentionOps#SOFTMAX_ROW_TILE} rows x 8 x up to 16 lanes).
     */
    public int workspaceFloats() {
        return AttentionSpecs.floats("SoftmaxAttentionSpec", "workspace",
                (long) AttentionSpecs.blockedWorkspace("SoftmaxAttentionSpec", seqLen, dk, dv) + AttentionOps.SOFTMAX_ROW_TILE * 8L * 16L);
    }

    /** Number of attended (t, j) pairs per head. */
    public long pairs() {
        long n = 0;
        for (int t = 0; t < seqLen; t++) n += last(t) - first(t) + 1;
        return n;
    }

    /** Forward flops: per pair 2 dk (scores) + 2 dv (weighted sum); the exp is not counted. */
    public double forwardFlops() {
        return 2.0 * batch * heads * pairs() * (dk + dv);
    }

    /** Backward flops: per pair scores 2dk, dp 2dv, dq 2dk, dk 2dk, dv 2dv. */
    public double backwardFlops() {
        return 2.0 * batch * heads * pairs() * (3.0 * dk + 2.0 * dv);
    }
}
