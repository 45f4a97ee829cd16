package dev.onelayer.kernel;

/**
 * Shape of positional-matrix-weighted linear attention (form 3 of {@link Attention}; the
 * non-augmented model of Sander et al. 2024, icar.md section 2(b)).
 *
 * <p>{@code out_t = sum_h sum_{s <= min(t + shift, T-1)} P[t,s] (q_t . diag(a_h) k_s) diag(b_h) v_s}.
 * With {@code q = k = v = s_{0..T-1}} and {@code shift = 1}, row r uses the query token s_r and the
 * tokens up to s_{r+1}, i.e. the paper's previous-token query predicting s_{r+2}.
 *
 * <p>{@code complex}: tokens are complex d-vectors stored as (re, im) pairs, a, b and P stay real,
 * and the score is the Hermitian product {@code q_t^* diag(a_h) k_s} (icar.md 2(b), the unitary
 * case): {@code out_t = sum_h sum_s P[t,s] (sum_c a_hc conj(q_tc) k_sc) (b_h o v_s)} in complex
 * arithmetic. It equals the real form on the 2d pair coordinates with each a_h, b_h entry repeated
 * for re and im, summed with the same form on {@code (q, -i k, i v)}, at a quarter of the work.
 *
 * @param batch   B
 * @param heads   H (diagonal maps a_h, b_h)
 * @param seqLen  T
 * @param d       token width (complex coordinates when {@code complex})
 * @param shift   how many positions past t the keys reach (0: causal incl. diagonal; 1: the paper)
 * @param complex whether tokens are complex (re, im) pairs
 */
public record PositionalAttentionSpec(int batch, int heads, int seqLen, int d, int shift, boolean complex) {

    /** Alignment (floats) of the outer-product rows in the workspace: whole 512-bit vectors. */
    public static final int ROW_ALIGN = 16;

    public PositionalAttentionSpec {
        String k = "PositionalAttentionSpec";
        AttentionSpecs.dims(k, new String[] {"batch", "heads", "seqLen", "d", "shift"}, batch, heads, seqLen, d, shift);
        AttentionSpecs.floats(k, "tokens", batch, seqLen, d, complex ? 2 : 1);
        AttentionSpecs.floats(k, "P", seqLen, seqLen);
        AttentionSpecs.floats(k, "a", heads, d);
        AttentionSpecs.floats(k, "workspace", 1, workspaceLong(batch, seqLen, d, complex));
    }

    /** A real spec. */
    public PositionalAttentionSpec(int batch, int heads, int seqLen, int d, int shift) {
        this(batch, heads, seqLen, d, shift, false);
    }

    /** Last key of row t. */
    public int last(int t) {
        return (int) Math.min((long) t + shift, seqLen - 1);
    }

    /** First row whose keys reach s. */
    public int first(int s) {
        return (int) Math.max(0L, (long) s - shift);
    }

    /** Floats per token: d, or 2d when complex. */
    public int tokenWidth() {
        return complex ? 2 * d : d;
    }

    /** Floats of q, k, v and out: B*T*d (layout [B][T][d], [B][T][d][2] when complex). */
    public int tokenFloats() {
        return batch * seqLen * tokenWidth();
    }

    /** Floats of a and b: H*d (layout [H][d]). */
    public int diagonalFloats() {
        return heads * d;
    }

    /** Floats of P: T*T (layout [T][T]). */
    public int positionalFloats() {
        return seqLen * seqLen;
    }

    /** Floats of one key-value outer product {@code k_s v_s^T}: d^2, or 2 d^2 (complex pairs). */
    public int outerFloats() {
        return (complex ? 2 : 1) * d * d;
    }

