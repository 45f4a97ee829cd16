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

    /** Roundings along a result: sums over heads (the coupling C), d, d, keys, and the batch for shared parameters. */
    static int roundings(PositionalAttentionSpec sp) {
        return sp.heads() + 2 * sp.d() + sp.seqLen() * (sp.seqLen() + 1) / 2 * Math.max(1, sp.batch()) + 8;
    }

    static double loss(PositionalAttentionSpec sp, double[] p, double[] a, double[] b, double[] q, double[] k, double[] v,
                       double[] r) {
        double[] out = new PositionalRef(sp, p, a, b, q, k, v, null).out;
        double sum = 0;
        for (int i = 0; i < out.length; i++) sum += out[i] * r[i];
        return sum;
    }
}
