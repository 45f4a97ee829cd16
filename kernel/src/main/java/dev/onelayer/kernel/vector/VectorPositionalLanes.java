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
 * implementation's running sums over the sequences in batch order ({@link ComplexLanes#sequenceOrderSums}), so
 * every output is the scalar implementation's bits, as the complex vector path has always given
 * (the property tests assert it). Real data uses the faster per-lane sums above.
 *
 * <p>Row t of the band products never reads a key past {@code t + shift}, not even with weight 0 (a
 * masked token may be NaN); {@link LaneBandProducts#dots} computes some pairs past the band inside a 4 x 4 tile and
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

    @Override
    public void forward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v, float[] out, float[] ws,
                        int cOff, int laneOff) {
        LaneLayout w = new LaneLayout(sp, laneOff);
        for (int g0 = 0; g0 < sp.batch(); g0 += L) {
            int cnt = Math.min(L, sp.batch() - g0);
            int qT = in(q, g0, cnt, w, ws, w.qT);
            int kT = k == q ? qT : in(k, g0, cnt, w, ws, w.kT);
            int vT = v == q ? qT : v == k ? kT : in(v, g0, cnt, w, ws, w.vT);
            outer(w, ws, kT, vT);
            // Block by block, so that the rows of M stay in L1 between the band product and the contraction.
            for (int t = 0, nb; t < w.T; t += nb) {
                nb = LaneBandProducts.block(w.T, t);
                LaneBandProducts.rowBlock(sp, p, ws, w.kv, w.m, w.row, t, nb);
                if (w.complex) ComplexLanes.contractComplex(w, ws, qT, cOff, t, nb);
                else contract(w, ws, qT, cOff, t, nb);
            }
            out(ws, w.oT, g0, cnt, w, out);
        }
    }

    @Override
    public void backward(PositionalAttentionSpec sp, float[] p, float[] q, float[] k, float[] v, float[] dOut, float[] dP,
                         float[] dq, float[] dk, float[] dv, float[] ws, int cOff, int dcOff, int laneOff) {
        LaneLayout w = new LaneLayout(sp, laneOff);
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
                nb = LaneBandProducts.block(T, t);
                LaneBandProducts.rowBlock(sp, p, ws, w.kv, w.m, w.row, t, nb);
                if (w.complex) ComplexLanes.rowGradsComplex(w, ws, qT, gT, cOff, inputs, t, nb);
                else rowGrads(w, ws, qT, gT, cOff, inputs, t, nb);
                LaneBandProducts.dots(sp, w, ws, t, nb);
            }
            if (w.complex) ComplexLanes.sequenceOrderSums(sp, w, ws, cnt, dP, dcOff);
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

    /** Tokens of sequences g0..g0+cnt-1 to [T][d][L] at {@code dst} (lanes past cnt zero); returns dst. */
    private static int in(float[] x, int g0, int cnt, LaneLayout w, float[] ws, int dst) {
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
    private static void out(float[] ws, int src, int g0, int cnt, LaneLayout w, float[] y) {
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
    private static void outer(LaneLayout w, float[] ws, int kT, int vT) {
        int d = w.d;
        if (w.complex) {
            ComplexLanes.outerComplex(w, ws, kT, vT);
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
     * out_ti = sum_c (q_tc C[c][i]) M_t[c][i], an FMA chain over c in order, into [T][d][L] at oT,
     * for rows t0..t0+cnt-1 (their M in the block's rows at {@code w.m}).
     */
    private static void contract(LaneLayout w, float[] ws, int qT, int cOff, int t0, int cnt) {
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
    private static void rowGrads(LaneLayout w, float[] ws, int qT, int gT, int cOff, boolean inputs, int t0, int cnt) {
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

    /** dk_sc = sum_i dKV_s[c][i] v_si, dv_si = sum_c dKV_s[c][i] k_sc (chains in the scalar loop's order), into dkT, dvT. */
    private static void keyGrads(LaneLayout w, float[] ws, int kT, int vT) {
        int d = w.d;
        Arrays.fill(ws, w.dvT, w.dvT + w.tok, 0f);
        if (w.complex) {
            ComplexLanes.keyGradsComplex(w, ws, kT, vT);
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
}
