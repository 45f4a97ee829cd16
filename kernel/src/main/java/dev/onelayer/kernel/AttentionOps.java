package dev.onelayer.kernel;

/**
 * The attention forms of the four papers, each with its backward contractions.
 *
 * <p>Two implementations exist: {@link ScalarAttentionOps} (plain loops on the natural layouts)
 * and {@code dev.onelayer.kernel.vector.VectorAttentionOps}. Callers go through the facade
 * {@link Attention}, which validates every argument; implementations trust their input.
 *
 * <h2>Layouts</h2>
 * All buffers are flat row-major {@code float[]} starting at index 0:
 * <ul>
 *   <li>q, k, dq, dk: {@code [B][H][T][dk]}; v, out, dOut, dv: {@code [B][H][T][dv]};</li>
 *   <li>lse (saved softmax row statistics, log-sum-exp of the scaled scores): {@code [B][H][T]};</li>
 *   <li>probabilities: {@code [B][H][T][T]} (zero where masked);</li>
 *   <li>form 3: tokens q, k, v, out {@code [B][T][d]}, P {@code [T][T]}, a, b {@code [H][d]};</li>
 *   <li>form 5: tokens {@code int[B][T]}, queries {@code int[B]}, V {@code [N][N]}, A {@code [T][N]}, y {@code [B][N]}.</li>
 * </ul>
 * Backward methods overwrite their outputs; parameter gradients shared across the batch
 * (P, a, b, V, A) are sums over the batch in batch order. {@code ws} is a scratch buffer of at
 * least {@code spec.workspaceFloats()} floats; kernels allocate nothing.
 *
 * <p>The vector implementation stores K and V transposed ({@code [d][T]}) in the workspace so
 * that lanes run along the keys: with the papers' small d (4..32) lanes along d would be mostly
 * empty. Determinism: the same arguments give the same bits on every call and JIT tier.
 */
public interface AttentionOps {

    /** Keys per block in the fused kernels: the per-row scratch is two blocks, never a T x T matrix. */
    int KEY_BLOCK = 256;

    /**
     * Query rows per tile in the vector implementation's width-8 softmax backward: the tile sweeps
     * the keys block by block, so each block of K, V, dK, dV is loaded into L1 once per tile
     * rather than once per row; the rows' dq lanes wait in the workspace meanwhile.
     */
    int SOFTMAX_ROW_TILE = 16;

    /**
     * Leading dimension the vector implementation uses for transposed [d][T] copies in the
     * workspace: T rounded up to 16 plus 16 floats (rows 4 KiB apart would alias one L1 set).
     */
    static int transposedLd(int seqLen) {
        return ((seqLen + 15) & ~15) + 16;
    }

    /** {@code "scalar"} or {@code "vector"}. */
    String name();

    /**
     * How form 5's backward gathers {@code g_b[x_bt]}: {@code "scalar"}, or for the vector
     * implementation {@code "indexed"} or {@code "permute"} (chosen once per JVM; same bits).
     */
    default String scbGather() {
        return "scalar";
    }

