package dev.onelayer.kernel;

import static dev.onelayer.kernel.AttentionArgs.buffer;
import static dev.onelayer.kernel.AttentionArgs.outputsDistinct;
import static dev.onelayer.kernel.AttentionArgs.spec;

/**
 * The attention facade: every attention form the four papers use, forward and backward, in
 * front of the implementation chosen once by {@link KernelProvider} (Vector API or scalar).
 * Every method validates its arguments and throws {@link IllegalArgumentException} naming the
 * operand that does not fit; layouts and exact equations are in {@link AttentionOps}.
 *
 * <h2>Forms</h2>
 * <ol>
 *   <li><b>Causal linear attention, quadratic form</b> ({@link #linearQuadratic}):
 *       {@code out_t = scale sum_{s in S(t)} (q_t . k_s) v_s}, optional diagonal and window
 *       ({@link LinearAttentionSpec}). O(T^2 (dk + dv)).</li>
 *   <li><b>Prefix-state form</b> ({@link #linearPrefix}): {@code S_t = sum_{s <= t} v_s k_s^T},
 *       {@code out_t = scale S_t q_t}. O(T dk dv): the rank-structured path. {@link #linear} picks the
 *       cheaper of the two from the shapes ({@link LinearAttentionSpec#prefixPreferred()}).</li>
 *   <li><b>Positional-matrix-weighted linear attention</b> (Sander et al. 2024, non-augmented model,
 *       icar.md 2(b)) ({@link #positional}): {@code out_t = sum_h sum_{s <= t+shift} P[t,s]
 *       (q_t . diag(a_h) k_s) diag(b_h) v_s}.</li>
 *   <li><b>Fused softmax attention</b> (Makkuva et al., Li et al.) ({@link #softmax}):
 *       {@code out_t = sum_j softmax_j(scale q_t . k_j) v_j}, causal / sliding window / full,
 *       online softmax over key blocks, row statistics {@code lse} saved for the backward, which
 *       recomputes the probabilities; {@link #softmaxProbabilities} returns them on request.</li>
 *   <li><b>SCB reduced readout</b> (Ren et al. 2024, scb.md 2) ({@link #scbReadout}):
 *       {@code y = V X A e_q} with one-hot X given as token indices (a gather, no one-hot matrix).</li>
 * </ol>
 * Workspaces: {@code ws} of at least {@code spec.workspaceFloats()} floats, owned by the caller.
 */
public final class Attention {

    private static final AttentionOps IMPL = KernelProvider.load(
            AttentionOps.class, "dev.onelayer.kernel.vector.VectorAttentionOps", new ScalarAttentionOps());

    private Attention() {
    }

    /** The implementation in use. */
    public static AttentionOps implementation() {
        return IMPL;
    }

    // ---------------------------------------------------------------- checks

    /**
     * {@link AttentionArgs#buffer} for a rows x cols matrix, building the message only when it fails (the
     * training-step entry points allocate nothing).
     */
    private static void matrix(String k, String name, float[] a, int rows, int cols, String rowName, String colName) {
        if (a == null || a.length < rows * cols) {
            buffer(k, name, a, rows * cols, "[" + rowName + "=" + rows + "][" + colName + "=" + cols + "]");
        }
    }

    /** One pair of {@link #outputsDistinct}, without its varargs arrays (same message). */
    private static void notSame(String k, String outName, float[] out, String otherName, float[] other) {
        if (out == other) {
            throw new IllegalArgumentException(k + ": output " + outName + " and " + otherName
                    + " are the same array (an output may not alias another buffer)");
        }
    }

    private static void linearArgs(String k, LinearAttentionSpec s, float[] q, float[] kk, float[] v, float[] ws) {
        spec(k, s);
        String dims = "[B=" + s.batch() + "][H=" + s.heads() + "][T=" + s.seqLen() + "]";
        buffer(k, "q", q, s.qkFloats(), dims + "[dk=" + s.dk() + "]");
        buffer(k, "k", kk, s.qkFloats(), dims + "[dk=" + s.dk() + "]");
        buffer(k, "v", v, s.vFloats(), dims + "[dv=" + s.dv() + "]");
        buffer(k, "ws", ws, s.workspaceFloats(), "(workspace)");
    }

    // ---------------------------------------------------------------- forms 1 and 2

    /** Form 1, quadratic; see {@link AttentionOps#linearQuadratic}. */
    public static void linearQuadratic(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        String n = "linearQuadratic";
        linearArgs(n, s, q, k, v, ws);
        buffer(n, "out", out, s.vFloats(), "[B][H][T][dv]");
        outputsDistinct(n, 2, new String[] {"out", "ws", "q", "k", "v"}, out, ws, q, k, v);
        IMPL.linearQuadratic(s, q, k, v, out, ws);
    }

