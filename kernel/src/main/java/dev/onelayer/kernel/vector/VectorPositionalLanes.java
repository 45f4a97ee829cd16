package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.kernel.PositionalOuter;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Form 3 through the outer products ({@link PositionalOuter}, Sander et al. 2024, icar.md 2(b))
 * with the lanes across sequences: a group of L sequences shares every vector, lane b holding
 * sequence b of the group.
 *
 * <p>Why: with the lanes along one sequence's outer-product row, the per-row d x d loops (KV_s =
 * k_s v_s^T, the contraction {@code out_ti = sum_c q_tc C[c][i] M_t[c][i]}, and the gradient pieces
 * dM, dC, dq) run on rows of d = 5..10 floats, too short for the lanes, and a row of d^2 = 25 floats
 * pads to 32. Across sequences every one of those loops is a plain lane-wise product, and the band
 * products ({@code M_t = sum_s P[t,s] KV_s}, {@code dKV_s = sum_t P[t,s] dM_t}) run on rows of
 * d^2 L floats with no padding. For real data {@code dP[t,s] = sum_b <dM_t, KV_s>_b} becomes, per lane, an FMA
 * chain over the outer-product index that carries on from group to group in batch order, in a
 * [T][T][L] accumulator (as dC in an [outer][L] one); the lanes are summed once at the end in a fixed
 * pairwise order ({@link Lanes#sum}). Lanes past the batch in the last group hold zero tokens and
 * add zeros. The chunking (groups of L in batch order) depends on the batch only, so a call gives the
 * same bits however its caller splits the work across threads.
 *
 * <p>Complex data (tokens [T][2d][L] and outer-product rows [T][2 d^2][L], re and im as separate
 * vectors): every lane runs the scalar loops' operations, and dP and dC are the scalar
 * implementation's running sums over the sequences in batch order ({@link #sequenceOrderSums}), so
 * every output is the scalar implementation's bits, as the complex vector path has always given
 * (the property tests assert it). Real data uses the faster per-lane sums above.
 *
 * <p>Row t of the band products never reads a key past {@code t + shift}, not even with weight 0 (a
 * masked token may be NaN); {@link #dots} computes some pairs past the band inside a 4 x 4 tile and
 * never reads them.
 */
final class VectorPositionalLanes implements PositionalOuter.Batched {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    /** Whether the lane count fits the workspace layout ({@link PositionalAttentionSpec#LANE_GROUP}). */
    static final boolean SUPPORTED = L <= PositionalAttentionSpec.LANE_GROUP && PositionalAttentionSpec.ROW_ALIGN % L == 0;

    static final VectorPositionalLanes INSTANCE = new VectorPositionalLanes();

    private VectorPositionalLanes() {
    }

    /** Offsets of the lane layout (see {@link PositionalAttentionSpec#workspaceFloats}). */
    private static final class Layout {
        final int T, d, w, n, tok, row;
        final boolean complex;
        final int qT, kT, vT, gT, oT, dkT, dvT, kv, m, dm, dkv, dP, dC;

        Layout(PositionalAttentionSpec sp, int off) {
            T = sp.seqLen();
            d = sp.d();
            w = sp.tokenWidth();
            n = sp.outerFloats();
            complex = sp.complex();
            tok = T * w * L;
            row = n * L;
            qT = off;
            kT = qT + tok;
            vT = kT + tok;
            gT = vT + tok;
            oT = gT + tok;
            dkT = oT + tok;
            dvT = dkT + tok;
            kv = dvT + tok;
            m = kv + T * row;
            dm = m + 4 * row;
            dkv = dm + T * row;
            dP = dkv + T * row;
            dC = dP + T * T * L;
        }
    }

    @Override
    public void forward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v, float[] out, float[] ws,
                        int cOff, int laneOff) {
        Layout w = new Layout(sp, laneOff);
        for (int g0 = 0; g0 < sp.batch(); g0 += L) {
            int cnt = Math.min(L, sp.batch() - g0);
            int qT = in(q, g0, cnt, w, ws, w.qT);
            int kT = k == q ? qT : in(k, g0, cnt, w, ws, w.kT);
            int vT = v == q ? qT : v == k ? kT : in(v, g0, cnt, w, ws, w.vT);
            outer(w, ws, kT, vT);
            // Block by block, so that the rows of M stay in L1 between the band product and the contraction.
            for (int t = 0, nb; t < w.T; t += nb) {
                nb = block(w.T, t);
                rowBlock(sp, p, ws, w.kv, w.m, w.row, t, nb);
                if (w.complex) contractComplex(w, ws, qT, cOff, t, nb);
                else contract(w, ws, qT, cOff, t, nb);
            }
            out(ws, w.oT, g0, cnt, w, out);
        }
    }

    @Override
    public void backward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v, float[] dOut, float[] dP,
                         float[] dq, float[] dk, float[] dv, float[] ws, int cOff, int dcOff, int laneOff) {
        Layout w = new Layout(sp, laneOff);
        int T = w.T;
        boolean inputs = dq != null;
        Arrays.fill(ws, w.dP, w.dC + w.n * L, 0f);
        for (int g0 = 0; g0 < sp.batch(); g0 += L) {
            int cnt = Math.min(L, sp.batch() - g0);
            int qT = in(q, g0, cnt, w, ws, w.qT);
            int kT = k == q ? qT : in(k, g0, cnt, w, ws, w.kT);
            int vT = v == q ? qT : v == k ? kT : in(v, g0, cnt, w, ws, w.vT);
            int gT = in(dOut, g0, cnt, w, ws, w.gT);
            outer(w, ws, kT, vT);
            if (w.complex) Arrays.fill(ws, w.dP, w.dP + T * T * L, 0f);
            // Block by block: the rows of M and dM stay in L1 from the band product to dP.
            for (int t = 0, nb; t < T; t += nb) {
                nb = block(T, t);
                rowBlock(sp, p, ws, w.kv, w.m, w.row, t, nb);
                if (w.complex) rowGradsComplex(w, ws, qT, gT, cOff, inputs, t, nb);
                else rowGrads(w, ws, qT, gT, cOff, inputs, t, nb);
                dots(sp, w, ws, t, nb);
            }
            if (w.complex) sequenceOrderSums(sp, w, ws, cnt, dP, dcOff);
            if (inputs) {
                VectorPositionalBands.cols(sp, p, ws, w.dm, w.dkv, w.row);
                keyGrads(w, ws, kT, vT);
                out(ws, w.oT, g0, cnt, w, dq);
                out(ws, w.dkT, g0, cnt, w, dk);
                out(ws, w.dvT, g0, cnt, w, dv);
            }
        }
        if (w.complex) return;
        for (int t = 0; t < T; t++) {
            for (int s = 0; s <= sp.last(t); s++) dP[t * T + s] += Lanes.sum(FloatVector.fromArray(F, ws, w.dP + (t * T + s) * L));
        }
        for (int j = 0; j < w.n; j++) ws[dcOff + j] += Lanes.sum(FloatVector.fromArray(F, ws, w.dC + j * L));
    }

    /**
     * Complex data, the scalar implementation's sums: dP[t,s] and dC[c][i] are running sums over the
     * sequences in batch order (and over t within a sequence for dC), each term the lane's own value
     * (dP: the lane's FMA chain over the outer-product index from 0, as the scalar dot; dC: the
     * scalar loop's term, kept per row t in the dKV rows by {@link #rowGradsComplex}). So every output
     * is the scalar implementation's bits, as for the sequence-by-sequence vector path.
     */
    private static void sequenceOrderSums(PositionalAttentionSpec sp, Layout w, float[] ws, int cnt, float[] dP, int dcOff) {
        int T = w.T, dd = w.d * w.d;
        for (int t = 0; t < T; t++) {
            for (int s = 0; s <= sp.last(t); s++) {
                int a = w.dP + (t * T + s) * L;
                float x = dP[t * T + s];
                for (int b = 0; b < cnt; b++) x += ws[a + b];
                dP[t * T + s] = x;
            }
        }
        for (int b = 0; b < cnt; b++) {
            for (int t = 0; t < T; t++) {
                for (int j = 0, e = w.dkv + t * dd * L + b; j < dd; j++, e += L) ws[dcOff + j] += ws[e];
            }
        }
    }

    /** Tokens of sequences g0..g0+cnt-1 to [T][d][L] at {@code dst} (lanes past cnt zero); returns dst. */
    private static int in(float[] x, int g0, int cnt, Layout w, float[] ws, int dst) {
        int td = w.T * w.w;
        if (cnt < L) Arrays.fill(ws, dst, dst + w.tok, 0f);
        int b = 0;
        // Four sequences at a time: four adjacent stores per coordinate (one cache line).
        for (; b + 4 <= cnt; b += 4) {
            int s0 = (g0 + b) * td, s1 = s0 + td, s2 = s1 + td, s3 = s2 + td;
            for (int j = 0, o = dst + b; j < td; j++, o += L) {
                ws[o] = x[s0 + j];
                ws[o + 1] = x[s1 + j];
                ws[o + 2] = x[s2 + j];
                ws[o + 3] = x[s3 + j];
            }
        }
        for (; b < cnt; b++) {
            int src = (g0 + b) * td;
            for (int j = 0, o = dst + b; j < td; j++, o += L) ws[o] = x[src + j];
        }
        return dst;
    }

    /** Writes [T][d][L] at {@code src} to the tokens of sequences g0..g0+cnt-1. */
    private static void out(float[] ws, int src, int g0, int cnt, Layout w, float[] y) {
        int td = w.T * w.w;
        int b = 0;
        for (; b + 4 <= cnt; b += 4) {
            int d0 = (g0 + b) * td, d1 = d0 + td, d2 = d1 + td, d3 = d2 + td;
            for (int j = 0, o = src + b; j < td; j++, o += L) {
                y[d0 + j] = ws[o];
                y[d1 + j] = ws[o + 1];
                y[d2 + j] = ws[o + 2];
                y[d3 + j] = ws[o + 3];
            }
        }
        for (; b < cnt; b++) {
            int dst = (g0 + b) * td;
            for (int j = 0, o = src + b; j < td; j++, o += L) y[dst + j] = ws[o];
        }
    }

    /** KV_s[c][i] = k_sc v_si, lane-wise. */
    private static void outer(Layout w, float[] ws, int kT, int vT) {
        int d = w.d;
        if (w.complex) {
            outerComplex(w, ws, kT, vT);
            return;
        }
        for (int s = 0; s < w.T; s++) {
            int ks = kT + s * d * L, vs = vT + s * d * L, o = w.kv + s * w.row;
            for (int c = 0; c < d; c++) {
                FloatVector kc = FloatVector.fromArray(F, ws, ks + c * L);
                for (int i = 0; i < d; i++, o += L) kc.mul(FloatVector.fromArray(F, ws, vs + i * L)).intoArray(ws, o);
            }
        }
    }

    /**
     * {@code Y_t = sum_{s <= last(t)} P[t,s] X_s} for the rows t0..t0+cnt-1 (cnt 1 or 4) of X's
     * band, X's rows {@code ld} floats apart (a multiple of L), into cnt rows at y ({@code ld}
     * apart); each entry an FMA chain over s in order (as {@link VectorPositionalBands#rows}).
     * Four rows by four vectors: each step loads four vectors of X and four weights for sixteen FMAs.
     * Consecutive rows' bands end at most one key apart, so a block's ragged edge is up to three
     * single steps for part of its rows.
     */
    static void rowBlock(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int y, int ld, int t0, int cnt) {
        int T = sp.seqLen(), j = 0;
        if (cnt == 4) {
            int h0 = sp.last(t0), h1 = sp.last(t0 + 1), h2 = sp.last(t0 + 2), h3 = sp.last(t0 + 3);
            for (; j + 4 * L <= ld; j += 4 * L) rowBlock4x4(p, ws, xOff + j, y + j, ld, T, t0 * T, h0, h1, h2, h3);
            for (; j < ld; j += L) rowBlock4x1(p, ws, xOff + j, y + j, ld, T, t0 * T, h0, h1, h2, h3);
            return;
        }
        int h = sp.last(t0), pr = t0 * T;
        for (; j + 4 * L <= ld; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int s = 0, x = xOff + j; s <= h; s++, x += ld) {
                FloatVector g = FloatVector.broadcast(F, p[pr + s]);
                a0 = FloatVector.fromArray(F, ws, x).fma(g, a0);
                a1 = FloatVector.fromArray(F, ws, x + L).fma(g, a1);
                a2 = FloatVector.fromArray(F, ws, x + 2 * L).fma(g, a2);
                a3 = FloatVector.fromArray(F, ws, x + 3 * L).fma(g, a3);
            }
            a0.intoArray(ws, y + j);
            a1.intoArray(ws, y + j + L);
            a2.intoArray(ws, y + j + 2 * L);
            a3.intoArray(ws, y + j + 3 * L);
        }
        for (; j < ld; j += L) {
            FloatVector a0 = FloatVector.zero(F);
            for (int s = 0, x = xOff + j; s <= h; s++, x += ld) a0 = FloatVector.fromArray(F, ws, x).fma(FloatVector.broadcast(F, p[pr + s]), a0);
            a0.intoArray(ws, y + j);
        }
    }

    /**
     * Rows of a sequence group in blocks: the T mod 4 first rows (whose bands are the shortest) one
     * by one, then blocks of four. Returns the size of the block starting at t.
     */
    private static int block(int T, int t) {
        return t < T % 4 ? 1 : 4;
    }

    /** Four rows (weights from row p0 of P on) by four vectors from x (rows ld apart) into y. */
    private static void rowBlock4x4(float[] p, float[] ws, int x0, int y, int ld, int T, int p0,
                                    int h0, int h1, int h2, int h3) {
        int p1 = p0 + T, p2 = p1 + T, p3 = p2 + T;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        for (int s = 0, x = x0; s <= h0; s++, x += ld) {
            FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
            FloatVector xc = FloatVector.fromArray(F, ws, x + 2 * L), xe = FloatVector.fromArray(F, ws, x + 3 * L);
            FloatVector g = FloatVector.broadcast(F, p[p0 + s]);
            a0 = xa.fma(g, a0);
            b0 = xb.fma(g, b0);
            c0 = xc.fma(g, c0);
            e0 = xe.fma(g, e0);
            g = FloatVector.broadcast(F, p[p1 + s]);
            a1 = xa.fma(g, a1);
            b1 = xb.fma(g, b1);
            c1 = xc.fma(g, c1);
            e1 = xe.fma(g, e1);
            g = FloatVector.broadcast(F, p[p2 + s]);
            a2 = xa.fma(g, a2);
            b2 = xb.fma(g, b2);
            c2 = xc.fma(g, c2);
            e2 = xe.fma(g, e2);
            g = FloatVector.broadcast(F, p[p3 + s]);
            a3 = xa.fma(g, a3);
            b3 = xb.fma(g, b3);
            c3 = xc.fma(g, c3);
            e3 = xe.fma(g, e3);
        }
        if (h1 > h0) {
            int x = x0 + h1 * ld;
            FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
            FloatVector xc = FloatVector.fromArray(F, ws, x + 2 * L), xe = FloatVector.fromArray(F, ws, x + 3 * L);
            FloatVector g = FloatVector.broadcast(F, p[p1 + h1]);
            a1 = xa.fma(g, a1);
            b1 = xb.fma(g, b1);
            c1 = xc.fma(g, c1);
            e1 = xe.fma(g, e1);
            g = FloatVector.broadcast(F, p[p2 + h1]);
            a2 = xa.fma(g, a2);
            b2 = xb.fma(g, b2);
            c2 = xc.fma(g, c2);
            e2 = xe.fma(g, e2);
            g = FloatVector.broadcast(F, p[p3 + h1]);
            a3 = xa.fma(g, a3);
            b3 = xb.fma(g, b3);
            c3 = xc.fma(g, c3);
            e3 = xe.fma(g, e3);
        }
        if (h2 > h1) {
            int x = x0 + h2 * ld;
            FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
            FloatVector xc = FloatVector.fromArray(F, ws, x + 2 * L), xe = FloatVector.fromArray(F, ws, x + 3 * L);
            FloatVector g = FloatVector.broadcast(F, p[p2 + h2]);
            a2 = xa.fma(g, a2);
            b2 = xb.fma(g, b2);
            c2 = xc.fma(g, c2);
            e2 = xe.fma(g, e2);
            g = FloatVector.broadcast(F, p[p3 + h2]);
            a3 = xa.fma(g, a3);
            b3 = xb.fma(g, b3);
            c3 = xc.fma(g, c3);
            e3 = xe.fma(g, e3);
        }
        if (h3 > h2) {
            int x = x0 + h3 * ld;
            FloatVector g = FloatVector.broadcast(F, p[p3 + h3]);
            a3 = FloatVector.fromArray(F, ws, x).fma(g, a3);
            b3 = FloatVector.fromArray(F, ws, x + L).fma(g, b3);
            c3 = FloatVector.fromArray(F, ws, x + 2 * L).fma(g, c3);
            e3 = FloatVector.fromArray(F, ws, x + 3 * L).fma(g, e3);
        }
        a0.intoArray(ws, y);
        b0.intoArray(ws, y + L);
        c0.intoArray(ws, y + 2 * L);
        e0.intoArray(ws, y + 3 * L);
        a1.intoArray(ws, y + ld);
        b1.intoArray(ws, y + ld + L);
        c1.intoArray(ws, y + ld + 2 * L);
        e1.intoArray(ws, y + ld + 3 * L);
        a2.intoArray(ws, y + 2 * ld);
        b2.intoArray(ws, y + 2 * ld + L);
        c2.intoArray(ws, y + 2 * ld + 2 * L);
        e2.intoArray(ws, y + 2 * ld + 3 * L);
        a3.intoArray(ws, y + 3 * ld);
        b3.intoArray(ws, y + 3 * ld + L);
        c3.intoArray(ws, y + 3 * ld + 2 * L);
        e3.intoArray(ws, y + 3 * ld + 3 * L);
    }

    /** Four rows by one vector (the last {@code ld mod 4L} floats of a block of rows). */
    private static void rowBlock4x1(float[] p, float[] ws, int x0, int y, int ld, int T, int p0,
                                    int h0, int h1, int h2, int h3) {
        int p1 = p0 + T, p2 = p1 + T, p3 = p2 + T;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int s = 0, x = x0; s <= h0; s++, x += ld) {
            FloatVector xa = FloatVector.fromArray(F, ws, x);
            a0 = xa.fma(FloatVector.broadcast(F, p[p0 + s]), a0);
            a1 = xa.fma(FloatVector.broadcast(F, p[p1 + s]), a1);
            a2 = xa.fma(FloatVector.broadcast(F, p[p2 + s]), a2);
            a3 = xa.fma(FloatVector.broadcast(F, p[p3 + s]), a3);
        }
        if (h1 > h0) {
            FloatVector xa = FloatVector.fromArray(F, ws, x0 + h1 * ld);
            a1 = xa.fma(FloatVector.broadcast(F, p[p1 + h1]), a1);
            a2 = xa.fma(FloatVector.broadcast(F, p[p2 + h1]), a2);
            a3 = xa.fma(FloatVector.broadcast(F, p[p3 + h1]), a3);
        }
        if (h2 > h1) {
            FloatVector xa = FloatVector.fromArray(F, ws, x0 + h2 * ld);
            a2 = xa.fma(FloatVector.broadcast(F, p[p2 + h2]), a2);
            a3 = xa.fma(FloatVector.broadcast(F, p[p3 + h2]), a3);
        }
        if (h3 > h2) a3 = FloatVector.fromArray(F, ws, x0 + h3 * ld).fma(FloatVector.broadcast(F, p[p3 + h3]), a3);
        a0.intoArray(ws, y);
        a1.intoArray(ws, y + ld);
        a2.intoArray(ws, y + 2 * ld);
        a3.intoArray(ws, y + 3 * ld);
    }

    /**
     * out_ti = sum_c (q_tc C[c][i]) M_t[c][i], an FMA chain over c in order, into [T][d][L] at oT,
     * for rows t0..t0+cnt-1 (their M in the block's rows at {@code w.m}).
     */
    private static void contract(Layout w, float[] ws, int qT, int cOff, int t0, int cnt) {
        int d = w.d;
        for (int t = t0; t < t0 + cnt; t++) {
            int qt = qT + t * d * L, mt = w.m + (t - t0) * w.row, o = w.oT + t * d * L;
            for (int i = 0; i < d; i++) {
                FloatVector acc = FloatVector.zero(F);
                for (int c = 0; c < d; c++) {
                    FloatVector qc = FloatVector.fromArray(F, ws, qt + c * L).mul(ws[cOff + c * d + i]);
                    acc = qc.fma(FloatVector.fromArray(F, ws, mt + (c * d + i) * L), acc);
                }
                acc.intoArray(ws, o + i * L);
            }
        }
    }

    /**
     * Per row t of t0..t0+cnt-1 (M in the block's rows at {@code w.m}): dM_t = (q_t dOut_t^T) o C,
     * dC += q_t o (dOut_t o M_t) (per lane, chained over t and groups), and when asked
     * dq_tc = sum_i C[c][i] dOut_ti M_t[c][i] into [T][d][L] at oT.
     */
    private static void rowGrads(Layout w, float[] ws, int qT, int gT, int cOff, boolean inputs, int t0, int cnt) {
        int d = w.d;
        for (int t = t0; t < t0 + cnt; t++) {
            int qt = qT + t * d * L, gt = gT + t * d * L, mt = w.m + (t - t0) * w.row, dmt = w.dm + t * w.row;
            for (int c = 0; c < d; c++) {
                FloatVector qc = FloatVector.fromArray(F, ws, qt + c * L), dqc = FloatVector.zero(F);
                for (int i = 0; i < d; i++) {
                    int j = (c * d + i) * L, dc = w.dC + j;
                    float cci = ws[cOff + c * d + i];
                    FloatVector g = FloatVector.fromArray(F, ws, gt + i * L);
                    FloatVector z = g.mul(FloatVector.fromArray(F, ws, mt + j));
                    qc.fma(z, FloatVector.fromArray(F, ws, dc)).intoArray(ws, dc);
                    qc.mul(g).mul(cci).intoArray(ws, dmt + j);
                    if (inputs) dqc = FloatVector.broadcast(F, cci).fma(z, dqc);
                }
                if (inputs) dqc.intoArray(ws, w.oT + (t * d + c) * L);
            }
        }
    }

    /**
     * Per lane, dP[t][s] += <dM_t, KV_s> for the attended pairs of rows t..t+cnt-1 (cnt 1 or 4), an
     * FMA chain over the outer-product index continuing the accumulator. Tiles of 4 x 4 pairs: each
     * loaded vector feeds four FMAs.
     */
    private static void dots(PositionalAttentionSpec sp, Layout w, float[] ws, int t, int cnt) {
        int T = w.T, n = w.n, row = w.row;
        if (cnt == 4) {
            int keys = sp.last(t + 3) + 1, s = 0;
            for (; s + 4 <= keys; s += 4) tile4x4(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n, T);
            for (; s < keys; s++) tile4x1(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n, T);
            return;
        }
        int keys = sp.last(t) + 1, s = 0;
        for (; s + 4 <= keys; s += 4) tile1x4(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n);
        for (; s < keys; s++) tile1x1(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n);
    }

    /** Rows x..x+3 (dM, {@code n L} apart) against keys y..y+3; accumulators [t][s][L] at acc, rows T L apart. */
    private static void tile4x4(float[] ws, int x, int y, int acc, int n, int T) {
        int row = n * L, ar = T * L;
        FloatVector a00 = FloatVector.fromArray(F, ws, acc), a01 = FloatVector.fromArray(F, ws, acc + L);
        FloatVector a02 = FloatVector.fromArray(F, ws, acc + 2 * L), a03 = FloatVector.fromArray(F, ws, acc + 3 * L);
        FloatVector a10 = FloatVector.fromArray(F, ws, acc + ar), a11 = FloatVector.fromArray(F, ws, acc + ar + L);
        FloatVector a12 = FloatVector.fromArray(F, ws, acc + ar + 2 * L), a13 = FloatVector.fromArray(F, ws, acc + ar + 3 * L);
        FloatVector a20 = FloatVector.fromArray(F, ws, acc + 2 * ar), a21 = FloatVector.fromArray(F, ws, acc + 2 * ar + L);
        FloatVector a22 = FloatVector.fromArray(F, ws, acc + 2 * ar + 2 * L), a23 = FloatVector.fromArray(F, ws, acc + 2 * ar + 3 * L);
        FloatVector a30 = FloatVector.fromArray(F, ws, acc + 3 * ar), a31 = FloatVector.fromArray(F, ws, acc + 3 * ar + L);
        FloatVector a32 = FloatVector.fromArray(F, ws, acc + 3 * ar + 2 * L), a33 = FloatVector.fromArray(F, ws, acc + 3 * ar + 3 * L);
        for (int j = 0; j < row; j += L) {
            FloatVector x0 = FloatVector.fromArray(F, ws, x + j), x1 = FloatVector.fromArray(F, ws, x + row + j);
            FloatVector x2 = FloatVector.fromArray(F, ws, x + 2 * row + j), x3 = FloatVector.fromArray(F, ws, x + 3 * row + j);
            FloatVector y0 = FloatVector.fromArray(F, ws, y + j);
            a00 = x0.fma(y0, a00);
            a10 = x1.fma(y0, a10);
            a20 = x2.fma(y0, a20);
            a30 = x3.fma(y0, a30);
            FloatVector y1 = FloatVector.fromArray(F, ws, y + row + j);
            a01 = x0.fma(y1, a01);
            a11 = x1.fma(y1, a11);
            a21 = x2.fma(y1, a21);
            a31 = x3.fma(y1, a31);
            FloatVector y2 = FloatVector.fromArray(F, ws, y + 2 * row + j);
            a02 = x0.fma(y2, a02);
            a12 = x1.fma(y2, a12);
            a22 = x2.fma(y2, a22);
            a32 = x3.fma(y2, a32);
            FloatVector y3 = FloatVector.fromArray(F, ws, y + 3 * row + j);
            a03 = x0.fma(y3, a03);
            a13 = x1.fma(y3, a13);
            a23 = x2.fma(y3, a23);
            a33 = x3.fma(y3, a33);
        }
        a00.intoArray(ws, acc);
        a01.intoArray(ws, acc + L);
        a02.intoArray(ws, acc + 2 * L);
        a03.intoArray(ws, acc + 3 * L);
        a10.intoArray(ws, acc + ar);
        a11.intoArray(ws, acc + ar + L);
        a12.intoArray(ws, acc + ar + 2 * L);
        a13.intoArray(ws, acc + ar + 3 * L);
        a20.intoArray(ws, acc + 2 * ar);
        a21.intoArray(ws, acc + 2 * ar + L);
        a22.intoArray(ws, acc + 2 * ar + 2 * L);
        a23.intoArray(ws, acc + 2 * ar + 3 * L);
        a30.intoArray(ws, acc + 3 * ar);
        a31.intoArray(ws, acc + 3 * ar + L);
        a32.intoArray(ws, acc + 3 * ar + 2 * L);
        a33.intoArray(ws, acc + 3 * ar + 3 * L);
    }

    /** Rows x..x+3 against key y. */
    private static void tile4x1(float[] ws, int x, int y, int acc, int n, int T) {
        int row = n * L, ar = T * L;
        FloatVector a0 = FloatVector.fromArray(F, ws, acc), a1 = FloatVector.fromArray(F, ws, acc + ar);
        FloatVector a2 = FloatVector.fromArray(F, ws, acc + 2 * ar), a3 = FloatVector.fromArray(F, ws, acc + 3 * ar);
        for (int j = 0; j < row; j += L) {
            FloatVector y0 = FloatVector.fromArray(F, ws, y + j);
            a0 = FloatVector.fromArray(F, ws, x + j).fma(y0, a0);
            a1 = FloatVector.fromArray(F, ws, x + row + j).fma(y0, a1);
            a2 = FloatVector.fromArray(F, ws, x + 2 * row + j).fma(y0, a2);
            a3 = FloatVector.fromArray(F, ws, x + 3 * row + j).fma(y0, a3);
        }
        a0.intoArray(ws, acc);
        a1.intoArray(ws, acc + ar);
        a2.intoArray(ws, acc + 2 * ar);
        a3.intoArray(ws, acc + 3 * ar);
    }

    /** Row x against keys y..y+3. */
    private static void tile1x4(float[] ws, int x, int y, int acc, int n) {
        int row = n * L;
        FloatVector a0 = FloatVector.fromArray(F, ws, acc), a1 = FloatVector.fromArray(F, ws, acc + L);
        FloatVector a2 = FloatVector.fromArray(F, ws, acc + 2 * L), a3 = FloatVector.fromArray(F, ws, acc + 3 * L);
        for (int j = 0; j < row; j += L) {
            FloatVector x0 = FloatVector.fromArray(F, ws, x + j);
            a0 = x0.fma(FloatVector.fromArray(F, ws, y + j), a0);
            a1 = x0.fma(FloatVector.fromArray(F, ws, y + row + j), a1);
            a2 = x0.fma(FloatVector.fromArray(F, ws, y + 2 * row + j), a2);
            a3 = x0.fma(FloatVector.fromArray(F, ws, y + 3 * row + j), a3);
        }
        a0.intoArray(ws, acc);
        a1.intoArray(ws, acc + L);
        a2.intoArray(ws, acc + 2 * L);
        a3.intoArray(ws, acc + 3 * L);
    }

    /** Row x against key y. */
    private static void tile1x1(float[] ws, int x, int y, int acc, int n) {
        int row = n * L;
        FloatVector a0 = FloatVector.fromArray(F, ws, acc);
        for (int j = 0; j < row; j += L) a0 = FloatVector.fromArray(F, ws, x + j).fma(FloatVector.fromArray(F, ws, y + j), a0);
        a0.intoArray(ws, acc);
    }

    /** dk_sc = sum_i dKV_s[c][i] v_si, dv_si = sum_c dKV_s[c][i] k_sc (chains in the scalar loop's order), into dkT, dvT. */
    private static void keyGrads(Layout w, float[] ws, int kT, int vT) {
        int d = w.d;
        Arrays.fill(ws, w.dvT, w.dvT + w.tok, 0f);
        if (w.complex) {
            keyGradsComplex(w, ws, kT, vT);
            return;
        }
        for (int s = 0; s < w.T; s++) {
            int ks = kT + s * d * L, vs = vT + s * d * L, g = w.dkv + s * w.row;
            int dks = w.dkT + s * d * L, dvs = w.dvT + s * d * L;
            for (int c = 0; c < d; c++) {
                FloatVector kc = FloatVector.fromArray(F, ws, ks + c * L), acc = FloatVector.zero(F);
                for (int i = 0; i < d; i++) {
                    FloatVector x = FloatVector.fromArray(F, ws, g + (c * d + i) * L);
                    acc = x.fma(FloatVector.fromArray(F, ws, vs + i * L), acc);
                    x.fma(kc, FloatVector.fromArray(F, ws, dvs + i * L)).intoArray(ws, dvs + i * L);
                }
                acc.intoArray(ws, dks + c * L);
            }
        }
    }

    // ---------------------------------------------------------------- complex data, lane for lane the scalar loops

    /** Complex KV_s[c][i] = k_sc v_si: {@code (fma(kr, vr, -(ki vi)), fma(kr, vi, ki vr))} per lane, as the scalar outer. */
    private static void outerComplex(Layout w, float[] ws, int kT, int vT) {
        int d = w.d, tw = w.w * L;
        for (int s = 0; s < w.T; s++) {
            int ks = kT + s * tw, vs = vT + s * tw, o = w.kv + s * w.row;
            for (int c = 0; c < d; c++) {
                FloatVector kr = FloatVector.fromArray(F, ws, ks + 2 * c * L), ki = FloatVector.fromArray(F, ws, ks + (2 * c + 1) * L);
                for (int i = 0; i < d; i++, o += 2 * L) {
                    FloatVector vr = FloatVector.fromArray(F, ws, vs + 2 * i * L), vi = FloatVector.fromArray(F, ws, vs + (2 * i + 1) * L);
                    kr.fma(vr, ki.mul(vi).neg()).intoArray(ws, o);
                    kr.fma(vi, ki.mul(vr)).intoArray(ws, o + L);
                }
            }
        }
    }

    /** Complex out_ti = sum_c C[c][i] conj(q_tc) M_t[c][i], the scalar contraction's FMA chains over c, per lane. */
    private static void contractComplex(Layout w, float[] ws, int qT, int cOff, int t0, int cnt) {
        int d = w.d, tw = w.w * L;
        for (int t = t0; t < t0 + cnt; t++) {
            int qt = qT + t * tw, mt = w.m + (t - t0) * w.row, o = w.oT + t * tw;
            for (int i = 0; i < d; i++) {
                FloatVector accR = FloatVector.zero(F), accI = accR;
                for (int c = 0; c < d; c++) {
                    FloatVector qr = FloatVector.fromArray(F, ws, qt + 2 * c * L), qi = FloatVector.fromArray(F, ws, qt + (2 * c + 1) * L);
                    int m = mt + 2 * (c * d + i) * L;
                    FloatVector mr = FloatVector.fromArray(F, ws, m), mi = FloatVector.fromArray(F, ws, m + L);
                    FloatVector cci = FloatVector.broadcast(F, ws[cOff + c * d + i]);
                    accR = cci.fma(qr.fma(mr, qi.mul(mi)), accR);
                    accI = cci.fma(qr.fma(mi, qi.mul(mr).neg()), accI);
                }
                accR.intoArray(ws, o + 2 * i * L);
                accI.intoArray(ws, o + (2 * i + 1) * L);
            }
        }
    }

    /**
     * Complex gradient pieces per row t of the block, per lane as the scalar loop: G = q_c dOut_i
     * ({@code gqr = fma(gr, qr, -(gi qi))}, {@code gqi = fma(gr, qi, gi qr)}), dM = C[c][i] G, the dC
     * term {@code fma(gqr, mr, gqi mi)} into row t of the dKV rows (summed in sequence order by
     * {@link #sequenceOrderSums}), and when asked dq_tc = sum_i C[c][i] conj(dOut_ti) M_t[c][i].
     */
    private static void rowGradsComplex(Layout w, float[] ws, int qT, int gT, int cOff, boolean inputs, int t0, int cnt) {
        int d = w.d, tw = w.w * L;
        for (int t = t0; t < t0 + cnt; t++) {
            int qt = qT + t * tw, gt = gT + t * tw, mt = w.m + (t - t0) * w.row, dmt = w.dm + t * w.row;
            int e = w.dkv + t * d * d * L;
            for (int c = 0; c < d; c++) {
                FloatVector qr = FloatVector.fromArray(F, ws, qt + 2 * c * L), qi = FloatVector.fromArray(F, ws, qt + (2 * c + 1) * L);
                FloatVector dqr = FloatVector.zero(F), dqi = dqr;
                for (int i = 0; i < d; i++) {
                    FloatVector gr = FloatVector.fromArray(F, ws, gt + 2 * i * L), gi = FloatVector.fromArray(F, ws, gt + (2 * i + 1) * L);
                    int m = 2 * (c * d + i) * L;
                    FloatVector mr = FloatVector.fromArray(F, ws, mt + m), mi = FloatVector.fromArray(F, ws, mt + m + L);
                    FloatVector cci = FloatVector.broadcast(F, ws[cOff + c * d + i]);
                    FloatVector gqr = gr.fma(qr, gi.mul(qi).neg()), gqi = gr.fma(qi, gi.mul(qr));
                    gqr.fma(mr, gqi.mul(mi)).intoArray(ws, e + (c * d + i) * L);
                    if (inputs) {
                        dqr = cci.fma(gr.fma(mr, gi.mul(mi)), dqr);
                        dqi = cci.fma(gr.fma(mi, gi.mul(mr).neg()), dqi);
                    }
                    cci.mul(gqr).intoArray(ws, dmt + m);
                    cci.mul(gqi).intoArray(ws, dmt + m + L);
                }
                if (inputs) {
                    dqr.intoArray(ws, w.oT + (t * w.w + 2 * c) * L);
                    dqi.intoArray(ws, w.oT + (t * w.w + 2 * c + 1) * L);
                }
            }
        }
    }

    /** Complex dk_sc = sum_i conj(v_si) dKV_s[c][i], dv_si = sum_c conj(k_sc) dKV_s[c][i]: the scalar loop's chains, per lane. */
    private static void keyGradsComplex(Layout w, float[] ws, int kT, int vT) {
        int d = w.d, tw = w.w * L;
        for (int s = 0; s < w.T; s++) {
            int ks = kT + s * tw, vs = vT + s * tw, g = w.dkv + s * w.row, dks = w.dkT + s * tw, dvs = w.dvT + s * tw;
            for (int c = 0; c < d; c++) {
                FloatVector kr = FloatVector.fromArray(F, ws, ks + 2 * c * L), ki = FloatVector.fromArray(F, ws, ks + (2 * c + 1) * L);
                FloatVector accr = FloatVector.zero(F), acci = accr;
                for (int i = 0; i < d; i++) {
                    int x = g + 2 * (c * d + i) * L, vo = dvs + 2 * i * L;
                    FloatVector xr = FloatVector.fromArray(F, ws, x), xi = FloatVector.fromArray(F, ws, x + L);
                    FloatVector vr = FloatVector.fromArray(F, ws, vs + 2 * i * L), vi = FloatVector.fromArray(F, ws, vs + (2 * i + 1) * L);
                    accr = vr.fma(xr, vi.fma(xi, accr));
                    acci = vr.fma(xi, vi.neg().fma(xr, acci));
                    kr.fma(xr, ki.fma(xi, FloatVector.fromArray(F, ws, vo))).intoArray(ws, vo);
                    kr.fma(xi, ki.neg().fma(xr, FloatVector.fromArray(F, ws, vo + L))).intoArray(ws, vo + L);
                }
                accr.intoArray(ws, dks + 2 * c * L);
                acci.intoArray(ws, dks + (2 * c + 1) * L);
            }
        }
    }
}
