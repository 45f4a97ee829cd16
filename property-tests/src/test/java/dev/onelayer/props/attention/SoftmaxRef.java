package dev.onelayer.props.attention;

import dev.onelayer.kernel.SoftmaxAttentionSpec;

/**
 * Float64 reference of softmax attention (form 4) with the probability matrix materialised per
 * (batch, head): {@code P = rowsoftmax(mask(scale Q K^T))}, {@code out = P V}, {@code lse};
 * backward {@code dP = dOut V^T}, {@code dS = P o (dP - rowsum(P o dP))}, {@code dq = scale dS K},
 * {@code dk = scale dS^T Q}, {@code dv = P^T dOut}.
 *
 * <p>Error bounds (first order, worst case): a float32 score has absolute error at most
 * {@code eps_t = (dk+2) u |scale| max_j sum_c |q_tc k_jc| + 4 u max_j |s_tj|} (the dot, the scale,
 * the max subtraction); exp and the normalisation add {@code (2T + 16) u} relative, so every
 * probability has relative error at most {@code rel_t = 2 eps_t + (2T + 16) u}. The bounds of out,
 * lse and the gradients follow by propagating {@code rel_t} and the dot-product roundings.
 */
final class SoftmaxRef {

    static final double U = Bounds.U;

    final double[] out, outBound, lse, lseBound, probs, probsBound, rel;
    double[] dq, dqBound, dk, dkBound, dv, dvBound;

    SoftmaxRef(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        double scale = sp.scale();
        out = new double[sp.vFloats()];
        outBound = new double[sp.vFloats()];
        lse = new double[sp.rowFloats()];
        lseBound = new double[sp.rowFloats()];
        probs = new double[sp.probabilityFloats()];
        probsBound = new double[sp.probabilityFloats()];
        rel = new double[sp.rowFloats()];
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            for (int t = 0; t < T; t++) {
                int lo = sp.first(t), hi = sp.last(t), row = bh * T + t;
                double[] s = new double[T];
                double m = Double.NEGATIVE_INFINITY, maxAbsDot = 0, maxAbsS = 0;
                for (int j = lo; j <= hi; j++) {
                    double dot = 0, abs = 0;
                    for (int c = 0; c < dkw; c++) {
                        dot += (double) q[qb + t * dkw + c] * k[qb + j * dkw + c];
                        abs += Math.abs((double) q[qb + t * dkw + c] * k[qb + j * dkw + c]);
                    }
                    s[j] = scale * dot;
                    m = Math.max(m, s[j]);
                    maxAbsDot = Math.max(maxAbsDot, Math.abs(scale) * abs);
                    maxAbsS = Math.max(maxAbsS, Math.abs(s[j]));
                }
                double l = 0;
                for (int j = lo; j <= hi; j++) l += Math.exp(s[j] - m);
                lse[row] = m + Math.log(l);
                double eps = (dkw + 2) * U * maxAbsDot + 4 * U * maxAbsS;
                rel[row] = 2 * eps + (2.0 * T + 16) * U;
                lseBound[row] = rel[row] + 4 * U * Math.abs(lse[row]) + 0x1p-120;
                for (int j = lo; j <= hi; j++) {
                    double p = Math.exp(s[j] - lse[row]);
                    probs[row * T + j] = p;
                    probsBound[row * T + j] = 2 * rel[row] * p + 0x1p-120;
                    for (int i = 0; i < dvw; i++) {
                        out[vb + t * dvw + i] += p * v[vb + j * dvw + i];
                        outBound[vb + t * dvw + i] += p * Math.abs(v[vb + j * dvw + i]);
                    }
                }
                for (int i = 0; i < dvw; i++) {
                    outBound[vb + t * dvw + i] = (rel[row] + (T + 4) * U) * outBound[vb + t * dvw + i] + 0x1p-120;
                }
            }
        }
    }

    /** Fills the gradients for upstream gradient dOut, and their bounds. */
    void backward(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] dOut) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        double scale = sp.scale(), as = Math.abs(scale);
        dq = new double[sp.qkFloats()];
        dqBound = new double[sp.qkFloats()];
        dk = new double[sp.qkFloats()];
        dkBound = new double[sp.qkFloats()];
        dv = new double[sp.vFloats()];
        dvBound = new double[sp.vFloats()];
        int n = T + dkw + dvw + 4;
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            for (int t = 0; t < T; t++) {
                int row = bh * T + t, o = vb + t * dvw;
                double D = 0, eD = 0;
                for (int i = 0; i < dvw; i++) {
                    D += dOut[o + i] * out[o + i];
                    eD += Math.abs(dOut[o + i]) * (outBound[o + i] + (dvw + 2) * U * Math.abs(out[o + i]));
                }
                for (int j = sp.first(t); j <= sp.last(t); j++) {
                    double p = probs[row * T + j];
                    double dp = 0, dpAbs = 0;
                    for (int i = 0; i < dvw; i++) {
                        dp += (double) dOut[o + i] * v[vb + j * dvw + i];
                        dpAbs += Math.abs((double) dOut[o + i] * v[vb + j * dvw + i]);
                    }
                    double ds = p * (dp - D);
                    double mag = p * (Math.abs(dp) + Math.abs(D));
                    double eds = p * (rel[row] * (dpAbs + Math.abs(D)) + (dvw + 2) * U * dpAbs + eD) + 4 * U * mag;
                    double e = eds + n * U * p * (dpAbs + Math.abs(D));
                    for (int c = 0; c < dkw; c++) {
                        dq[qb + t * dkw + c] += scale * ds * k[qb + j * dkw + c];
                        dqBound[qb + t * dkw + c] += as * e * Math.abs(k[qb + j * dkw + c]);
                        dk[qb + j * dkw + c] += scale * ds * q[qb + t * dkw + c];
                        dkBound[qb + j * dkw + c] += as * e * Math.abs(q[qb + t * dkw + c]);
                    }
                    for (int i = 0; i < dvw; i++) {
                        dv[vb + j * dvw + i] += p * dOut[o + i];
                        dvBound[vb + j * dvw + i] += p * Math.abs(dOut[o + i]) * (rel[row] + n * U);
                    }
                }
            }
        }
        for (double[] b : new double[][] {dqBound, dkBound, dvBound}) {
            for (int i = 0; i < b.length; i++) b[i] += 0x1p-120;
        }
    }

    /** Sum of out . r: the loss whose gradient the backward computes (dOut = r). */
    static double loss(SoftmaxAttentionSpec sp, double[] q, double[] k, double[] v, double[] r) {
        int T = sp.seqLen(), dkw = sp.dk(), dvw = sp.dv();
        double sum = 0;
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int qb = bh * T * dkw, vb = bh * T * dvw;
            for (int t = 0; t < T; t++) {
                double[] s = new double[T];
                double m = Double.NEGATIVE_INFINITY;
                for (int j = sp.first(t); j <= sp.last(t); j++) {
                    for (int c = 0; c < dkw; c++) s[j] += q[qb + t * dkw + c] * k[qb + j * dkw + c];
                    s[j] *= sp.scale();
                    m = Math.max(m, s[j]);
                }
                double l = 0;
                for (int j = sp.first(t); j <= sp.last(t); j++) l += Math.exp(s[j] - m);
                for (int j = sp.first(t); j <= sp.last(t); j++) {
                    double p = Math.exp(s[j] - m) / l;
                    for (int i = 0; i < dvw; i++) sum += p * v[vb + j * dvw + i] * r[vb + t * dvw + i];
                }
            }
        }
        return sum;
    }
}