    /** Backward of form 1; see {@link AttentionOps#linearQuadraticBackward}. */
    public static void linearQuadraticBackward(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] dOut,
                                               float[] dq, float[] dk, float[] dv, float[] ws) {
        String n = "linearQuadraticBackward";
        linearBackwardArgs(n, s, q, k, v, dOut, dq, dk, dv, ws);
        IMPL.linearQuadraticBackward(s, q, k, v, dOut, dq, dk, dv, ws);
    }

    private static void linearBackwardArgs(String n, LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] dOut,
                                           float[] dq, float[] dk, float[] dv, float[] ws) {
        linearArgs(n, s, q, k, v, ws);
        buffer(n, "dOut", dOut, s.vFloats(), "[B][H][T][dv]");
        buffer(n, "dq", dq, s.qkFloats(), "[B][H][T][dk]");
        buffer(n, "dk", dk, s.qkFloats(), "[B][H][T][dk]");
        buffer(n, "dv", dv, s.vFloats(), "[B][H][T][dv]");
        outputsDistinct(n, 4, new String[] {"dq", "dk", "dv", "ws", "q", "k", "v", "dOut"}, dq, dk, dv, ws, q, k, v, dOut);
    }

    private static void prefixArgs(String n, LinearAttentionSpec s) {
        if (s != null && s.window() != LinearAttentionSpec.NO_WINDOW) {
            throw new IllegalArgumentException(n + ": window=" + s.window()
                    + " is not supported by the prefix-state form (use linearQuadratic or linear)");
        }
    }

    /** Form 2, prefix state; see {@link AttentionOps#linearPrefix}. No window. */
    public static void linearPrefix(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        String n = "linearPrefix";
        prefixArgs(n, s);
        linearArgs(n, s, q, k, v, ws);
        buffer(n, "out", out, s.vFloats(), "[B][H][T][dv]");
        outputsDistinct(n, 2, new String[] {"out", "ws", "q", "k", "v"}, out, ws, q, k, v);
        IMPL.linearPrefix(s, q, k, v, out, ws);
    }

    /** Backward of form 2; see {@link AttentionOps#linearPrefixBackward}. */
    public static void linearPrefixBackward(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] dOut,
                                            float[] dq, float[] dk, float[] dv, float[] ws) {
        String n = "linearPrefixBackward";
        prefixArgs(n, s);
        linearBackwardArgs(n, s, q, k, v, dOut, dq, dk, dv, ws);
        IMPL.linearPrefixBackward(s, q, k, v, dOut, dq, dk, dv, ws);
    }

    /** Causal linear attention in whichever form is cheaper for these shapes ({@link LinearAttentionSpec#prefixPreferred()}). */
    public static void linear(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] ws) {
        spec("linear", s);
        if (s.prefixPreferred()) linearPrefix(s, q, k, v, out, ws);
        else linearQuadratic(s, q, k, v, out, ws);
    }

    /** Backward of {@link #linear}, in the same form. */
    public static void linearBackward(LinearAttentionSpec s, float[] q, float[] k, float[] v, float[] dOut,
                                      float[] dq, float[] dk, float[] dv, float[] ws) {
        spec("linearBackward", s);
        if (s.prefixPreferred()) linearPrefixBackward(s, q, k, v, dOut, dq, dk, dv, ws);
        else linearQuadraticBackward(s, q, k, v, dOut, dq, dk, dv, ws);
    }

    // ---------------------------------------------------------------- form 4

    private static void softmaxArgs(String n, SoftmaxAttentionSpec s, float[] q, float[] k, float[] lse, float[] ws) {
        spec(n, s);
        String dims = "[B=" + s.batch() + "][H=" + s.heads() + "][T=" + s.seqLen() + "]";
        buffer(n, "q", q, s.qkFloats(), dims + "[dk=" + s.dk() + "]");
        buffer(n, "k", k, s.qkFloats(), dims + "[dk=" + s.dk() + "]");
        buffer(n, "lse", lse, s.rowFloats(), dims);
        buffer(n, "ws", ws, s.workspaceFloats(), "(workspace)");
    }

    /** Form 4 forward; writes out and the row statistics lse; see {@link AttentionOps#softmax}. */
    public static void softmax(SoftmaxAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] lse, float[] ws) {
        String n = "softmax";
        softmaxArgs(n, s, q, k, lse, ws);
        buffer(n, "v", v, s.vFloats(), "[B][H][T][dv]");
        buffer(n, "out", out, s.vFloats(), "[B][H][T][dv]");
        outputsDistinct(n, 3, new String[] {"out", "lse", "ws", "q", "k", "v"}, out, lse, ws, q, k, v);
        IMPL.softmax(s, q, k, v, out, lse, ws);
    }

    /** Form 4 backward from the saved out and lse; see {@link AttentionOps#softmaxBackward}. */
    public static void softmaxBackward(SoftmaxAttentionSpec s, float[] q, float[] k, float[] v, float[] out, float[] lse,
                                       float[] dOut, float[] dq, float[] dk, float[] dv, float[] ws) {
        String n = "softmaxBackward";
        softmaxArgs(n, s, q, k, lse, ws);
        buffer(n, "v", v, s.vFloats(), "[B][H][T][dv]");
        buffer(n, "out", out, s.vFloats(), "[B][H][T][dv]");
        buffer(n, "dOut", dOut, s.vFloats(), "[B][H][T][dv]");
        buffer(n, "dq", dq, s.qkFloats(), "[B][H][T][dk]");
        buffer(n, "dk", dk, s.qkFloats(), "[B][H][T][dk]");
        buffer(n, "dv", dv, s.vFloats(), "[B][H][T][dv]");
        outputsDistinct(n, 4, new String[] {"dq", "dk", "dv", "ws", "q", "k", "v", "out", "lse", "dOut"},
                dq, dk, dv, ws, q, k, v, out, lse, dOut);
        IMPL.softmaxBackward(s, q, k, v, out, lse, dOut, dq, dk, dv, ws);
    }

    /** The probabilities [B][H][T][T] of a previous {@link #softmax} call, from its lse. */
    public static void softmaxProbabilities(SoftmaxAttentionSpec s, float[] q, float[] k, float[] lse, float[] probs, float[] ws) {
        String n = "softmaxProbabilities";
        softmaxArgs(n, s, q, k, lse, ws);
        buffer(n, "probs", probs, s.probabilityFloats(), "[B][H][T][T]");
        outputsDistinct(n, 2, new String[] {"probs", "ws", "q", "k", "lse"}, probs, ws, q, k, lse);
        IMPL.softmaxProbabilities(s, q, k, lse, probs, ws);
    }

    // ---------------------------------------------------------------- form 3

    /** Form 3 forward; see {@link AttentionOps#positional}. q, k, v may be the same array. */
    public static void positional(PositionalAttentionSpec s, float[] p, float[] a, float[] b, float[] q, float[] k,
                                  float[] v, float[] out, float[] ws) {
        AttentionArgs.positional("positional", s, p, a, b, q, k, v, out, ws);
        IMPL.positional(s, p, a, b, q, k, v, out, ws);
    }

    /**
     * Form 3 backward; see {@link AttentionOps#positionalBackward}. dq, dk and dv may all be null
     * when only the parameter gradients (dP, da, db) are wanted; they are all null or all given.
     */
    public static void positionalBackward(PositionalAttentionSpec s, float[] p, float[] a, float[] b, float[] q,
                                          float[] k, float[] v, float[] dOut, float[] dP, float[] da, float[] db,
                                          float[] dq, float[] dk, float[] dv, float[] ws) {
        AttentionArgs.positionalBackward("positionalBackward", s, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws);
        IMPL.positionalBackward(s, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws);
    }

    // ---------------------------------------------------------------- form 5

    private static void scbArgs(String n, ScbReadoutSpec s, float[] vMat, float[] aMat, int[] tokens, int[] queries, float[] ws) {
        spec(n, s);
        int N = s.vocab(), T = s.seqLen();
        matrix(n, "V", vMat, N, N, "N", "N");
        matrix(n, "A", aMat, T, N, "T", "N");
        buffer(n, "ws", ws, s.workspaceFloats(), "(workspace)");
        scbTokens(n, s, tokens, queries);
    }

    /** Token and query arrays: present, long enough, every index in [0, N) (one vector pass over B T tokens). */
    private static void scbTokens(String n, ScbReadoutSpec s, int[] tokens, int[] queries) {
        int N = s.vocab(), T = s.seqLen();
        if (tokens == null) throw new IllegalArgumentException(n + ": tokens is null");
        if (queries == null) throw new IllegalArgumentException(n + ": queries is null");
        if (tokens.length < s.batch() * T) {
            throw new IllegalArgumentException(n + ": tokens [B=" + s.batch() + "][T=" + T + "] needs "
                    + s.batch() * T + " ints, but its array has " + tokens.length);
        }
        if (queries.length < s.batch()) {
            throw new IllegalArgumentException(n + ": queries [B=" + s.batch() + "] has only " + queries.length + " ints");
        }
        if (!IMPL.indicesInRange(tokens, s.batch() * T, N)) {
            for (int i = 0; i < s.batch() * T; i++) {
                if (tokens[i] < 0 || tokens[i] >= N) {
                    throw new IllegalArgumentException(n + ": tokens[" + i + "]=" + tokens[i] + " is outside [0, N=" + N + ")");
                }
            }
        }
        for (int i = 0; i < s.batch(); i++) {
            if (queries[i] < 0 || queries[i] >= N) {
                throw new IllegalArgumentException(n + ": queries[" + i + "]=" + queries[i] + " is outside [0, N=" + N + ")");
            }
        }
    }

    /** Form 5 forward; see {@link AttentionOps#scbReadout}. */
    public static void scbReadout(ScbReadoutSpec s, float[] vMat, float[] aMat, int[] tokens, int[] queries, float[] y, float[] ws) {
        String n = "scbReadout";
        scbArgs(n, s, vMat, aMat, tokens, queries, ws);
        buffer(n, "y", y, s.batch() * s.vocab(), "[B][N]");
        outputsDistinct(n, 2, new String[] {"y", "ws", "V", "A"}, y, ws, vMat, aMat);
        IMPL.scbReadout(s, vMat, aMat, tokens, queries, y, ws);
    }

    /** Form 5 backward; see {@link AttentionOps#scbReadoutBackward}. */
    public static void scbReadoutBackward(ScbReadoutSpec s, float[] vMat, float[] aMat, int[] tokens, int[] queries,
                                          float[] dy, float[] dV, float[] dA, float[] ws) {
        String n = "scbReadoutBackward";
        scbArgs(n, s, vMat, aMat, tokens, queries, ws);
        buffer(n, "dy", dy, s.batch() * s.vocab(), "[B][N]");
        buffer(n, "dV", dV, s.vocab() * s.vocab(), "[N][N]");
        buffer(n, "dA", dA, s.seqLen() * s.vocab(), "[T][N]");
        outputsDistinct(n, 3, new String[] {"dV", "dA", "ws", "V", "A", "dy"}, dV, dA, ws, vMat, aMat, dy);
        IMPL.scbReadoutBackward(s, vMat, aMat, tokens, queries, dy, dV, dA, ws);
    }

    /**
     * Form 5 forward that also returns the hidden {@code h_b = X_b A e_{q_b}} ({@code hidden} [B][N]),
     * for {@link #scbReadoutBackwardFromHidden}: a training step then gathers over the B T tokens once.
     */
    public static void scbReadout(ScbReadoutSpec s, float[] vMat, float[] aMat, int[] tokens, int[] queries, float[] y,
                                  float[] hidden, float[] ws) {
        String n = "scbReadout";
        scbArgs(n, s, vMat, aMat, tokens, queries, ws);
        buffer(n, "y", y, s.batch() * s.vocab(), "[B][N]");
        buffer(n, "hidden", hidden, s.hiddenFloats(), "[B][N]");
        notSame(n, "y", y, "hidden", hidden);
        notSame(n, "y", y, "ws", ws);
        notSame(n, "y", y, "V", vMat);
        notSame(n, "y", y, "A", aMat);
        notSame(n, "hidden", hidden, "ws", ws);
        notSame(n, "hidden", hidden, "V", vMat);
        notSame(n, "hidden", hidden, "A", aMat);
        notSame(n, "ws", ws, "V", vMat);
        notSame(n, "ws", ws, "A", aMat);
        IMPL.scbHidden(s, aMat, tokens, queries, hidden, 0, ws);
        IMPL.scbReadoutFromHidden(s, vMat, hidden, 0, y, ws);
    }

    /**
     * Form 5 backward from the hidden H that {@link #scbReadout(ScbReadoutSpec, float[], float[], int[], int[], float[], float[], float[])}
     * returned for the same A, tokens and queries (the gradients do not depend on A otherwise); see
     * {@link AttentionOps#scbReadoutBackwardFromHidden}.
     */
    public static void scbReadoutBackwardFromHidden(ScbReadoutSpec s, float[] vMat, float[] hidden, int[] tokens, int[] queries,
                                                    float[] dy, float[] dV, float[] dA, float[] ws) {
        backwardFromHiddenArgs("scbReadoutBackwardFromHidden", s, vMat, hidden, tokens, queries, dy, dV, "dA", dA, "[T][N]", ws);
        IMPL.scbReadoutBackwardFromHidden(s, vMat, hidden, 0, tokens, queries, dy, dV, dA, ws);
    }

    /** The checks of the two backward-from-hidden entry points; the A gradient is dA [T][N] or dA^T [N][T] (same size). */
    private static void backwardFromHiddenArgs(String n, ScbReadoutSpec s, float[] vMat, float[] hidden, int[] tokens, int[] queries,
                                               float[] dy, float[] dV, String aName, float[] dA, String aShape, float[] ws) {
        spec(n, s);
        int N = s.vocab();
        matrix(n, "V", vMat, N, N, "N", "N");
        buffer(n, "hidden", hidden, s.hiddenFloats(), "[B][N]");
        buffer(n, "ws", ws, s.workspaceFloats(), "(workspace)");
        scbTokens(n, s, tokens, queries);
        buffer(n, "dy", dy, s.batch() * N, "[B][N]");
        buffer(n, "dV", dV, N * N, "[N][N]");
        buffer(n, aName, dA, s.seqLen() * N, aShape);
        // the pairs of outputsDistinct(dV, dA, ws | V, hidden, dy), spelled out: no varargs arrays per step
        notSame(n, "dV", dV, aName, dA);
        notSame(n, "dV", dV, "ws", ws);
        notSame(n, "dV", dV, "V", vMat);
        notSame(n, "dV", dV, "hidden", hidden);
        notSame(n, "dV", dV, "dy", dy);
        notSame(n, aName, dA, "ws", ws);
        notSame(n, aName, dA, "V", vMat);
        notSame(n, aName, dA, "hidden", hidden);
        notSame(n, aName, dA, "dy", dy);
        notSame(n, "ws", ws, "V", vMat);
        notSame(n, "ws", ws, "hidden", hidden);
        notSame(n, "ws", ws, "dy", dy);
    }

    /**
     * The hidden {@code h_b = X_b A e_{q_b}} ({@code hidden} [B][N]) from A given transposed
     * ({@code aT} [N][T], row k = column k of A); see {@link AttentionOps#scbHiddenTransposed}.
     */
    public static void scbHiddenTransposed(ScbReadoutSpec s, float[] aT, int[] tokens, int[] queries, float[] hidden) {
        String n = "scbHiddenTransposed";
        spec(n, s);
        matrix(n, "A^T", aT, s.vocab(), s.seqLen(), "N", "T");
        scbTokens(n, s, tokens, queries);
        buffer(n, "hidden", hidden, s.hiddenFloats(), "[B][N]");
        notSame(n, "hidden", hidden, "A^T", aT);
        IMPL.scbHiddenTransposed(s, aT, 0, tokens, queries, hidden, 0);
    }

    /** {@code y_b = V h_b} for every b from a given hidden ([B][N]); see {@link AttentionOps#scbReadoutFromHidden}. */
    public static void scbReadoutFromHidden(ScbReadoutSpec s, float[] vMat, float[] hidden, float[] y, float[] ws) {
        String n = "scbReadoutFromHidden";
        spec(n, s);
        int N = s.vocab();
        matrix(n, "V", vMat, N, N, "N", "N");
        buffer(n, "hidden", hidden, s.hiddenFloats(), "[B][N]");
        buffer(n, "y", y, s.batch() * N, "[B][N]");
        buffer(n, "ws", ws, s.workspaceFloats(), "(workspace)");
        notSame(n, "y", y, "hidden", hidden);
        notSame(n, "y", y, "ws", ws);
        notSame(n, "y", y, "V", vMat);
        notSame(n, "ws", ws, "V", vMat);
        notSame(n, "ws", ws, "hidden", hidden);
        IMPL.scbReadoutFromHidden(s, vMat, hidden, 0, y, ws);
    }

    /**
     * {@link #scbReadoutBackwardFromHidden} with the A gradient transposed, {@code dAT} [N][T]
     * ({@code dAT[k][t] = dA[t][k]}, the same bits); see {@link AttentionOps#scbReadoutBackwardTransposed}.
     */
    public static void scbReadoutBackwardTransposed(ScbReadoutSpec s, float[] vMat, float[] hidden, int[] tokens, int[] queries,
                                                    float[] dy, float[] dV, float[] dAT, float[] ws) {
        backwardFromHiddenArgs("scbReadoutBackwardTransposed", s, vMat, hidden, tokens, queries, dy, dV, "dA^T", dAT, "[N][T]", ws);
        IMPL.scbReadoutBackwardTransposed(s, vMat, hidden, 0, tokens, queries, dy, dV, dAT, 0, ws);
    }
}
