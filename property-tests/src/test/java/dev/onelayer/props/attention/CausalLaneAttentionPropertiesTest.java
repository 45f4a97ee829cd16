package dev.onelayer.props.attention;

import dev.onelayer.kernel.CausalLaneAttention;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lane-major causal attention of the general ICAR models (icar.md section 5) against a float64
 * reference, on both implementations: shapes include 0, 1 and lane counts around multiples of 16,
 * entries of pi above the diagonal are NaN (never read), and the vector path agrees with the
 * scalar one bit for bit on out, dq, dk and dv (same FMA sequence per lane).
 *
 * <p>Bounds (Tolerance.sumBound over the roundings on the longest path, magnitudes from the same
 * sums in absolute values): S is an FMA chain of dh terms, then times scale and pi (2); out adds
 * up to n terms; dq and dk add up to n terms of dA (dh) times the rounded pi * scale (2 more);
 * dv as out; dPi adds b products of dA and S (dh + 2 each side, 1 for the product) to its start.
 */
class CausalLaneAttentionPropertiesTest {

    private static List<CausalLaneAttention.Ops> impls() {
        List<CausalLaneAttention.Ops> all = new ArrayList<>();
        all.add(CausalLaneAttention.SCALAR);
        if (!"scalar".equals(System.getProperty(KernelProvider.PROPERTY))) {
            KernelProvider.vectorImplementation(CausalLaneAttention.Ops.class, "dev.onelayer.kernel.vector.VectorCausalLaneAttention")
                    .ifPresent(all::add);
        }
        return all;
    }

    private static int[] dims(Gen g) {
        return new int[] {g.dim(20), g.dim(12), g.dim(40), g.dim(3), g.nextBoolean() ? 1 : 0, g.dim(5), g.dim(3)};
    }

    @Test
    void forwardAndBackwardMatchFloat64Reference() {
        List<CausalLaneAttention.Ops> impls = impls();
        Harness.forAll("causal-lane-attention", 120, CausalLaneAttentionPropertiesTest::dims, (d, g) -> {
            int n = d[0], dh = d[1], b = d[2], piOff = d[3], off = d[5], cs = n * b + d[6];
            boolean withPi = d[4] == 1;
            int len = n * dh * b;
            float scale = (float) (1 / Math.sqrt(Math.max(dh, 1)));
            float[] q = g.array(len), k = g.array(len), v = g.array(len), dOut = g.array(len), out0 = g.array(len);
            float[] pi = null, dPi0 = null;
            if (withPi) {
                pi = g.array(piOff + n * n);
                dPi0 = g.array(piOff + n * n);
                for (int t = 0; t < n; t++) for (int s = t + 1; s < n; s++) pi[piOff + t * n + s] = Float.NaN;
            }
            Ref ref = new Ref(n, dh, b, scale, q, k, v, pi, piOff, dOut, out0, dPi0);
            float[][] results = new float[impls.size()][];
            for (int m = 0; m < impls.size(); m++) {
                CausalLaneAttention.Ops ops = impls.get(m);
                String name = ops.name() + " n=" + n + " dh=" + dh + " b=" + b + " pi=" + withPi;
                // The block sits at off with feature rows cs apart; the floats around it never change.
                Layout lay = new Layout(off, cs, n * b, dh);
                float[] out = lay.spread(out0, 7f);
                ops.forward(n, dh, b, scale, lay.spread(q, 1f), lay.spread(k, 2f), lay.spread(v, 3f), off, cs, pi, piOff, out);
                lay.checkGaps(name + " out", out, 7f);
                out = lay.gather(out);
                Bounds.check(name + " out", out, ref.out, Bounds.sums(n + dh + 2, ref.outAbs));
                float[] dq = lay.spread(new float[len], Float.NaN), dk = lay.spread(new float[len], Float.NaN), dv = lay.spread(new float[len], Float.NaN);
                float[] dPi = withPi ? dPi0.clone() : null;
                float[] ws = new float[CausalLaneAttention.workspaceFloats(n, b)];
                ops.backward(n, dh, b, scale, lay.spread(q, 1f), lay.spread(k, 2f), lay.spread(v, 3f), off, cs, pi, piOff,
                        lay.spread(dOut, 4f), dq, dk, dv, dPi, ws);
                lay.checkGaps(name + " dq", dq, Float.NaN);
                lay.checkGaps(name + " dk", dk, Float.NaN);
                lay.checkGaps(name + " dv", dv, Float.NaN);
                dq = lay.gather(dq);
                dk = lay.gather(dk);
                dv = lay.gather(dv);
                Bounds.check(name + " dq", dq, ref.dq, Bounds.sums(n + dh + 3, ref.dqAbs));
                Bounds.check(name + " dk", dk, ref.dk, Bounds.sums(n + dh + 3, ref.dkAbs));
                Bounds.check(name + " dv", dv, ref.dv, Bounds.sums(n + dh + 2, ref.dvAbs));
                if (withPi) {
                    for (int t = 0; t < n; t++) {
                        for (int s = 0; s < n; s++) {
                            int i = piOff + t * n + s;
                            if (s > t) {
                                Bounds.sameBits(name + " dPi above the diagonal", dPi, dPi0, i, i + 1);
                            } else {
                                dev.onelayer.props.harness.Tolerance.check(name + " dPi[" + t + "," + s + "]", dPi[i], ref.dPi[t * n + s],
                                        dev.onelayer.props.harness.Tolerance.sumBound(b + 2 * dh + 6, 0, ref.dPiAbs[t * n + s]));
                            }
                        }
                    }
                    Bounds.sameBits(name + " dPi before piOff", dPi, dPi0, 0, piOff);
                }
                float[] all = new float[4 * len];
                System.arraycopy(out, 0, all, 0, len);
                System.arraycopy(dq, 0, all, len, len);
                System.arraycopy(dk, 0, all, 2 * len, len);
                System.arraycopy(dv, 0, all, 3 * len, len);
                results[m] = all;
            }
            for (int m = 1; m < impls.size(); m++) {
                Bounds.sameBits(impls.get(m).name() + " vs scalar (out | dq | dk | dv)", results[m], results[0], 0, 4 * len);
            }
        });
    }

