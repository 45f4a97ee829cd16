package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.CausalLaneAttention;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CausalLaneAttention} with the Vector API: L examples per vector, whole vectors over the
 * lanes [0, b - b % L) and the scalar loops ({@link CausalLaneAttention#forwardLanes},
 * {@link CausalLaneAttention#backwardLanes}) for the last {@code b % L} lanes.
 *
 * <p>Why four pairs at a time: a score is an FMA chain over the head width (10 dependent FMAs,
 * about 40 cycles of latency); four keys s (or, for dk and dv, four queries t) side by side give
 * the core independent chains, load each query row once for four keys, and update an accumulator
 * row in memory once per four FMAs. Every lane still sees the scalar sequence: the chain over c in
 * index order, and the updates of out, dq, dk, dv in increasing s (or t), so both
 * implementations give the same bits lane by lane.
 *
 * <p>Loop order: the lane block outermost, so the block's tokens (n dh L floats per array, 32 KB
 * at the reference shape) stay in cache while all pairs visit them.
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

    private static float p(float[] pi, int i) {
        return pi == null ? 1f : pi[i];
    }

    @Override
    public void forward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff, float[] out) {
        int bound = b - b % L, nb = cs;
        for (int j = 0; j < bound; j += L) {
            for (int t = 0; t < n; t++) {
                int tq = off + t * b + j, pr = piOff + t * n;
                int s = 0;
                for (; s + 7 <= t; s += 8) forwardOct(n, dh, b, j, t, s, scale, q, k, v, off, cs, pi, piOff, out);
                for (; s + 3 <= t; s += 4) {
                    int s0 = off + s * b + j, s1 = s0 + b, s2 = s1 + b, s3 = s2 + b;
                    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                    for (int c = 0, o = 0; c < dh; c++, o += nb) {
                        FloatVector qv = FloatVector.fromArray(F, q, tq + o);
                        c0 = qv.fma(FloatVector.fromArray(F, k, s0 + o), c0);
                        c1 = qv.fma(FloatVector.fromArray(F, k, s1 + o), c1);
                        c2 = qv.fma(FloatVector.fromArray(F, k, s2 + o), c2);
                        c3 = qv.fma(FloatVector.fromArray(F, k, s3 + o), c3);
                    }
                    FloatVector a0 = c0.mul(scale).mul(p(pi, pr + s)), a1 = c1.mul(scale).mul(p(pi, pr + s + 1));
                    FloatVector a2 = c2.mul(scale).mul(p(pi, pr + s + 2)), a3 = c3.mul(scale).mul(p(pi, pr + s + 3));
                    for (int c = 0, o = 0; c < dh; c++, o += nb) {
                        FloatVector acc = FloatVector.fromArray(F, out, tq + o);
                        acc = a0.fma(FloatVector.fromArray(F, v, s0 + o), acc);
                        acc = a1.fma(FloatVector.fromArray(F, v, s1 + o), acc);
                        acc = a2.fma(FloatVector.fromArray(F, v, s2 + o), acc);
                        a3.fma(FloatVector.fromArray(F, v, s3 + o), acc).intoArray(out, tq + o);
                    }
                }
                for (; s <= t; s++) {
                    int s0 = off + s * b + j;
                    FloatVector c0 = FloatVector.zero(F);
                    for (int c = 0, o = 0; c < dh; c++, o += nb) c0 = FloatVector.fromArray(F, q, tq + o).fma(FloatVector.fromArray(F, k, s0 + o), c0);
                    FloatVector a0 = c0.mul(scale).mul(p(pi, pr + s));
                    for (int c = 0, o = 0; c < dh; c++, o += nb) a0.fma(FloatVector.fromArray(F, v, s0 + o), FloatVector.fromArray(F, out, tq + o)).intoArray(out, tq + o);
                }
            }
        }
        CausalLaneAttention.forwardLanes(n, dh, b, scale, q, k, v, off, cs, pi, piOff, out, bound, b);
    }

    /** Pairs (t, s..s+7) of the forward: eight independent score chains. */
    private static void forwardOct(int n, int dh, int b, int j, int t, int s, float scale, float[] q, float[] k, float[] v, int off, int cs,
                                   float[] pi, int piOff, float[] out) {
        int nb = cs, tq = off + t * b + j, pr = piOff + t * n;
        int s0 = off + s * b + j, s1 = s0 + b, s2 = s1 + b, s3 = s2 + b, s4 = s3 + b, s5 = s4 + b, s6 = s5 + b, s7 = s6 + b;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int c = 0, o = 0; c < dh; c++, o += nb) {
            FloatVector qv = FloatVector.fromArray(F, q, tq + o);
            c0 = qv.fma(FloatVector.fromArray(F, k, s0 + o), c0);
            c1 = qv.fma(FloatVector.fromArray(F, k, s1 + o), c1);
            c2 = qv.fma(FloatVector.fromArray(F, k, s2 + o), c2);
            c3 = qv.fma(FloatVector.fromArray(F, k, s3 + o), c3);
            c4 = qv.fma(FloatVector.fromArray(F, k, s4 + o), c4);
            c5 = qv.fma(FloatVector.fromArray(F, k, s5 + o), c5);
            c6 = qv.fma(FloatVector.fromArray(F, k, s6 + o), c6);
            c7 = qv.fma(FloatVector.fromArray(F, k, s7 + o), c7);
        }
        FloatVector a0 = c0.mul(scale).mul(p(pi, pr + s)), a1 = c1.mul(scale).mul(p(pi, pr + s + 1));
        FloatVector a2 = c2.mul(scale).mul(p(pi, pr + s + 2)), a3 = c3.mul(scale).mul(p(pi, pr + s + 3));
        FloatVector a4 = c4.mul(scale).mul(p(pi, pr + s + 4)), a5 = c5.mul(scale).mul(p(pi, pr + s + 5));
        FloatVector a6 = c6.mul(scale).mul(p(pi, pr + s + 6)), a7 = c7.mul(scale).mul(p(pi, pr + s + 7));
        for (int c = 0, o = 0; c < dh; c++, o += nb) {
            FloatVector acc = FloatVector.fromArray(F, out, tq + o);
            acc = a0.fma(FloatVector.fromArray(F, v, s0 + o), acc);
            acc = a1.fma(FloatVector.fromArray(F, v, s1 + o), acc);
            acc = a2.fma(FloatVector.fromArray(F, v, s2 + o), acc);
            acc = a3.fma(FloatVector.fromArray(F, v, s3 + o), acc);
            acc = a4.fma(FloatVector.fromArray(F, v, s4 + o), acc);
            acc = a5.fma(FloatVector.fromArray(F, v, s5 + o), acc);
            acc = a6.fma(FloatVector.fromArray(F, v, s6 + o), acc);
            a7.fma(FloatVector.fromArray(F, v, s7 + o), acc).intoArray(out, tq + o);
        }
    }

    @Override
    public void backward(int n, int dh, int b, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                         float[] dOut, float[] dq, float[] dk, float[] dv, float[] dPi, float[] ws) {
        int bound = b - b % L, nb = cs, tri = CausalLaneAttention.triangle(n) * b, wa = 0, wd = tri, wp = 2 * tri;
        for (int j = 0; j < bound; j += L) {
            rows(n, dh, b, j, scale, q, k, v, off, cs, pi, piOff, dOut, dq, ws);
            cols(n, dh, b, j, off, cs, q, dOut, dk, dv, ws);
        }
        CausalLaneAttention.backwardLanes(n, dh, b, scale, q, k, v, off, cs, pi, piOff, dOut, dq, dk, dv, ws, bound, b);
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

    /** Backward pass 1 for the lane block at j, row by row: S, dA = dOut_t . v_s, alpha, dS, dPi terms, dq_t = sum_s dS k_s. */
    private static void rows(int n, int dh, int b, int j, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                             float[] dOut, float[] dq, float[] ws) {
        int nb = cs;
        for (int t = 0; t < n; t++) {
            int tq = off + t * b + j;
            for (int c = 0, o = 0; c < dh; c++, o += nb) FloatVector.zero(F).intoArray(dq, tq + o);
            int s = 0;
            // Loads are written out (no helper returning a vector): once such a helper is compiled
            // on its own, C2 may refuse to inline it ("already compiled into a big method") and
            // the vectors get boxed (measured: 0.7 GB of allocation per backward of a chunk).
            for (; s + 3 <= t; s += 4) rowQuad(n, dh, b, j, t, s, scale, q, k, v, off, cs, pi, piOff, dOut, dq, ws);
            for (; s <= t; s++) rowPair(n, dh, b, j, t, s, scale, q, k, v, off, cs, pi, piOff, dOut, dq, ws);
        }
    }

    /** Pairs (t, s..s+3) of pass 1. */
    private static void rowQuad(int n, int dh, int b, int j, int t, int s, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                                float[] dOut, float[] dq, float[] ws) {
        int nb = cs, tri = CausalLaneAttention.triangle(n) * b, wa = 0, wd = tri, wp = 2 * tri;
        int tq = off + t * b + j, pr = piOff + t * n, row = t * (t + 1) / 2;
        int s0 = off + s * b + j, s1 = s0 + b, s2 = s1 + b, s3 = s2 + b;
        // Two loops of four chains rather than one of eight: JDK 17's C2 boxes the vectors of
        // the eight-phi loop (measured: about 1 GB of allocation per step).
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int c = 0, o = 0; c < dh; c++, o += nb) {
            FloatVector qv = FloatVector.fromArray(F, q, tq + o);
            c0 = qv.fma(FloatVector.fromArray(F, k, s0 + o), c0);
            c1 = qv.fma(FloatVector.fromArray(F, k, s1 + o), c1);
            c2 = qv.fma(FloatVector.fromArray(F, k, s2 + o), c2);
            c3 = qv.fma(FloatVector.fromArray(F, k, s3 + o), c3);
        }
        FloatVector e0 = FloatVector.zero(F), e1 = e0, e2 = e0, e3 = e0;
        for (int c = 0, o = 0; c < dh; c++, o += nb) {
            FloatVector gv = FloatVector.fromArray(F, dOut, tq + o);
            e0 = gv.fma(FloatVector.fromArray(F, v, s0 + o), e0);
            e1 = gv.fma(FloatVector.fromArray(F, v, s1 + o), e1);
            e2 = gv.fma(FloatVector.fromArray(F, v, s2 + o), e2);
            e3 = gv.fma(FloatVector.fromArray(F, v, s3 + o), e3);
        }
        // alpha = S pi, dS = dA pi scale and the dPi term dA S of the four pairs into the workspace.
        int ts = (row + s) * b + j;
        float p0 = p(pi, pr + s), p1 = p(pi, pr + s + 1), p2 = p(pi, pr + s + 2), p3 = p(pi, pr + s + 3);
        c0 = c0.mul(scale);
        c1 = c1.mul(scale);
        c2 = c2.mul(scale);
        c3 = c3.mul(scale);
        FloatVector d0 = e0.mul(p0 * scale), d1 = e1.mul(p1 * scale), d2 = e2.mul(p2 * scale), d3 = e3.mul(p3 * scale);
        c0.mul(p0).intoArray(ws, wa + ts);
        c1.mul(p1).intoArray(ws, wa + ts + b);
        c2.mul(p2).intoArray(ws, wa + ts + 2 * b);
        c3.mul(p3).intoArray(ws, wa + ts + 3 * b);
        d0.intoArray(ws, wd + ts);
        d1.intoArray(ws, wd + ts + b);
        d2.intoArray(ws, wd + ts + 2 * b);
        d3.intoArray(ws, wd + ts + 3 * b);
        e0.mul(c0).intoArray(ws, wp + ts);
        e1.mul(c1).intoArray(ws, wp + ts + b);
        e2.mul(c2).intoArray(ws, wp + ts + 2 * b);
        e3.mul(c3).intoArray(ws, wp + ts + 3 * b);
        for (int c = 0, o = 0; c < dh; c++, o += nb) {
            FloatVector acc = FloatVector.fromArray(F, dq, tq + o);
            acc = d0.fma(FloatVector.fromArray(F, k, s0 + o), acc);
            acc = d1.fma(FloatVector.fromArray(F, k, s1 + o), acc);
            acc = d2.fma(FloatVector.fromArray(F, k, s2 + o), acc);
            d3.fma(FloatVector.fromArray(F, k, s3 + o), acc).intoArray(dq, tq + o);
        }
    }

    /** Pair (t, s) of pass 1. */
    private static void rowPair(int n, int dh, int b, int j, int t, int s, float scale, float[] q, float[] k, float[] v, int off, int cs, float[] pi, int piOff,
                                float[] dOut, float[] dq, float[] ws) {
        int nb = cs, tri = CausalLaneAttention.triangle(n) * b, wa = 0, wd = tri, wp = 2 * tri;
        int tq = off + t * b + j, pr = piOff + t * n, row = t * (t + 1) / 2;
        int s0 = off + s * b + j;
        FloatVector c0 = FloatVector.zero(F), e0 = c0;
        for (int c = 0, o = 0; c < dh; c++, o += nb) {
            c0 = FloatVector.fromArray(F, q, tq + o).fma(FloatVector.fromArray(F, k, s0 + o), c0);
            e0 = FloatVector.fromArray(F, dOut, tq + o).fma(FloatVector.fromArray(F, v, s0 + o), e0);
        }
        int ts = (row + s) * b + j;
        float p0 = p(pi, pr + s);
        c0 = c0.mul(scale);
        FloatVector d0 = e0.mul(p0 * scale);
        c0.mul(p0).intoArray(ws, wa + ts);
        d0.intoArray(ws, wd + ts);
        e0.mul(c0).intoArray(ws, wp + ts);
        for (int c = 0, o = 0; c < dh; c++, o += nb) d0.fma(FloatVector.fromArray(F, k, s0 + o), FloatVector.fromArray(F, dq, tq + o)).intoArray(dq, tq + o);
    }

    /** Backward pass 2 for the lane block at j, column by column: dk_s = sum_t dS q_t, dv_s = sum_t alpha dOut_t. */
    private static void cols(int n, int dh, int b, int j, int off, int cs, float[] q, float[] dOut, float[] dk, float[] dv, float[] ws) {
        int nb = cs, tri = CausalLaneAttention.triangle(n) * b, wa = 0, wd = tri;
        for (int s = 0; s < n; s++) {
            int sk = off + s * b + j;
            for (int c = 0, o = 0; c < dh; c++, o += nb) {
                FloatVector.zero(F).intoArray(dk, sk + o);
                FloatVector.zero(F).intoArray(dv, sk + o);
            }
            int t = s;
            for (; t + 7 < n; t += 8) {
                colOct(n, dh, b, j, off, cs, s, t, q, dk, ws, wd);
                colOct(n, dh, b, j, off, cs, s, t, dOut, dv, ws, wa);
            }
            for (; t + 3 < n; t += 4) {
                int t0 = off + t * b + j, t1 = t0 + b, t2 = t1 + b, t3 = t2 + b;
                int p0 = (t * (t + 1) / 2 + s) * b + j, p1 = p0 + (t + 1) * b, p2 = p1 + (t + 2) * b, p3 = p2 + (t + 3) * b;
                FloatVector g0 = FloatVector.fromArray(F, ws, wd + p0), g1 = FloatVector.fromArray(F, ws, wd + p1), g2 = FloatVector.fromArray(F, ws, wd + p2), g3 = FloatVector.fromArray(F, ws, wd + p3);
                FloatVector a0 = FloatVector.fromArray(F, ws, wa + p0), a1 = FloatVector.fromArray(F, ws, wa + p1), a2 = FloatVector.fromArray(F, ws, wa + p2), a3 = FloatVector.fromArray(F, ws, wa + p3);
                for (int c = 0, o = 0; c < dh; c++, o += nb) {
                    FloatVector kk = FloatVector.fromArray(F, dk, sk + o);
                    kk = g0.fma(FloatVector.fromArray(F, q, t0 + o), kk);
                    kk = g1.fma(FloatVector.fromArray(F, q, t1 + o), kk);
                    kk = g2.fma(FloatVector.fromArray(F, q, t2 + o), kk);
                    g3.fma(FloatVector.fromArray(F, q, t3 + o), kk).intoArray(dk, sk + o);
                    FloatVector vv = FloatVector.fromArray(F, dv, sk + o);
                    vv = a0.fma(FloatVector.fromArray(F, dOut, t0 + o), vv);
                    vv = a1.fma(FloatVector.fromArray(F, dOut, t1 + o), vv);
                    vv = a2.fma(FloatVector.fromArray(F, dOut, t2 + o), vv);
                    a3.fma(FloatVector.fromArray(F, dOut, t3 + o), vv).intoArray(dv, sk + o);
                }
            }
            for (; t < n; t++) {
                int t0 = off + t * b + j, p0 = (t * (t + 1) / 2 + s) * b + j;
                FloatVector g0 = FloatVector.fromArray(F, ws, wd + p0), a0 = FloatVector.fromArray(F, ws, wa + p0);
                for (int c = 0, o = 0; c < dh; c++, o += nb) {
                    g0.fma(FloatVector.fromArray(F, q, t0 + o), FloatVector.fromArray(F, dk, sk + o)).intoArray(dk, sk + o);
                    a0.fma(FloatVector.fromArray(F, dOut, t0 + o), FloatVector.fromArray(F, dv, sk + o)).intoArray(dv, sk + o);
                }
            }
        }
    }

    /**
     * {@code y_s += sum_{t'=t}^{t+7} w[t',s] x_t'} for pass 2 (dk: w = dS, x = q; dv: w = alpha,
     * x = dOut), the workspace weights at {@code wOff}: one load and store of y per eight FMAs.
     */
    private static void colOct(int n, int dh, int b, int j, int off, int cs, int s, int t, float[] x, float[] y, float[] ws, int wOff) {
        int sk = off + s * b + j, t0 = off + t * b + j;
        int p0 = wOff + (t * (t + 1) / 2 + s) * b + j, p1 = p0 + (t + 1) * b, p2 = p1 + (t + 2) * b, p3 = p2 + (t + 3) * b;
        int p4 = p3 + (t + 4) * b, p5 = p4 + (t + 5) * b, p6 = p5 + (t + 6) * b, p7 = p6 + (t + 7) * b;
        FloatVector w0 = FloatVector.fromArray(F, ws, p0), w1 = FloatVector.fromArray(F, ws, p1);
        FloatVector w2 = FloatVector.fromArray(F, ws, p2), w3 = FloatVector.fromArray(F, ws, p3);
        FloatVector w4 = FloatVector.fromArray(F, ws, p4), w5 = FloatVector.fromArray(F, ws, p5);
        FloatVector w6 = FloatVector.fromArray(F, ws, p6), w7 = FloatVector.fromArray(F, ws, p7);
        for (int c = 0, o = 0; c < dh; c++, o += cs) {
            int xo = t0 + o;
            FloatVector acc = FloatVector.fromArray(F, y, sk + o);
            acc = w0.fma(FloatVector.fromArray(F, x, xo), acc);
            acc = w1.fma(FloatVector.fromArray(F, x, xo + b), acc);
            acc = w2.fma(FloatVector.fromArray(F, x, xo + 2 * b), acc);
            acc = w3.fma(FloatVector.fromArray(F, x, xo + 3 * b), acc);
            acc = w4.fma(FloatVector.fromArray(F, x, xo + 4 * b), acc);
            acc = w5.fma(FloatVector.fromArray(F, x, xo + 5 * b), acc);
            acc = w6.fma(FloatVector.fromArray(F, x, xo + 6 * b), acc);
            w7.fma(FloatVector.fromArray(F, x, xo + 7 * b), acc).intoArray(y, sk + o);
        }
    }
}
