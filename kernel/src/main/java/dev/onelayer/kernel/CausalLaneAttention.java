package dev.onelayer.kernel;

/**
 * Causal softmax-free attention of one head over a block of b sequences laid out lane-major:
 * in every token array the block's feature c is the row {@code [n][b]} (position, example) at
 * {@code off + c cs}, so element {@code (t, c, i)} is at {@code off + c cs + t b + i}. Several
 * blocks side by side in rows of cs floats make a projection {@code Q = W X} of all of them one
 * GEMM. The reference code's general one-layer models (Sander et al. 2024, icar.md section 5) per head:
 * <pre>
 *   S_i[t,s]  = scale (q_{t,i} . k_{s,i}),   alpha_i[t,s] = S_i[t,s] pi[t,s],      s &lt;= t
 *   out_{t,i} += sum_{s &lt;= t} alpha_i[t,s] v_{s,i}
 * </pre>
 * with a positional matrix pi shared by the block (row-major n x n at {@code piOff}; null means
 * all ones, the augmented model's plain causal linear attention).
 *
 * <p>Why lane-major: the head width of those models is 10 and n is 50, far too short for SIMD in
 * either direction, and a general GEMM per (head, example) spends most of its time on call
 * overhead, packing and the zero upper triangle. With the examples in the lanes every operation
 * below is one full-width FMA per (t, s, c) whatever dh and n are, and only s &lt;= t is visited.
 *
 * <p>Bits: every lane follows the same operation sequence (an FMA chain over c in index order) in
 * both implementations, so the vector and scalar twins agree lane by lane; dPi sums over the lanes
 * in an order fixed by the implementation (the same on every call).
 */
public final class CausalLaneAttention {

    /** The two implementations. */
    public interface Ops {

        String name();

        /** {@code out[c][t][i] += sum_{s <= t} alpha_i[t,s] v[c][s][i]} (class docs). */
        void forward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff, float[] out);

