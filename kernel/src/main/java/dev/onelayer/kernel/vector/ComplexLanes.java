package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.PositionalAttentionSpec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Complex data in form 3's lane layout ({@link VectorPositionalLanes}): tokens [T][2d][L] and
 * outer-product rows [T][2 d^2][L], re and im as separate vectors. Every lane runs the scalar loops'
 * operations ({@code PositionalOuter}'s outer, contract, rowGrads and keyGrads), and dP and dC are
 * the scalar implementation's running sums over the sequences in batch order, so every output is the
 * scalar implementation's bits, as the complex vector path has always given.
 */
final class ComplexLanes {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    private ComplexLanes() {
    }

    /**
     * Complex data, the scalar implementation's sums: dP[t,s] and dC[c][i] are running sums over the
     * sequences in batch order (and over t within a sequence for dC), each term the lane's own value
     * (dP: the lane's FMA chain over the outer-product index from 0, as the scalar dot; dC: the
     * scalar loop's term, kept per row t in the dKV rows by {@link #rowGradsComplex}). So every output
     * is the scalar implementation's bits, as for the sequence-by-sequence vector path.
     */
    static void sequenceOrderSums(PositionalAttentionSpec sp, LaneLayout w, float[] ws, int cnt, float[] dP, int dcOff) {
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

    /** Complex KV_s[c][i] = k_sc v_si: {@code (fma(kr, vr, -(ki vi)), fma(kr, vi, ki vr))} per lane, as the scalar outer. */
    static void outerComplex(LaneLayout w, float[] ws, int kT, int vT) {
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
    static void contractComplex(LaneLayout w, float[] ws, int qT, int cOff, int t0, int cnt) {
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
    static void rowGradsComplex(LaneLayout w, float[] ws, int qT, int gT, int cOff, boolean inputs, int t0, int cnt) {
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
    static void keyGradsComplex(LaneLayout w, float[] ws, int kT, int vT) {
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