    /** Form 1 (quadratic): {@code out_t = scale sum_{s in S(t)} (q_t . k_s) v_s}. */
    void linearQuadratic(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] ws);

    /**
     * Backward of form 1 given {@code dOut}: with {@code g_ts = scale (dOut_t . v_s)} and
     * {@code a_ts = scale (q_t . k_s)}: {@code dq_t = sum_s g_ts k_s},
     * {@code dk_s = sum_t g_ts q_t}, {@code dv_s = sum_t a_ts dOut_t}, over attended pairs.
     */
    void linearQuadraticBackward(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] dOut,
                                 float[] dq, float[] dk, float[] dv, float[] ws);

    /**
     * Form 2 (prefix state, no window): {@code S_t = sum_{s <= t} v_s k_s^T},
     * {@code out_t = scale S_t q_t} ({@code S_{t-1}} when the diagonal is excluded). O(T dk dv).
     */
    void linearPrefix(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] ws);

    /**
     * Backward of form 2: {@code dq_t = scale S_t^T dOut_t}; with the reverse state
     * {@code R_s = sum_{t >= s} q_t dOut_t^T}: {@code dk_s = scale R_s v_s},
     * {@code dv_s = scale R_s^T k_s} (strict sums when the diagonal is excluded).
     */
    void linearPrefixBackward(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] dOut,
                              float[] dq, float[] dk, float[] dv, float[] ws);

    /**
     * Form 4, fused softmax attention with an online (streaming) softmax over key blocks:
     * {@code out_t = sum_j p_tj v_j}, {@code p_tj = exp(s_tj - lse_t)},
     * {@code lse_t = log sum_j exp(s_tj)}, {@code s_tj = scale q_t . k_j}. No T x T buffer.
     */
    void softmax(SoftmaxAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] lse, float[] ws);

    /**
     * Backward of form 4, recomputing {@code p_tj} from {@code lse}: with
     * {@code D_t = dOut_t . out_t}, {@code dp_tj = dOut_t . v_j}, {@code ds_tj = p_tj (dp_tj - D_t)}:
     * {@code dq_t = scale sum_j ds_tj k_j}, {@code dk_j = scale sum_t ds_tj q_t},
     * {@code dv_j = sum_t p_tj dOut_t}.
     */
    void softmaxBackward(SoftmaxAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] lse,
                         float[] dOut, float[] dq, float[] dk, float[] dv, float[] ws);

    /** The attention probabilities {@code p_tj} [B][H][T][T] from the saved lse (zero where masked). */
    void softmaxProbabilities(SoftmaxAttentionSpec s, float[] q, float[] k, float[] lse, float[] probs, float[] ws);

    /**
     * Form 3: {@code out_t = sum_h sum_{s <= t + shift} P[t,s] (q_t . a_h o k_s) (b_h o v_s)}, computed
     * through {@code C[c][i] = sum_h a_hc b_hi} and the positional mix of the key-value outer
     * products {@code M_t = sum_{s <= t + shift} P[t,s] k_s v_s^T} as
     * {@code out_ti = sum_c q_tc C[c][i] M_t[c][i]} (complex spec: {@code conj(q_tc)}, complex M).
     */
    void positional(PositionalAttentionSpec s, float[] p, float[] a, float[] b, float[] q, float[] k, float[] v,
                    float[] out, float[] ws);

    /**
     * Backward of form 3. With {@code dM_t[c][i] = C[c][i] q_tc dOut_ti}:
     * {@code dP[t,s] = <dM_t, k_s v_s^T>}, {@code dC[c][i] = sum_t q_tc dOut_ti M_t[c][i]},
     * {@code dq_tc = sum_i C[c][i] dOut_ti M_t[c][i]}, and with {@code dKV_s = sum_t P[t,s] dM_t}:
     * {@code dk_s = dKV_s v_s}, {@code dv_s = dKV_s^T k_s}; then
     * {@code da_hc = sum_i dC[c][i] b_hi}, {@code db_hi = sum_c a_hc dC[c][i]} (complex spec: the
     * same with complex products, conjugating q, v and k where the Wirtinger rule says so).
     * dq, dk, dv may all be null: then only dP, da and db are computed.
     */
    void positionalBackward(PositionalAttentionSpec s, float[] p, float[] a, float[] b, float[] q, float[] k,
                            float[] v, float[] dOut, float[] dP, float[] da, float[] db,
                            float[] dq, float[] dk, float[] dv, float[] ws);

    /**
     * Form 5: {@code y_b = V X_b A e_{q_b}} with X_b's columns {@code e_{x_bt}}, gathered:
     * {@code h[j] = sum_{t: x_bt = j} A[t][q_b]}, {@code y_b = V h}. Uses {@code ws[0, B N)} for H.
     */
    default void scbReadout(ScbReadoutSpec s, float[] vMat, float[] aMat, int[] tokens, int[] queries, float[] y, float[] ws) {
        scbHidden(s, aMat, tokens, queries, ws, 0, ws);
        scbReadoutFromHidden(s, vMat, ws, 0, y, ws);
    }

    /**
     * Backward of form 5: {@code dV = sum_b dy_b h_b^T},
     * {@code dA[t][q_b] += (V^T dy_b)[x_bt]} (all other entries of dA are 0). Recomputes H into
     * {@code ws[0, B N)}; {@link #scbReadoutBackwardFromHidden} reuses the forward's.
     */
    default void scbReadoutBackward(ScbReadoutSpec s, float[] vMat, float[] aMat, int[] tokens, int[] queries, float[] dy,
                                    float[] dV, float[] dA, float[] ws) {
        scbHidden(s, aMat, tokens, queries, ws, 0, ws);
        scbReadoutBackwardFromHidden(s, vMat, ws, 0, tokens, queries, dy, dV, dA, ws);
    }

    /**
     * The gather of form 5: {@code H[b][j] = h_b[j] = sum_{t: x_bt = j} A[t][q_b]}, i.e.
     * {@code X_b A e_{q_b}} without the one-hot X, into {@code h[hOff, hOff + B N)}, each sum in
     * position order. Scratch (A^T) in {@code ws[s.scratchOffset(), ...)}.
     */
    void scbHidden(ScbReadoutSpec s, float[] aMat, int[] tokens, int[] queries, float[] h, int hOff, float[] ws);

    /**
     * {@link #scbHidden} from A given transposed, {@code aT[aTOff + k T + t] = A[t][k]} ([N][T]):
     * the same sums in the same order, without the transpose (for models that keep the attention
     * table by query row, such as the softmax attention of a query over positions).
     */
    void scbHiddenTransposed(ScbReadoutSpec s, float[] aT, int aTOff, int[] tokens, int[] queries, float[] h, int hOff);

    /**
     * {@code y_b = V h_b} for every b (Y = H V^T) from the hidden of {@link #scbHidden}; scratch in
     * {@code ws[s.scratchOffset(), ...)}. Each entry is the fma chain over j in order.
     */
    void scbReadoutFromHidden(ScbReadoutSpec s, float[] vMat, float[] h, int hOff, float[] y, float[] ws);

    /**
     * Backward of form 5 from the forward's hidden H: {@code dV = dY^T H}, {@code G = dY V},
     * {@code dA[t][q_b] += G[b][x_bt]}; every sum runs over b (dV, dA) or i (G) in order, so the
     * result does not depend on the implementation's blocking. Scratch in
     * {@code ws[s.scratchOffset(), ...)}.
     */
    void scbReadoutBackwardFromHidden(ScbReadoutSpec s, float[] vMat, float[] h, int hOff, int[] tokens, int[] queries,
                                      float[] dy, float[] dV, float[] dA, float[] ws);

    /**
     * {@link #scbReadoutBackwardFromHidden} with the A gradient written transposed,
     * {@code dAT[dATOff + k T + t] = dA[t][k]} ([N][T]), the same bits; scratch (G) in
     * {@code ws[s.scratchOffset(), + B N)}. dAT may lie in ws after that.
     */
    void scbReadoutBackwardTransposed(ScbReadoutSpec s, float[] vMat, float[] h, int hOff, int[] tokens, int[] queries,
                                      float[] dy, float[] dV, float[] dAT, int dATOff, float[] ws);

    /** Whether every {@code idx[i]}, {@code i < n}, is in {@code [0, bound)} (validation of token indices). */
    boolean indicesInRange(int[] idx, int n, int bound);
}
