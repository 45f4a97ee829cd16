package dev.onelayer.kernel;

import java.util.Arrays;

/**
 * Form 3 (positional-matrix-weighted linear attention, Sander et al. 2024, icar.md 2(b)) through
 * the key-value outer products, the algorithm both implementations share.
 *
 * <p>Why: written pair by pair, {@code out_ti = sum_s P[t,s] v_si sum_c q_tc k_sc C[c][i]} costs a
 * d x d matrix-vector product per (t, s) pair on vectors of length d (5..20), too short for SIMD.
 * Regrouped per row t,
 * <pre>
 *   M_t = sum_{s <= t + shift} P[t,s] KV_s,   KV_s = k_s v_s^T,   out_ti = sum_c q_tc C[c][i] M_t[c][i],
 * </pre>
 * the only O(T^2) part is a banded product of the T x T positional matrix with T rows of d^2
 * floats ({@link Bands#rows}): long contiguous rows, an axpy per pair. The backward has the same
 * shape: {@code dM_t = C o (q_t dOut_t^T)}, {@code dP[t,s] = <dM_t, KV_s>} ({@link Bands#dots}),
 * {@code dKV_s = sum_t P[t,s] dM_t} ({@link Bands#cols}), and O(T d^2) contractions for dq, dk, dv
 * and dC. The complex spec is the same with complex outer products (2 d^2 floats per row) and
 * complex contractions: {@code out_ti = sum_c C[c][i] conj(q_tc) M_t[c][i]}; P stays real, so the
 * banded products are the real ones on the (re, im) floats.
 *
 * <p>The band products are the hot loops; an implementation supplies them ({@link #SCALAR} here,
 * a Vector API one in {@code dev.onelayer.kernel.vector}), or runs the whole batch its own way
 * ({@link Batched}: the vector implementation puts a group of sequences in the lanes, so the
 * O(T d^2) loops above are lane-wise too). Rows in the workspace are
 * {@code spec.outerLd()} floats apart with zero padding, so a vector implementation runs whole
 * vectors with no tail. Sums over the batch (dP, dC) run in an order fixed by the batch alone
 * (batch order; with the lanes across sequences, per lane in batch order, then the lanes in a fixed
 * order): same bits on every call.
 */
public final class PositionalOuter {

    /** The banded products over rows of {@code spec.outerFloats()} floats (padded to {@code outerLd}). */
    public interface Bands {

        /** {@code Y_t = sum_{s <= last(t)} P[t,s] X_s} for every t (overwrites Y's rows, pads included). */
        void rows(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff);

        /** {@code Y_s = sum_{t >= first(s)} P[t,s] X_t} for every s (overwrites Y's rows, pads included). */
        void cols(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff);

        /**
         * {@code dP[t,s] += <X_t, KV_s>} for every attended pair, with KV at {@code kvOff} and,
         * when {@link #transposed()}, also transposed ([outer][keyLd]) at {@code kvtOff}; a tile
         * of four [keyLd] rows is free at {@code tileOff}.
         */
        void dots(PositionalAttentionSpec sp, float[] ws, int xOff, int kvOff, int kvtOff, int tileOff, float[] dP);

        /** Whether {@link #dots} reads the transposed copy of KV. */
        boolean transposed();

        /**
         * Writes KV transposed ([outer][keyLd] at {@code kvtOff}) for the sequence at {@code base};
         * {@code 2 * tokenWidth * keyLd} floats at {@code tokOff} are free for transposed k and v.
         */
        void outerTransposed(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws, int kvtOff, int tokOff);

        /**
         * {@code KV_s = k_s v_s^T} for the sequence at {@code base} (see {@link PositionalOuter#outer});
         * an implementation must give the same bits as the plain loop (each entry is one product).
         * The rows start at {@code kvOff}.
         */
        default void outer(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws, int kvOff) {
            PositionalOuter.outer(sp, k, v, base, ws);
        }