    /** A packed [dh][n b] block placed at off with feature rows cs apart, {@code fill} everywhere else. */
    private record Layout(int off, int cs, int row, int dh) {
        int size() {
            return dh == 0 ? off : off + (dh - 1) * cs + row;
        }

        float[] spread(float[] x, float fill) {
            float[] y = new float[size()];
            java.util.Arrays.fill(y, fill);
            for (int c = 0; c < dh; c++) System.arraycopy(x, c * row, y, off + c * cs, row);
            return y;
        }

        float[] gather(float[] y) {
            float[] x = new float[dh * row];
            for (int c = 0; c < dh; c++) System.arraycopy(y, off + c * cs, x, c * row, row);
            return x;
        }

        void checkGaps(String what, float[] y, float fill) {
            for (int i = 0; i < y.length; i++) {
                int r = i - off;
                boolean inBlock = r >= 0 && r % cs < row && r / cs < dh;
                if (!inBlock && Float.floatToRawIntBits(y[i]) != Float.floatToRawIntBits(fill)) {
                    throw new AssertionError(what + ": float " + i + " outside the block changed");
                }
            }
        }
    }

    /** Float64 values and absolute-value magnitudes, lane by lane. */
    private static final class Ref {
        final double[] out, outAbs, dq, dqAbs, dk, dkAbs, dv, dvAbs, dPi, dPiAbs;

        Ref(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, float[] pi, int piOff, float[] dOut, float[] out0, float[] dPi0) {
            int len = n * dh * b;
            out = new double[len];
            outAbs = new double[len];
            dq = new double[len];
            dqAbs = new double[len];
            dk = new double[len];
            dkAbs = new double[len];
            dv = new double[len];
            dvAbs = new double[len];
            dPi = new double[n * n];
            dPiAbs = new double[n * n];
            for (int i = 0; i < len; i++) {
                out[i] = out0[i];
                outAbs[i] = Math.abs(out0[i]);
            }
            for (int t = 0; t < n; t++) {
                for (int s = 0; s <= t; s++) {
                    double p = pi == null ? 1 : pi[piOff + t * n + s];
                    if (pi != null) {
                        dPi[t * n + s] = dPi0[piOff + t * n + s];
                        dPiAbs[t * n + s] = Math.abs(dPi0[piOff + t * n + s]);
                    }
                    for (int i = 0; i < b; i++) {
                        double sc = 0, scAbs = 0, da = 0, daAbs = 0;
                        for (int c = 0; c < dh; c++) {
                            int tq = (c * n + t) * b + i, sk = (c * n + s) * b + i;
                            sc += (double) q[tq] * k[sk];
                            scAbs += Math.abs((double) q[tq] * k[sk]);
                            da += (double) dOut[tq] * v[sk];
                            daAbs += Math.abs((double) dOut[tq] * v[sk]);
                        }
                        sc *= scale;
                        scAbs *= scale;
                        double a = sc * p, aAbs = scAbs * Math.abs(p), ds = da * p * scale, dsAbs = daAbs * Math.abs(p) * scale;
                        for (int c = 0; c < dh; c++) {
                            int tq = (c * n + t) * b + i, sk = (c * n + s) * b + i;
                            out[tq] += a * v[sk];
                            outAbs[tq] += aAbs * Math.abs(v[sk]);
                            dq[tq] += ds * k[sk];
                            dqAbs[tq] += dsAbs * Math.abs(k[sk]);
                            dk[sk] += ds * q[tq];
                            dkAbs[sk] += dsAbs * Math.abs(q[tq]);
                            dv[sk] += a * dOut[tq];
                            dvAbs[sk] += aAbs * Math.abs(dOut[tq]);
                        }
                        dPi[t * n + s] += da * sc;
                        dPiAbs[t * n + s] += daAbs * scAbs;
                    }
                }
            }
        }
    }
}
