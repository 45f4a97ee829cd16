package dev.onelayer.props.attention;

import dev.onelayer.kernel.PositionalAttentionSpec;

/**
 * Float64 reference of the complex form 3 (icar.md 2(b), unitary case), built from the real
 * reference {@link PositionalRef} on the 2d pair coordinates: the Hermitian score
 * {@code conj(q) . diag(a) k} times {@code b o v} is the real form with each a_h, b_h entry
 * repeated for re and im on {@code (q, k, v)}, plus the same on {@code (q, -i k, i v)}. The
 * gradients of k and v go back through {@code -i k = (k_im, -k_re)} and {@code i v = (-v_im, v_re)}
 * by the chain rule; sums of absolute terms add up the same way.
 */
final class PositionalComplexRef {

    final double[] out, outAbs, dP, dPAbs, da, daAbs, db, dbAbs, dq, dqAbs, dk, dkAbs, dv, dvAbs;

    PositionalComplexRef(PositionalAttentionSpec sp, double[] p, double[] a, double[] b, double[] q, double[] k,
                         double[] v, double[] dOut) {
        PositionalAttentionSpec real = realSpec(sp);
        double[] a2 = repeat(a), b2 = repeat(b), kRot = new double[k.length], vRot = new double[v.length];
        for (int i = 0; i < k.length; i += 2) {
            kRot[i] = k[i + 1];
            kRot[i + 1] = -k[i];
            vRot[i] = -v[i + 1];
            vRot[i + 1] = v[i];
        }
        PositionalRef r1 = new PositionalRef(real, p, a2, b2, q, k, v, dOut);
        PositionalRef r2 = new PositionalRef(real, p, a2, b2, q, kRot, vRot, dOut);
        out = add(r1.out, r2.out);
        outAbs = add(r1.outAbs, r2.outAbs);
        dP = add(r1.dP, r2.dP);
        dPAbs = add(r1.dPAbs, r2.dPAbs);
        da = pairSum(add(r1.da, r2.da));
        daAbs = pairSum(add(r1.daAbs, r2.daAbs));
        db = pairSum(add(r1.db, r2.db));
        dbAbs = pairSum(add(r1.dbAbs, r2.dbAbs));
        dq = add(r1.dq, r2.dq);
        dqAbs = add(r1.dqAbs, r2.dqAbs);
        dk = new double[k.length];
        dkAbs = new double[k.length];
        dv = new double[v.length];
        dvAbs = new double[v.length];
        for (int i = 0; i < k.length; i += 2) {
            // d/dk_re: k_re enters kRot_im with sign -1; d/dk_im: k_im enters kRot_re.
            dk[i] = r1.dk[i] - r2.dk[i + 1];
            dk[i + 1] = r1.dk[i + 1] + r2.dk[i];
            dkAbs[i] = r1.dkAbs[i] + r2.dkAbs[i + 1];
            dkAbs[i + 1] = r1.dkAbs[i + 1] + r2.dkAbs[i];
            // v_re enters vRot_im; v_im enters vRot_re with sign -1.
            dv[i] = r1.dv[i] + r2.dv[i + 1];
            dv[i + 1] = r1.dv[i + 1] - r2.dv[i];
            dvAbs[i] = r1.dvAbs[i] + r2.dvAbs[i + 1];
            dvAbs[i + 1] = r1.dvAbs[i + 1] + r2.dvAbs[i];
        }
    }

    static PositionalAttentionSpec realSpec(PositionalAttentionSpec sp) {
        return new PositionalAttentionSpec(sp.batch(), sp.heads(), sp.seqLen(), 2 * sp.d(), sp.shift());
    }

    private static double[] repeat(double[] x) {
        double[] y = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            y[2 * i] = x[i];
            y[2 * i + 1] = x[i];
        }
        return y;
    }

    private static double[] pairSum(double[] x) {
        double[] y = new double[x.length / 2];
        for (int i = 0; i < y.length; i++) y[i] = x[2 * i] + x[2 * i + 1];
        return y;
    }

    private static double[] add(double[] x, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < z.length; i++) z[i] = x[i] + y[i];
        return z;
    }
}