        /**
         * {@code out_ti = sum_c q_tc C[c][i] M_t[c][i]} for the sequence at {@code base} (see
         * {@link PositionalOuter#contract}); an implementation must give the same bits as the plain
         * loop (the same FMA chain over c, in order, for every output entry). C is at {@code cOff}, the
         * rows of M at {@code mOff}.
         */
        default void contract(PositionalAttentionSpec sp, float[] q, int base, float[] ws, int cOff, int mOff, float[] out) {
            PositionalOuter.contract(sp, q, base, ws, out);
        }

        /**
         * The per-row gradient pieces of {@link PositionalOuter#rowGrads} (dM, dC, and dq when not
         * null) for the sequence at {@code base}; C at {@code cOff}, dC at {@code dcOff}, rows of M
         * and dM at {@code mOff}, {@code dmOff}. An implementation must give the same bits as the
         * plain loop.
         */
        default void rowGrads(PositionalAttentionSpec sp, float[] q, float[] dOut, int base, float[] ws,
                              int cOff, int dcOff, int mOff, int dmOff, float[] dq) {
            PositionalOuter.rowGrads(sp, q, dOut, base, ws, dq);
        }

        /**
         * An implementation that runs the whole batch its own way for this spec (instead of the
         * sequence-by-sequence loop over the methods above), or null (the default) for the loop.
         */
        default Batched batched(PositionalAttentionSpec sp) {
            return null;
        }
    }

    /**
     * The same outer-product algorithm over the whole batch at once (for example with the lanes
     * across sequences). {@link PositionalOuter#forward} and {@link PositionalOuter#backward} check
     * the arguments, zero the outputs, handle empty shapes, write C at {@code cOff} and zero dC at
     * {@code dcOff}, and turn dC into da, db; an implementation does the rest. The workspace from
     * {@code laneOff} on is its own (see {@link PositionalAttentionSpec#workspaceFloats}): the lane
     * layout is there only when {@link PositionalAttentionSpec#laneLayout()}.
     */
    public interface Batched {

        /** Writes {@code out_ti = sum_c q_tc C[c][i] M_t[c][i]} for every sequence (out was zeroed by the caller). */
        void forward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v, float[] out, float[] ws,
                     int cOff, int laneOff);

