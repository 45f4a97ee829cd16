package dev.onelayer.props.attention;

import dev.onelayer.kernel.LinearAttentionSpec;

/**
 * Float64 reference of causal linear attention (forms 1 and 2): the masked score matrix
 * {@code M[t][s] = scale q_t . k_s} is materialised per (batch, head), then
 * {@code out = M v}; backward {@code G[t][s] = scale dOut_t . v_s}, {@code dq = G k},
 * {@code dk = G^T q}, {@code dv = M^T dOut}. Alongside each result, the sum of the absolute values
 * of its terms (the magnitude the error bounds scale with).
 */
final class LinearRef {

    final double[] out, outAbs, dq, dqAbs, dk, dkAbs, dv, dvAbs;

    static boolean attended(LinearAttentionSpec sp, int t, int s) {
        if (s > t || (s == t && !sp.includeDiagonal())) return false;
        return sp.window() == LinearAttentionSpec.NO_WINDOW || s >= t - sp.window();
    }

    LinearRef(LinearAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        double scale = sp.scale(), as = Math.abs(scale);
        out = new double[sp.vFloats()];
        outAbs = new double[sp.vFloats()];
        dq = new double[sp.qkFloats()];
        dqAbs = new double[sp.qkFloats()];
        dk = new double[sp.qkFloats()];
        dkAbs = new double[sp.qkFloats()];
        dv = new double[sp.vFloats()];
        dvAbs = new double[sp.vFloats()];
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            double[][] m = new double[T][T], mAbs = new double[T][T], g = new double[T][T], gAbs = new double[T][T];
            for (int t = 0; t < T; t++) {
                for (int s = 0; s < T; s++) {
                    if (!attended(sp, t, s)) continue;
                    for (int c = 0; c < dkw; c++) {
                        m[t][s] += scale * q[qb + t * dkw + c] * k[qb + s * dkw + c];
                        mAbs[t][s] += as * Math.abs((double) q[qb + t * dkw + c] * k[qb + s * dkw + c]);
                    }
                    if (dOut != null) {
                        for (int i = 0; i < dvw; i++) {
                            g[t][s] += scale * dOut[vb + t * dvw + i] * v[vb + s * dvw + i];
                            gAbs[t][s] += as * Math.abs((double) dOut[vb + t * dvw + i] * v[vb + s * dvw + i]);
                        }
                    }
                }
            }
            for (int t = 0; t < T; t++) {
                for (int s = 0; s < T; s++) {
                    for (int i = 0; i < dvw; i++) {
                        out[vb + t * dvw + i] += m[t][s] * v[vb + s * dvw + i];
                        outAbs[vb + t * dvw + i] += mAbs[t][s] * Math.abs(v[vb + s * dvw + i]);
                        if (dOut != null) {
                            dv[vb + s * dvw + i] += m[t][s] * dOut[vb + t * dvw + i];
                            dvAbs[vb + s * dvw + i] += mAbs[t][s] * Math.abs(dOut[vb + t * dvw + i]);
                        }
                    }
                    if (dOut == null) continue;
                    for (int c = 0; c < dkw; c++) {
                        dq[qb + t * dkw + c] += g[t][s] * k[qb + s * dkw + c];
                        dqAbs[qb + t * dkw + c] += gAbs[t][s] * Math.abs(k[qb + s * dkw + c]);
                        dk[qb + s * dkw + c] += g[t][s] * q[qb + t * dkw + c];
                        dkAbs[qb + s * dkw + c] += gAbs[t][s] * Math.abs(q[qb + t * dkw + c]);
                    }
                }
            }
        }
    }

    /** Roundings along any one result: a dot of width max(dk, dv), a sum over T keys, the scale and the block sums. */
    static int roundings(LinearAttentionSpec sp) {
        return Math.max(sp.dk(), sp.dv()) + sp.seqLen() + 4;
    }

    /** Sum of out . r over all entries: the scalar loss whose gradient the backward computes (dOut = r). */
    static double loss(LinearAttentionSpec sp, double[] q, double[] k, double[] v, double[] r) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        double sum = 0;
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            for (int t = 0; t < T; t++) {
                for (int s = 0; s < T; s++) {
                    if (!attended(sp, t, s)) continue;
                    double a = 0, b = 0;
                    for (int c = 0; c < dkw; c++) a += q[qb + t * dkw + c] * k[qb + s * dkw + c];
                    for (int i = 0; i < dvw; i++) b += v[vb + s * dvw + i] * r[vb + t * dvw + i];
                    sum += sp.scale() * a * b;
                }
            }
        }
        return sum;
    }
}
