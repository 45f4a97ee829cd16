package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.CausalLaneAttention;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CausalLaneAttention} with the Vector API: L examples per vector, whole vectors over the
 * lanes [0, b - b % L) and the scalar loops ({@link CausalLaneAttention#forwardLanes},
 * {@link CausalLaneAttention#backwardLanes}) for the last {@code b % L} lanes. Per lane the FMA
 * sequence is the scalar one, so both give the same bits lane by lane.
 *
 * <p>Loop order: the lane block outermost, so the block's tokens (n dh L floats per array, 32 KB
 * at the reference shape) stay in cache while all (t, s) pairs visit them.
 */
public final class VectorCausalLaneAttention implements CausalLaneAttention.Ops {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    public VectorCausalLaneAttention() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void forward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, float[] pi, int piOff, float[] out) {
        int bound = b - b % L;
        for (int j = 0; j < bound; j += L) {
            for (int t = 0; t < n; t++) {
                int tq = t * dh * b + j;
                for (int s = 0; s <= t; s++) {
                    int sk = s * dh * b + j;
                    FloatVector sc = FloatVector.zero(F);
                    for (int c = 0; c < dh; c++) {
                        sc = FloatVector.fromArray(F, q, tq + c * b).fma(FloatVector.fromArray(F, k, sk + c * b), sc);
                    }
                    FloatVector a = sc.mul(scale).mul(pi == null ? 1f : pi[piOff + t * n + s]);
                    for (int c = 0; c < dh; c++) {
                        int o = tq + c * b;
                        a.fma(FloatVector.fromArray(F, v, sk + c * b), FloatVector.fromArray(F, out, o)).intoArray(out, o);
                    }
                }
            }
        }
        CausalLaneAttention.forwardLanes(n, dh, b, scale, q, k, v, pi, piOff, out, bound, b);
    }

    @Override
    public void backward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, float[] pi, int piOff,
                         float[] dOut, float[] dq, float[] dk, float[] dv, float[] dPi, float[] ws) {
        int bound = b - b % L, tri = CausalLaneAttention.triangle(n) * b, wa = 0, wd = tri, wp = 2 * tri;
        for (int j = 0; j < bound; j += L) {
            // Pass 1, row by row: S and dA = dOut_t . v_s, then dq_t = sum_s dS k_s.
            for (int t = 0; t < n; t++) {
                int tq = t * dh * b + j;
                for (int c = 0; c < dh; c++) FloatVector.zero(F).intoArray(dq, tq + c * b);
                for (int s = 0; s <= t; s++) {
                    int sk = s * dh * b + j, ts = (t * (t + 1) / 2 + s) * b + j;
                    FloatVector sc = FloatVector.zero(F), da = FloatVector.zero(F);
                    for (int c = 0; c < dh; c++) {
                        sc = FloatVector.fromArray(F, q, tq + c * b).fma(FloatVector.fromArray(F, k, sk + c * b), sc);
                        da = FloatVector.fromArray(F, dOut, tq + c * b).fma(FloatVector.fromArray(F, v, sk + c * b), da);
                    }
                    sc = sc.mul(scale);
                    float p = pi == null ? 1f : pi[piOff + t * n + s];
                    FloatVector ds = da.mul(p * scale);
                    sc.mul(p).intoArray(ws, wa + ts);
                    ds.intoArray(ws, wd + ts);
                    da.mul(sc).intoArray(ws, wp + ts);
                    for (int c = 0; c < dh; c++) {
                        int o = tq + c * b;
                        ds.fma(FloatVector.fromArray(F, k, sk + c * b), FloatVector.fromArray(F, dq, o)).intoArray(dq, o);
                    }
                }
            }
            // Pass 2, column by column: dk_s = sum_t dS q_t, dv_s = sum_t alpha dOut_t.
            for (int s = 0; s < n; s++) {
                int sk = s * dh * b + j;
                for (int c = 0; c < dh; c++) {
                    FloatVector.zero(F).intoArray(dk, sk + c * b);
                    FloatVector.zero(F).intoArray(dv, sk + c * b);
                }
                for (int t = s; t < n; t++) {
                    int tq = t * dh * b + j, ts = (t * (t + 1) / 2 + s) * b + j;
                    FloatVector ds = FloatVector.fromArray(F, ws, wd + ts), a = FloatVector.fromArray(F, ws, wa + ts);
                    for (int c = 0; c < dh; c++) {
                        int o = sk + c * b;
                        ds.fma(FloatVector.fromArray(F, q, tq + c * b), FloatVector.fromArray(F, dk, o)).intoArray(dk, o);
                        a.fma(FloatVector.fromArray(F, dOut, tq + c * b), FloatVector.fromArray(F, dv, o)).intoArray(dv, o);
                    }
                }
            }
        }
        CausalLaneAttention.backwardLanes(n, dh, b, scale, q, k, v, pi, piOff, dOut, dq, dk, dv, ws, bound, b);
        if (pi == null) return;
        // dPi[t,s] += sum over the lanes: whole vectors summed in block order, a fixed-order
        // horizontal sum, then the tail lanes in index order.
        for (int t = 0; t < n; t++) {
            for (int s = 0; s <= t; s++) {
                int o = wp + (t * (t + 1) / 2 + s) * b;
                float sum = 0f;
                if (bound > 0) {
                    FloatVector acc = FloatVector.fromArray(F, ws, o);
                    for (int j = L; j < bound; j += L) acc = acc.add(FloatVector.fromArray(F, ws, o + j));
                    sum = Lanes.sum(acc);
                }
                for (int i = bound; i < b; i++) sum += ws[o + i];
                dPi[piOff + t * n + s] += sum;
            }
        }
    }
}