        /**
         * Overwrites dq, dk, dv (lane-major) with the gradients of {@code <dOut, out>} and, when pi
         * is not null, adds {@code sum_i dOut_{t,i} . v_{s,i} S_i[t,s]} to {@code dPi[piOff + t n + s]}
         * for s &lt;= t; {@code ws} holds at least {@link #workspaceFloats} floats.
         */
        void backward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                      float[] dOut, float[] dq, float[] dk, float[] dv, float[] dPi, float[] ws);
    }

    /** Plain loops over the lanes, the scalar implementation (and the vector one's tail lanes). */
    public static final Ops SCALAR = new Ops() {
        @Override
        public String name() {
            return "scalar";
        }

        @Override
        public void forward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff, float[] out) {
            forwardLanes(n, dh, b, scale, q, k, v, off, cs, pi, piOff, out, 0, b);
        }

        @Override
        public void backward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                             float[] dOut, float[] dq, float[] dk, float[] dv, float[] dPi, float[] ws) {
            backwardLanes(n, dh, b, scale, q, k, v, off, cs, pi, piOff, dOut, dq, dk, dv, ws, 0, b);
            if (pi == null) return;
            int p = 2 * triangle(n) * b;
            for (int t = 0; t < n; t++) {
                for (int s = 0; s <= t; s++) {
                    int o = p + (t * (t + 1) / 2 + s) * b;
                    float sum = 0f;
                    for (int i = 0; i < b; i++) sum += ws[o + i];
                    dPi[piOff + t * n + s] += sum;
                }
            }
        }
    };

    private static final Ops IMPL = KernelProvider.load(Ops.class, "dev.onelayer.kernel.vector.VectorCausalLaneAttention", SCALAR);

    private CausalLaneAttention() {
    }

    /** The implementation the facade uses. */
    public static Ops impl() {
        return IMPL;
    }

    /** Pairs s &lt;= t among n positions. */
    public static int triangle(int n) {
        return n * (n + 1) / 2;
    }

    /** Workspace of {@link Ops#backward}: alpha, dS and the per-lane dPi terms, each [pairs][b]. */
    public static int workspaceFloats(int n, int b) {
        return 3 * triangle(n) * b;
    }

    /** {@link Ops#forward} through the chosen implementation, with argument checks. */
    public static void forward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff, float[] out) {
        check(n, dh, b, off, cs, pi, piOff, q, k, v, out);
        IMPL.forward(n, dh, b, scale, q, k, v, off, cs, pi, piOff, out);
    }

    /** {@link Ops#backward} through the chosen implementation, with argument checks. */
    public static void backward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                                float[] dOut, float[] dq, float[] dk, float[] dv, float[] dPi, float[] ws) {
        check(n, dh, b, off, cs, pi, piOff, q, k, v, dOut, dq, dk, dv);
        if (pi != null && (dPi == null || dPi.length < piOff + n * n)) throw new IllegalArgumentException("CausalLaneAttention: dPi too short");
        if (ws == null || ws.length < workspaceFloats(n, b)) throw new IllegalArgumentException("CausalLaneAttention: workspace too short");
        IMPL.backward(n, dh, b, scale, q, k, v, off, cs, pi, piOff, dOut, dq, dk, dv, dPi, ws);
    }

    private static void check(int n, int dh, int b, int off, int cs, float[] pi, int piOff, float[]... tokens) {
        if (n < 0 || dh < 0 || b < 0 || off < 0 || cs < n * b || piOff < 0) {
            throw new IllegalArgumentException("CausalLaneAttention: n=" + n + ", dh=" + dh + ", b=" + b + ", off=" + off + ", piOff=" + piOff
                    + " must be >= 0 and the feature stride cs=" + cs + " >= n b");
        }
        long need = dh == 0 ? 0 : off + (long) (dh - 1) * cs + (long) n * b;
        for (float[] a : tokens) {
            if (a == null || a.length < need) throw new IllegalArgumentException("CausalLaneAttention: a token array is shorter than off + (dh - 1) cs + n b = " + need);
        }
        if (pi != null && pi.length < piOff + (long) n * n) throw new IllegalArgumentException("CausalLaneAttention: pi too short");
    }

    /** Forward for lanes [from, to) with scalar arithmetic (per lane the same FMA sequence as the vector path). */
    public static void forwardLanes(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                                    float[] out, int from, int to) {
        int nb = cs;
        for (int i = from; i < to; i++) {
            for (int t = 0; t < n; t++) {
                int tq = off + t * b + i;
                for (int s = 0; s <= t; s++) {
                    int sk = off + s * b + i;
                    float sc = 0f;
                    for (int c = 0; c < dh; c++) sc = Math.fma(q[tq + c * nb], k[sk + c * nb], sc);
                    float a = (sc * scale) * (pi == null ? 1f : pi[piOff + t * n + s]);
                    for (int c = 0; c < dh; c++) out[tq + c * nb] = Math.fma(a, v[sk + c * nb], out[tq + c * nb]);
                }
            }
        }
    }

    /**
     * Backward for lanes [from, to) with scalar arithmetic: dq, dk, dv of those lanes, and alpha,
     * dS and the dPi terms {@code dA S} into the workspace ([pairs][b] each: alpha, dS, dPi terms).
     */
    public static void backwardLanes(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                                     float[] dOut, float[] dq, float[] dk, float[] dv, float[] ws, int from, int to) {
        int tri = triangle(n) * b, wa = 0, wd = tri, wp = 2 * tri, nb = cs;
        for (int i = from; i < to; i++) {
            // Pass 1, row by row: S and dA = dOut_t . v_s, then dq_t = sum_s dS k_s.
            for (int t = 0; t < n; t++) {
                int tq = off + t * b + i;
                for (int c = 0; c < dh; c++) dq[tq + c * nb] = 0f;
                for (int s = 0; s <= t; s++) {
                    int sk = off + s * b + i, ts = (t * (t + 1) / 2 + s) * b + i;
                    float sc = 0f, da = 0f;
                    for (int c = 0; c < dh; c++) {
                        sc = Math.fma(q[tq + c * nb], k[sk + c * nb], sc);
                        da = Math.fma(dOut[tq + c * nb], v[sk + c * nb], da);
                    }
                    sc *= scale;
                    float p = pi == null ? 1f : pi[piOff + t * n + s];
                    float ds = da * (p * scale);
                    ws[wa + ts] = sc * p;
                    ws[wd + ts] = ds;
                    ws[wp + ts] = da * sc;
                    for (int c = 0; c < dh; c++) dq[tq + c * nb] = Math.fma(ds, k[sk + c * nb], dq[tq + c * nb]);
                }
            }
            // Pass 2, column by column: dk_s = sum_t dS q_t, dv_s = sum_t alpha dOut_t.
            for (int s = 0; s < n; s++) {
                int sk = off + s * b + i;
                for (int c = 0; c < dh; c++) {
                    dk[sk + c * nb] = 0f;
                    dv[sk + c * nb] = 0f;
                }
                for (int t = s; t < n; t++) {
                    int tq = off + t * b + i, ts = (t * (t + 1) / 2 + s) * b + i;
                    float ds = ws[wd + ts], a = ws[wa + ts];
                    for (int c = 0; c < dh; c++) {
                        dk[sk + c * nb] = Math.fma(ds, q[tq + c * nb], dk[sk + c * nb]);
                        dv[sk + c * nb] = Math.fma(a, dOut[tq + c * nb], dv[sk + c * nb]);
                    }
                }
            }
        }
    }
}