        /**
         * Adds dP (the attended entries) and dC (at {@code dcOff}) to their zeroed buffers and, when dq is
         * not null, writes dq, dk, dv; dP and dC must be the same bits whether or not dq, dk, dv are asked for.
         */
        void backward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v, float[] dOut, float[] dP,
                      float[] dq, float[] dk, float[] dv, float[] ws, int cOff, int dcOff, int laneOff);
    }

    /** Plain loops, the scalar implementation. */
    public static final Bands SCALAR = new Bands() {
        @Override
        public void rows(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff) {
            int T = sp.seqLen(), n = sp.outerFloats(), ld = sp.outerLd();
            for (int t = 0; t < T; t++) {
                int y = yOff + t * ld;
                Arrays.fill(ws, y, y + ld, 0f);
                for (int s = 0; s <= sp.last(t); s++) axpy(n, p[t * T + s], ws, xOff + s * ld, ws, y);
            }
        }

        @Override
        public void cols(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff) {
            int T = sp.seqLen(), n = sp.outerFloats(), ld = sp.outerLd();
            for (int s = 0; s < T; s++) {
                int y = yOff + s * ld;
                Arrays.fill(ws, y, y + ld, 0f);
                for (int t = sp.first(s); t < T; t++) axpy(n, p[t * T + s], ws, xOff + t * ld, ws, y);
            }
        }

        @Override
        public void dots(PositionalAttentionSpec sp, float[] ws, int xOff, int kvOff, int kvtOff, int tileOff, float[] dP) {
            int T = sp.seqLen(), n = sp.outerFloats(), ld = sp.outerLd();
            for (int t = 0; t < T; t++) {
                for (int s = 0; s <= sp.last(t); s++) {
                    float acc = 0f;
                    int x = xOff + t * ld, y = kvOff + s * ld;
                    for (int j = 0; j < n; j++) acc = Math.fma(ws[x + j], ws[y + j], acc);
                    dP[t * T + s] += acc;
                }
            }
        }

        @Override
        public boolean transposed() {
            return false;
        }

        @Override
        public void outerTransposed(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws, int kvtOff, int tokOff) {
            int T = sp.seqLen(), n = sp.outerFloats(), ld = sp.outerLd(), tp = sp.keyLd(), kv = sp.kvOffset();
            PositionalOuter.outer(sp, k, v, base, ws);
            for (int s = 0; s < T; s++) {
                for (int j = 0; j < n; j++) ws[kvtOff + j * tp + s] = ws[kv + s * ld + j];
            }
        }
    };

    private PositionalOuter() {
    }

    private static void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        for (int c = 0; c < n; c++) y[yo + c] = Math.fma(alpha, x[xo + c], y[yo + c]);
    }

    private static boolean empty(PositionalAttentionSpec sp) {
        return sp.batch() == 0 || sp.seqLen() == 0 || sp.d() == 0;
    }

    /** Zeroes the outer-product rows and the transposed copy, so that their pads stay 0 for the call. */
    private static void clearRows(PositionalAttentionSpec sp, float[] ws) {
        Arrays.fill(ws, sp.kvOffset(), sp.tokensTransposedOffset() + 2 * sp.tokenWidth() * sp.keyLd(), 0f);
    }

    /**
     * Form 3 forward ({@link AttentionOps#positional}) with the given band products. Public for the
     * vector implementation's package; checks its arguments as the facade does (IllegalArgumentException).
     */
    public static void forward(PositionalAttentionSpec sp, float[] p, float[] a, float[] b, float[] q, float[] k,
                               float[] v, float[] out, float[] ws, Bands bands) {
        AttentionArgs.positional("PositionalOuter.forward", sp, p, a, b, q, k, v, out, ws);
        if (bands == null) throw new IllegalArgumentException("PositionalOuter.forward: bands is null");
        Arrays.fill(out, 0, sp.tokenFloats(), 0f);
        if (empty(sp)) return;
        ScalarAttentionOps.positionalCoupling(sp.heads(), sp.d(), a, b, ws, sp.couplingOffset());
        Batched whole = bands.batched(sp);
        if (whole != null) {
            whole.forward(sp, p, q, k, v, out, ws, sp.couplingOffset(), sp.kvOffset());
            return;
        }
        clearRows(sp, ws);
        int stride = sp.seqLen() * sp.tokenWidth();
        for (int bt = 0; bt < sp.batch(); bt++) {
            int base = bt * stride;
            bands.outer(sp, k, v, base, ws, sp.kvOffset());
            bands.rows(sp, p, ws, sp.kvOffset(), sp.mOffset());
            bands.contract(sp, q, base, ws, sp.couplingOffset(), sp.mOffset(), out);
        }
    }

    /**
     * Form 3 backward ({@link AttentionOps#positionalBackward}); dq, dk, dv all null skips them (all
     * null or all given). Checks its arguments as the facade does (IllegalArgumentException).
     */
    public static void backward(PositionalAttentionSpec sp, float[] p, float[] a, float[] b, float[] q, float[] k,
                                float[] v, float[] dOut, float[] dP, float[] da, float[] db,
                                float[] dq, float[] dk, float[] dv, float[] ws, Bands bands) {
        AttentionArgs.positionalBackward("PositionalOuter.backward", sp, p, a, b, q, k, v, dOut, dP, da, db, dq, dk, dv, ws);
        if (bands == null) throw new IllegalArgumentException("PositionalOuter.backward: bands is null");
        int d = sp.d(), H = sp.heads(), dc = sp.couplingGradOffset();
        Arrays.fill(dP, 0, sp.positionalFloats(), 0f);
        Arrays.fill(da, 0, sp.diagonalFloats(), 0f);
        Arrays.fill(db, 0, sp.diagonalFloats(), 0f);
        boolean inputs = dq != null;
        if (inputs) {
            Arrays.fill(dq, 0, sp.tokenFloats(), 0f);
            Arrays.fill(dk, 0, sp.tokenFloats(), 0f);
            Arrays.fill(dv, 0, sp.tokenFloats(), 0f);
        }
        if (empty(sp)) return;
        ScalarAttentionOps.positionalCoupling(H, d, a, b, ws, sp.couplingOffset());
        Arrays.fill(ws, dc, dc + d * d, 0f);
        Batched whole = bands.batched(sp);
        if (whole != null) whole.backward(sp, p, q, k, v, dOut, dP, dq, dk, dv, ws, sp.couplingOffset(), dc, sp.kvOffset());
        else perSequenceBackward(sp, p, q, k, v, dOut, dP, dq, dk, dv, ws, bands);
        for (int h = 0; h < H; h++) {
            for (int c = 0; c < d; c++) {
                float acc = 0f;
                for (int i = 0; i < d; i++) acc = Math.fma(ws[dc + c * d + i], b[h * d + i], acc);
                da[h * d + c] = acc;
                axpy(d, a[h * d + c], ws, dc + c * d, db, h * d);
            }
        }
    }

    /** The sequence-by-sequence backward through the band products (dP, dC at its offset, and dq, dk, dv when given). */
    private static void perSequenceBackward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v,
                                            float[] dOut, float[] dP, float[] dq, float[] dk, float[] dv, float[] ws, Bands bands) {
        boolean inputs = dq != null;
        clearRows(sp, ws);
        int stride = sp.seqLen() * sp.tokenWidth();
        for (int bt = 0; bt < sp.batch(); bt++) {
            int base = bt * stride;
            bands.outer(sp, k, v, base, ws, sp.kvOffset());
            if (bands.transposed()) bands.outerTransposed(sp, k, v, base, ws, sp.kvtOffset(), sp.tokensTransposedOffset());
            bands.rows(sp, p, ws, sp.kvOffset(), sp.mOffset());
            bands.rowGrads(sp, q, dOut, base, ws, sp.couplingOffset(), sp.couplingGradOffset(), sp.mOffset(), sp.dmOffset(), dq);
            bands.dots(sp, ws, sp.dmOffset(), sp.kvOffset(), sp.kvtOffset(), sp.tileOffset(), dP);
            if (inputs) {
                bands.cols(sp, p, ws, sp.dmOffset(), sp.dkvOffset());
                keyGrads(sp, k, v, base, ws, dk, dv);
            }
        }
    }

    /** KV_s = k_s v_s^T (complex: the complex product, no conjugate) for every s. */
    public static void outer(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws) {
        int T = sp.seqLen(), d = sp.d(), w = sp.tokenWidth(), ld = sp.outerLd();
        int kv = sp.kvOffset();
        for (int s = 0; s < T; s++) {
            int so = base + s * w, row = kv + s * ld;
            if (!sp.complex()) {
                for (int c = 0; c < d; c++) {
                    float kc = k[so + c];
                    for (int i = 0; i < d; i++) ws[row + c * d + i] = kc * v[so + i];
                }
            } else {
                for (int c = 0; c < d; c++) {
                    float kr = k[so + 2 * c], ki = k[so + 2 * c + 1];
                    int r = row + 2 * c * d;
                    for (int i = 0; i < d; i++) {
                        float vr = v[so + 2 * i], vi = v[so + 2 * i + 1];
                        ws[r + 2 * i] = Math.fma(kr, vr, -(ki * vi));
                        ws[r + 2 * i + 1] = Math.fma(kr, vi, ki * vr);
                    }
                }
            }
        }
    }

    /** out_ti = sum_c q_tc C[c][i] M_t[c][i] (complex: conj(q_tc), complex M). */
    public static void contract(PositionalAttentionSpec sp, float[] q, int base, float[] ws, float[] out) {
        int T = sp.seqLen(), d = sp.d(), w = sp.tokenWidth(), ld = sp.outerLd(), cOff = sp.couplingOffset();
        for (int t = 0; t < T; t++) {
            int to = base + t * w, m = sp.mOffset() + t * ld;
            if (!sp.complex()) {
                for (int c = 0; c < d; c++) {
                    float qc = q[to + c];
                    int r = c * d;
                    for (int i = 0; i < d; i++) out[to + i] = Math.fma(qc * ws[cOff + r + i], ws[m + r + i], out[to + i]);
                }
            } else {
                for (int c = 0; c < d; c++) {
                    float qr = q[to + 2 * c], qi = q[to + 2 * c + 1];
                    int r = 2 * c * d;
                    for (int i = 0; i < d; i++) {
                        float cci = ws[cOff + c * d + i], mr = ws[m + r + 2 * i], mi = ws[m + r + 2 * i + 1];
                        out[to + 2 * i] = Math.fma(cci, Math.fma(qr, mr, qi * mi), out[to + 2 * i]);
                        out[to + 2 * i + 1] = Math.fma(cci, Math.fma(qr, mi, -(qi * mr)), out[to + 2 * i + 1]);
                    }
                }
            }
        }
    }

    /**
     * Per row t: dM_t = C o (q_t dOut_t^T), dC += q_t dOut_t^T o M_t, dq_tc = sum_i C[c][i] dOut_ti M_t[c][i]
     * (complex: dM = C q G, dC += Re(conj(q G) M), dq = C conj(G) M with G = dOut_t).
     */
    public static void rowGrads(PositionalAttentionSpec sp, float[] q, float[] dOut, int base, float[] ws, float[] dq) {
        int T = sp.seqLen(), d = sp.d(), w = sp.tokenWidth(), ld = sp.outerLd();
        int cOff = sp.couplingOffset(), dc = sp.couplingGradOffset();
        for (int t = 0; t < T; t++) {
            int to = base + t * w, m = sp.mOffset() + t * ld, dm = sp.dmOffset() + t * ld;
            if (!sp.complex()) {
                if (dq == null) {
                    rowGradsNoInput(d, q, dOut, to, ws, cOff, dc, m, dm);
                    continue;
                }
                for (int c = 0; c < d; c++) {
                    float qc = q[to + c], dqc = 0f;
                    int r = c * d;
                    for (int i = 0; i < d; i++) {
                        float cci = ws[cOff + r + i], g = dOut[to + i], z = g * ws[m + r + i];
                        dqc = Math.fma(cci, z, dqc);
                        ws[dc + r + i] = Math.fma(qc, z, ws[dc + r + i]);
                        ws[dm + r + i] = qc * g * cci;
                    }
                    if (dq != null) dq[to + c] = dqc;
                }
            } else {
                if (dq == null) {
                    rowGradsNoInputComplex(d, q, dOut, to, ws, cOff, dc, m, dm);
                    continue;
                }
                for (int c = 0; c < d; c++) {
                    float qr = q[to + 2 * c], qi = q[to + 2 * c + 1], dqr = 0f, dqi = 0f;
                    int r = 2 * c * d;
                    for (int i = 0; i < d; i++) {
                        float cci = ws[cOff + c * d + i], gr = dOut[to + 2 * i], gi = dOut[to + 2 * i + 1];
                        float mr = ws[m + r + 2 * i], mi = ws[m + r + 2 * i + 1];
                        float gqr = Math.fma(gr, qr, -(gi * qi)), gqi = Math.fma(gr, qi, gi * qr);
                        ws[dc + c * d + i] += Math.fma(gqr, mr, gqi * mi);
                        dqr = Math.fma(cci, Math.fma(gr, mr, gi * mi), dqr);
                        dqi = Math.fma(cci, Math.fma(gr, mi, -(gi * mr)), dqi);
                        ws[dm + r + 2 * i] = cci * gqr;
                        ws[dm + r + 2 * i + 1] = cci * gqi;
                    }
                    if (dq != null) {
                        dq[to + 2 * c] = dqr;
                        dq[to + 2 * c + 1] = dqi;
                    }
                }
            }
        }
    }

    /**
     * One real row of {@link #rowGrads} without dq (the caller asked for no input gradients): the
     * same operations in the same order for dM and dC, so the bits equal the full loop's, minus the
     * dq chain (a third of the work) that would be thrown away.
     */
    private static void rowGradsNoInput(int d, float[] q, float[] dOut, int to, float[] ws, int cOff, int dc, int m, int dm) {
        for (int c = 0; c < d; c++) {
            float qc = q[to + c];
            int r = c * d;
            for (int i = 0; i < d; i++) {
                float cci = ws[cOff + r + i], g = dOut[to + i], z = g * ws[m + r + i];
                ws[dc + r + i] = Math.fma(qc, z, ws[dc + r + i]);
                ws[dm + r + i] = qc * g * cci;
            }
        }
    }

    /** One complex row of {@link #rowGrads} without dq (same operations and bits for dM, dC; see the real one). */
    private static void rowGradsNoInputComplex(int d, float[] q, float[] dOut, int to, float[] ws, int cOff, int dc, int m, int dm) {
        for (int c = 0; c < d; c++) {
            float qr = q[to + 2 * c], qi = q[to + 2 * c + 1];
            int r = 2 * c * d;
            for (int i = 0; i < d; i++) {
                float cci = ws[cOff + c * d + i], gr = dOut[to + 2 * i], gi = dOut[to + 2 * i + 1];
                float mr = ws[m + r + 2 * i], mi = ws[m + r + 2 * i + 1];
                float gqr = Math.fma(gr, qr, -(gi * qi)), gqi = Math.fma(gr, qi, gi * qr);
                ws[dc + c * d + i] += Math.fma(gqr, mr, gqi * mi);
                ws[dm + r + 2 * i] = cci * gqr;
                ws[dm + r + 2 * i + 1] = cci * gqi;
            }
        }
    }

    /** dk_sc = sum_i dKV_s[c][i] v_si, dv_si = sum_c dKV_s[c][i] k_sc (complex: conj(v), conj(k)). */
    static void keyGrads(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws, float[] dk, float[] dv) {
        int T = sp.seqLen(), d = sp.d(), w = sp.tokenWidth(), ld = sp.outerLd();
        for (int s = 0; s < T; s++) {
            int so = base + s * w, g = sp.dkvOffset() + s * ld;
            if (!sp.complex()) {
                for (int c = 0; c < d; c++) {
                    float kc = k[so + c], acc = 0f;
                    int r = g + c * d;
                    for (int i = 0; i < d; i++) {
                        float x = ws[r + i];
                        acc = Math.fma(x, v[so + i], acc);
                        dv[so + i] = Math.fma(x, kc, dv[so + i]);
                    }
                    dk[so + c] = acc;
                }
            } else {
                for (int c = 0; c < d; c++) {
                    float kr = k[so + 2 * c], ki = k[so + 2 * c + 1], accr = 0f, acci = 0f;
                    int r = g + 2 * c * d;
                    for (int i = 0; i < d; i++) {
                        float xr = ws[r + 2 * i], xi = ws[r + 2 * i + 1], vr = v[so + 2 * i], vi = v[so + 2 * i + 1];
                        accr = Math.fma(vr, xr, Math.fma(vi, xi, accr));
                        acci = Math.fma(vr, xi, Math.fma(-vi, xr, acci));
                        dv[so + 2 * i] = Math.fma(kr, xr, Math.fma(ki, xi, dv[so + 2 * i]));
                        dv[so + 2 * i + 1] = Math.fma(kr, xi, Math.fma(-ki, xr, dv[so + 2 * i + 1]));
                    }
                    dk[so + 2 * c] = accr;
                    dk[so + 2 * c + 1] = acci;
                }
            }
        }
    }
}
