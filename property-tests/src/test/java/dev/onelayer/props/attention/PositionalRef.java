package dev.onelayer.props.attention;

import dev.onelayer.kernel.PositionalAttentionSpec;

/**
 * Float64 reference of positional-matrix-weighted linear attention (form 3), head by head with
 * explicit loops (no coupling matrix, unlike the kernels):
 * {@code out_ti = sum_h sum_{s <= t+shift} sum_c P[t,s] q_tc a_hc k_sc b_hi v_si}.
 * The loss {@code sum out . dOut} is a sum of seven-factor products; each gradient is the sum of the
 * products with its own factor left out, and each comes with the sum of absolute terms.
 */
final class PositionalRef {

    final double[] out, outAbs, dP, dPAbs, da, daAbs, db, dbAbs, dq, dqAbs, dk, dkAbs, dv, dvAbs;

    PositionalRef(PositionalAttentionSpec sp, double[] p, double[] a, double[] b, double[] q, double[] k, double[] v,
                  double[] dOut) {
        int T = sp.seqLen(), d = sp.d(), H = sp.heads();
        out = new double[sp.tokenFloats()];
        outAbs = new double[sp.tokenFloats()];
        dP = new double[T * T];
        dPAbs = new double[T * T];
        da = new double[H * d];
        daAbs = new double[H * d];
        db = new double[H * d];
        dbAbs = new double[H * d];
        dq = new double[sp.tokenFloats()];
        dqAbs = new double[sp.tokenFloats()];
        dk = new double[sp.tokenFloats()];
        dkAbs = new double[sp.tokenFloats()];
        dv = new double[sp.tokenFloats()];
        dvAbs = new double[sp.tokenFloats()];
        for (int bt = 0; bt < sp.batch(); bt++) {
            int base = bt * T * d;
            for (int t = 0; t < T; t++) {
                for (int s = 0; s <= sp.last(t); s++) {
                    double g = p[t * T + s];
                    for (int h = 0; h < H; h++) {
                        for (int c = 0; c < d; c++) {
                            double qc = q[base + t * d + c], kc = k[base + s * d + c], ac = a[h * d + c];
                            for (int i = 0; i < d; i++) {
                                double bi = b[h * d + i], vi = v[base + s * d + i];
                                double r = dOut == null ? 0 : dOut[base + t * d + i];
                                int ti = base + t * d + i, tc = base + t * d + c, sc = base + s * d + c, si = base + s * d + i;
                                add(out, outAbs, ti, g * qc * ac * kc * bi * vi);
                                if (dOut == null) continue;
                                add(dP, dPAbs, t * T + s, qc * ac * kc * bi * vi * r);
                                add(da, daAbs, h * d + c, g * qc * kc * bi * vi * r);
                                add(db, dbAbs, h * d + i, g * qc * ac * kc * vi * r);
                                add(dq, dqAbs, tc, g * ac * kc * bi * vi * r);
                                add(dk, dkAbs, sc, g * qc * ac * bi * vi * r);
                                add(dv, dvAbs, si, g * qc * ac * kc * bi * r);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void add(double[] x, double[] abs, int i, double term) {
        x[i] += term;
        abs[i] += Math.abs(term);
    }

    /**
     * Roundings along a result, an upper bound on the longest chain any term passes through in the kernels
     * (form 3 through the outer products, PositionalOuter; H heads, T keys, B batch, n = outerFloats()):
     * <ul>
     *   <li>C = sum_h a_h b_h^T: H; every result below starts from it.</li>
     *   <li>out: KV_s = k_s v_s^T (1), M_t = sum over at most T keys (T), q_tc C[c][i] (1), sum over c (d):
     *       H + T + d + 2.</li>
     *   <li>dP[t,s] = sum over the batch of <dM_t, KV_s>: dM_t = q_t dOut_t^T o C (2), KV_s (1), an FMA chain
     *       over the n outer-product floats (n), the batch (B): H + n + B + 3.</li>
     *   <li>da, db: dC sums q g o M_t (M: T, +2) over rows and batch (T B), then a sum over d: T B + T + d + 3.</li>
     *   <li>dq: sum over i (d) of C g M_t: H + T + d + 2; dk, dv: dKV_s = sum over at most T rows of P dM_t (T, dM: 2),
     *       then a sum over d: H + T + d + 3.</li>
     * </ul>
     * The sum below bounds each: T (T+1)/2 max(1, B) + 8 >= T B + T + 3 for T >= 1 (it is the pair count of
     * the pair-by-pair form, kept), H + 2d + n covers the heads, the d sums and the outer-product chain.
     * Complex specs are checked with {@link PositionalComplexRef#realSpec} (width 2d), whose n = 4 d^2
     * exceeds the complex chain over the 2 d^2 (re, im) floats.
     */
    static int roundings(PositionalAttentionSpec sp) {
        return sp.heads() + 2 * sp.d() + sp.outerFloats() + sp.seqLen() * (sp.seqLen() + 1) / 2 * Math.max(1, sp.batch()) + 8;
    }

    static double loss(PositionalAttentionSpec sp, double[] p, double[] a, double[] b, double[] q, double[] k, double[] v,
                       double[] r) {
        double[] out = new PositionalRef(sp, p, a, b, q, k, v, null).out;
        double sum = 0;
        for (int i = 0; i < out.length; i++) sum += out[i] * r[i];
        return sum;
    }
}
