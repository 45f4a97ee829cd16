package dev.onelayer.kernel;

/**
 * Argument checks of the attention facade ({@link Attention}), and of the form-3 entry points of
 * {@link PositionalOuter}, which are public for the vector implementation and check as the facade
 * does. Each failure is an {@link IllegalArgumentException} naming the kernel and the operand.
 */
final class AttentionArgs {

    private AttentionArgs() {
    }

    static void spec(String k, Object spec) {
        if (spec == null) throw new IllegalArgumentException(k + ": spec is null");
    }

    static void buffer(String k, String name, float[] a, int need, String layout) {
        if (a == null) throw new IllegalArgumentException(k + ": " + name + " is null");
        if (a.length < need) {
            throw new IllegalArgumentException(k + ": " + name + " " + layout + " needs " + need
                    + " floats, but its array has " + a.length);
        }
    }

    /** Outputs (first nOut) must not alias any other buffer; inputs may alias each other. */
    static void outputsDistinct(String k, int nOut, String[] names, float[]... arrays) {
        for (int i = 0; i < nOut; i++) {
            for (int j = 0; j < arrays.length; j++) {
                if (i != j && arrays[i] == arrays[j]) {
                    throw new IllegalArgumentException(k + ": output " + names[i] + " and " + names[j]
                            + " are the same array (an output may not alias another buffer)");
                }
            }
        }
    }

    /** Token layout of a form-3 spec, for messages: [B][T][d], with [re,im] when complex. */
    private static String tokens(PositionalAttentionSpec s) {
        return "[B=" + s.batch() + "][T=" + s.seqLen() + "][d=" + s.d() + "]" + (s.complex() ? "[re,im]" : "");
    }

    private static void positionalArgs(String n, PositionalAttentionSpec s, float[] p, float[] a, float[] b,
                                       float[] q, float[] k, float[] v, float[] ws) {
        spec(n, s);
        String tok = tokens(s);
        buffer(n, "P", p, s.positionalFloats(), "[T=" + s.seqLen() + "][T]");
        buffer(n, "a", a, s.diagonalFloats(), "[H=" + s.heads() + "][d=" + s.d() + "]");
        buffer(n, "b", b, s.diagonalFloats(), "[H=" + s.heads() + "][d=" + s.d() + "]");
        buffer(n, "q", q, s.tokenFloats(), tok);
        buffer(n, "k", k, s.tokenFloats(), tok);
        buffer(n, "v", v, s.tokenFloats(), tok);
        buffer(n, "ws", ws, s.workspaceFloats(), "(workspace)");
    }

    /**
     * The argument checks of a form-3 forward, shared by the facade and {@link PositionalOuter#forward}
     * (public for the vector implementation's package, so it does not trust its caller either).
     */
    static void positional(String n, PositionalAttentionSpec s, float[] p, float[] a, float[] b, float[] q,
                           float[] k, float[] v, float[] out, float[] ws) {
        positionalArgs(n, s, p, a, b, q, k, v, ws);
        buffer(n, "out", out, s.tokenFloats(), tokens(s));
        outputsDistinct(n, 2, new String[] {"out", "ws", "P", "a", "b", "q", "k", "v"}, out, ws, p, a, b, q, k, v);
    }

    /** The argument checks of a form-3 backward, shared by the facade and {@link PositionalOuter#backward}. */
    static void positionalBackward(String n, PositionalAttentionSpec s, float[] p, float[] a, float[] b, float[] q,
                                   float[] k, float[] v, float[] dOut, float[] dP, float[] da, float[] db,
                                   float[] dq, float[] dk, float[] dv, float[] ws) {
        positionalArgs(n, s, p, a, b, q, k, v, ws);
        String tok = tokens(s);
        buffer(n, "dOut", dOut, s.tokenFloats(), tok);
        buffer(n, "dP", dP, s.positionalFloats(), "[T][T]");
        buffer(n, "da", da, s.diagonalFloats(), "[H][d]");
        buffer(n, "db", db, s.diagonalFloats(), "[H][d]");
        if (dq == null && dk == null && dv == null) {
            // Input gradients not wanted (q, k, v are data): the kernel skips their contractions.
            outputsDistinct(n, 4, new String[] {"dP", "da", "db", "ws", "P", "a", "b", "q", "k", "v", "dOut"},
                    dP, da, db, ws, p, a, b, q, k, v, dOut);
            return;
        }
        if (dq == null || dk == null || dv == null) {
            throw new IllegalArgumentException(n + ": the input gradients dq, dk, dv must be all null (parameter gradients only)"
                    + " or all given, but dq is " + given(dq) + ", dk " + given(dk) + ", dv " + given(dv));
        }
        buffer(n, "dq", dq, s.tokenFloats(), tok);
        buffer(n, "dk", dk, s.tokenFloats(), tok);
        buffer(n, "dv", dv, s.tokenFloats(), tok);
        outputsDistinct(n, 7, new String[] {"dP", "da", "db", "dq", "dk", "dv", "ws", "P", "a", "b", "q", "k", "v", "dOut"},
                dP, da, db, dq, dk, dv, ws, p, a, b, q, k, v, dOut);
    }

    private static String given(float[] x) {
        return x == null ? "null" : "given";
    }
}