    /** Leading dimension of the [T][outer] rows in the workspace: {@link #outerFloats()} rounded up to {@link #ROW_ALIGN}. */
    public int outerLd() {
        return (outerFloats() + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    }

    /** Leading dimension of the transposed [outer][T] copy: T rounded up to {@link #ROW_ALIGN}. */
    public int keyLd() {
        return (seqLen + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    }

    /** Number of attended (t, s) pairs per batch element. */
    public long pairs() {
        long n = 0;
        for (int t = 0; t < seqLen; t++) n += last(t) + 1;
        return n;
    }

    /** Forward flops through the outer products: per pair 2 outer (M_t += P k_s v_s^T), plus O(T outer) and 2 H d^2 for C. */
    public double forwardFlops() {
        return 2.0 * batch * (pairs() + 3.0 * seqLen) * outerFloats() + 2.0 * heads * d * d;
    }

    /** Backward flops: per pair M_t again, dP and dKV (outer each), plus O(T outer) and 4 H d^2. */
    public double backwardFlops() {
        return 2.0 * batch * (3.0 * pairs() + 8.0 * seqLen) * outerFloats() + 4.0 * heads * d * d;
    }

    /** Offsets into the workspace (see {@link PositionalOuter}). */
    int couplingOffset() {
        return 0;
    }

    int couplingGradOffset() {
        return d * d;
    }

    int kvOffset() {
        return (2 * d * d + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    }

    int mOffset() {
        return kvOffset() + seqLen * outerLd();
    }

    int dmOffset() {
        return mOffset() + seqLen * outerLd();
    }

    int dkvOffset() {
        return dmOffset() + seqLen * outerLd();
    }

    int kvtOffset() {
        return dkvOffset() + seqLen * outerLd();
    }

    int tileOffset() {
        return kvtOffset() + outerFloats() * keyLd();
    }

    int tokensTransposedOffset() {
        return tileOffset() + 4 * keyLd();
    }

    private static long workspaceLong(int batch, int seqLen, int d, boolean complex) {
        long ld = ((long) (complex ? 2 : 1) * d * d + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        long tp = ((long) seqLen + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        long kv = (2L * d * d + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        long w = (complex ? 2L : 1L) * d;
        long perSequence = kv + 4L * seqLen * ld + outer(d, complex) * tp + 4L * tp + 2L * w * tp + 16;
        return laneLayout(batch, seqLen, d, complex) ? Math.max(perSequence, laneLong(seqLen, d, complex)) : perSequence;
    }

    /** Floats up to the end of the lane layout: C and dC, then per lane [T][width] x 7, [T][outer] x 3, [4][outer], [T][T], [outer]. */
    private static long laneLong(int seqLen, int d, boolean complex) {
        long kv = (2L * d * d + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        long w = (complex ? 2L : 1L) * d, n = outer(d, complex);
        return kv + (long) LANE_GROUP * (7L * seqLen * w + 3L * seqLen * n + 4L * n + (long) seqLen * seqLen + n);
    }

    private static long outer(int d, boolean complex) {
        return (complex ? 2L : 1L) * d * d;
    }

    /**
     * Whether the workspace also holds the lane layout: batches of at least {@link #LANE_MIN_BATCH}
     * sequences whose layout fits in an array. Why not always: its per-lane dP is [T][T][group], 16
     * times P, so a single long sequence (T = 4096) would need a 1 GiB workspace for lanes it never
     * uses, and T past about 11 600 would not fit in an array at all; without it an implementation
     * runs sequence by sequence.
     */
    private static boolean laneLayout(int batch, int seqLen, int d, boolean complex) {
        return batch >= LANE_MIN_BATCH && laneLong(seqLen, d, complex) <= Integer.MAX_VALUE - 16;
    }

    /** Whether {@link #workspaceFloats} includes the lane layout (see {@link #LANE_GROUP}). */
    public boolean laneLayout() {
        return laneLayout(batch, seqLen, d, complex);
    }

    /**
     * Sequences per group in the lane layout: up to this many sequences share the lanes of a vector
     * (the vector implementation uses its lane count, at most this).
     */
    public static final int LANE_GROUP = ROW_ALIGN;

    /** Fewest sequences for which the workspace holds the lane layout: a quarter of a full group (with fewer, most lanes would be empty). */
    public static final int LANE_MIN_BATCH = LANE_GROUP / 4;

    /**
     * Scratch floats after C and dC (d x d), for the larger of two layouts. Sequence by sequence: the
     * outer products KV, M, dM, dKV ([T][outerLd]), a transposed KV ([outer][keyLd]), a tile of four
     * [keyLd] rows and transposed k, v ([width][keyLd]). Lanes across a group of up to
     * {@link #LANE_GROUP} sequences, only when {@link #laneLayout()}: q, k, v, dOut, out (or dq), dk,
     * dv ([T][width][group]), KV, dM, dKV ([T][outer][group]), a block of four rows of M, per-lane dP
     * ([T][T][group]) and dC ([outer][group]).
     */
    public int workspaceFloats() {
        return (int) workspaceLong(batch, seqLen, d, complex);
    }
}
