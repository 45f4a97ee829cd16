package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.ScalarAttentionOps;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form 5 (the SCB reduced readout {@code y_b = V X_b A e_{q_b}}, Ren, Wang, Lee 2024,
 * scb.md 2) from the hidden {@code h_b = X_b A e_{q_b}}: the dense N x N products with lanes along
 * a row of N, and the token scatter of the A gradient as a gather.
 *
 * <p>Why a gather: {@code dA[t][q_b] += g_b[x_bt]} is a scatter into column q_b of dA (stride N),
 * but read the other way round it is a gather from the N-entry table g_b into row q_b of dA^T,
 * contiguous in t; one {@code fromArray(.., tokens, ..)} gathers L positions. The forward gather
 * {@code h_b[x_bt] += A[t][q_b]} is a scatter-add into N bins, where one vector of tokens may hit a
 * bin twice; it stays scalar ({@code ScalarAttentionOps.scbHidden}).
 *
 * <p><b>Overlapping blocks.</b> with N = 20 a row is one 16-lane block and 4
 * left over, and the 4 as scalar fma chains cost about as much as the block. So when N >= L the
 * last block starts at N - L instead, overlapping the one before: the entries in the overlap are
 * computed twice by the same chain and stored twice with the same bits (inputs and outputs are
 * distinct arrays), and no scalar tail is left; the scalar loops only run when N &lt; L.
 *
 * <p>Every entry is computed by the same chain of operations as in the scalar code (fma chains
 * over the summed index in order, starting from 0; the scatter adds in batch order), so both
 * implementations give the same bits, independent of L.
 */
final class VectorScbReadout {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private VectorScbReadout() {
    }

    /** {@code y_b = V h_b}: V^T goes to {@code ws[vtOff, vtOff + N N)} so lanes run along the rows of y. */
    static void forward(int batch, int n, float[] v, float[] h, int hOff, float[] y, float[] ws, int vtOff) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) ws[vtOff + j * n + i] = v[i * n + j];
        }
        int last = n - L, vecEnd = n >= L ? n : 0, b = 0; // overlapping blocks: see the class comment
        // Four examples at a time: they share every load of V^T's rows, and their four fma chains
        // (each over j in order, as below) are independent, so the N-long chains overlap.
        for (; b + 3 < batch; b += 4) {
            int h0 = hOff + b * n, h1 = h0 + n, h2 = h1 + n, h3 = h2 + n, yo = b * n;
            for (int i0 = 0; i0 < vecEnd; i0 += L) {
                int i = Math.min(i0, last);
                FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                for (int j = 0; j < n; j++) {
                    FloatVector vt = FloatVector.fromArray(F, ws, vtOff + j * n + i);
                    c0 = vt.fma(FloatVector.broadcast(F, h[h0 + j]), c0);
                    c1 = vt.fma(FloatVector.broadcast(F, h[h1 + j]), c1);
                    c2 = vt.fma(FloatVector.broadcast(F, h[h2 + j]), c2);
                    c3 = vt.fma(FloatVector.broadcast(F, h[h3 + j]), c3);
                }
                c0.intoArray(y, yo + i);
                c1.intoArray(y, yo + n + i);
                c2.intoArray(y, yo + 2 * n + i);
                c3.intoArray(y, yo + 3 * n + i);
            }
            for (int i = vecEnd; i < n; i++) {
                float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
                for (int j = 0; j < n; j++) {
                    float vij = v[i * n + j];
                    c0 = Math.fma(vij, h[h0 + j], c0);
                    c1 = Math.fma(vij, h[h1 + j], c1);
                    c2 = Math.fma(vij, h[h2 + j], c2);
                    c3 = Math.fma(vij, h[h3 + j], c3);
                }
                y[yo + i] = c0;
                y[yo + n + i] = c1;
                y[yo + 2 * n + i] = c2;
                y[yo + 3 * n + i] = c3;
            }
        }
        for (; b < batch; b++) {
            int ho = hOff + b * n, yo = b * n;
            for (int i0 = 0; i0 < vecEnd; i0 += L) {
                int i = Math.min(i0, last);
                FloatVector acc = FloatVector.zero(F);
                for (int j = 0; j < n; j++) {
                    acc = FloatVector.fromArray(F, ws, vtOff + j * n + i).fma(FloatVector.broadcast(F, h[ho + j]), acc);
                }
                acc.intoArray(y, yo + i);
            }
            for (int i = vecEnd; i < n; i++) {
                float acc = 0f;
                for (int j = 0; j < n; j++) acc = Math.fma(v[i * n + j], h[ho + j], acc);
                y[yo + i] = acc;
            }
        }
    }

    /**
     * {@code dV = dY^T H}, {@code G = dY V} into {@code ws[gOff, gOff + B N)}, dA^T into
     * {@code ws[gOff + B N, + N T)}, then dA.
     */
    static void backward(int batch, int seqLen, int n, float[] v, float[] h, int hOff, int[] tokens, int[] queries,
                         float[] dy, float[] dV, float[] dA, float[] ws, int gOff) {
        int at = gOff + batch * n;
        backwardTransposed(batch, seqLen, n, v, h, hOff, tokens, queries, dy, dV, ws, at, ws, gOff);
        ScalarAttentionOps.transposeInto(ws, at, n, seqLen, dA, 0); // dA[t][k] = dA^T[k][t]
    }

    /** {@code dV = dY^T H}, {@code G = dY V} into {@code ws[gOff, gOff + B N)}, dA^T into {@code dAT[dATOff, + N T)}. */
    static void backwardTransposed(int batch, int seqLen, int n, float[] v, float[] h, int hOff, int[] tokens, int[] queries,
                                   float[] dy, float[] dV, float[] dAT, int dATOff, float[] ws, int gOff) {
        dyTransposedProducts(batch, n, dy, h, hOff, dV);
        vTransposedProducts(batch, n, dy, v, ws, gOff);
        int tb = F.loopBound(seqLen);
        Arrays.fill(dAT, dATOff, dATOff + n * seqLen, 0f);
        for (int b = 0; b < batch; b++) {
            int row = dATOff + queries[b] * seqLen, tok = b * seqLen, g = gOff + b * n, t = 0;
            for (; t < tb; t += L) {
                FloatVector.fromArray(F, ws, g, tokens, tok + t).add(FloatVector.fromArray(F, dAT, row + t)).intoArray(dAT, row + t);
            }
            for (; t < seqLen; t++) dAT[row + t] += ws[g + tokens[tok + t]];
        }
    }

    /**
     * {@code dV[i][j] = sum_b dy[b][i] h_b[j]} (dY^T H), each the fma chain over b in order from 0.
     * Four rows of dV share every load of h_b, and their four chains are independent, so the
     * B-long chains do not serialise on the FMA latency.
     */
    private static void dyTransposedProducts(int batch, int n, float[] dy, float[] h, int hOff, float[] dV) {
        int last = n - L, vecEnd = n >= L ? n : 0, i = 0; // overlapping blocks: see the class comment
        for (; i + 3 < n; i += 4) {
            for (int j0 = 0; j0 < vecEnd; j0 += L) {
                int j = Math.min(j0, last);
                FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                for (int b = 0, d = i; b < batch; b++, d += n) {
                    FloatVector hv = FloatVector.fromArray(F, h, hOff + b * n + j);
                    c0 = hv.fma(FloatVector.broadcast(F, dy[d]), c0);
                    c1 = hv.fma(FloatVector.broadcast(F, dy[d + 1]), c1);
                    c2 = hv.fma(FloatVector.broadcast(F, dy[d + 2]), c2);
                    c3 = hv.fma(FloatVector.broadcast(F, dy[d + 3]), c3);
                }
                c0.intoArray(dV, i * n + j);
                c1.intoArray(dV, (i + 1) * n + j);
                c2.intoArray(dV, (i + 2) * n + j);
                c3.intoArray(dV, (i + 3) * n + j);
            }
            for (int j = vecEnd; j < n; j++) {
                float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
                for (int b = 0, d = i; b < batch; b++, d += n) {
                    float hj = h[hOff + b * n + j];
                    c0 = Math.fma(dy[d], hj, c0);
                    c1 = Math.fma(dy[d + 1], hj, c1);
                    c2 = Math.fma(dy[d + 2], hj, c2);
                    c3 = Math.fma(dy[d + 3], hj, c3);
                }
                dV[i * n + j] = c0;
                dV[(i + 1) * n + j] = c1;
                dV[(i + 2) * n + j] = c2;
                dV[(i + 3) * n + j] = c3;
            }
        }
        for (; i < n; i++) {
            for (int j0 = 0; j0 < vecEnd; j0 += L) {
                int j = Math.min(j0, last);
                FloatVector c = FloatVector.zero(F);
                for (int b = 0; b < batch; b++) {
                    c = FloatVector.fromArray(F, h, hOff + b * n + j).fma(FloatVector.broadcast(F, dy[b * n + i]), c);
                }
                c.intoArray(dV, i * n + j);
            }
            for (int j = vecEnd; j < n; j++) {
                float c = 0f;
                for (int b = 0; b < batch; b++) c = Math.fma(dy[b * n + i], h[hOff + b * n + j], c);
                dV[i * n + j] = c;
            }
        }
    }

    /**
     * {@code G[b][j] = sum_i dy[b][i] V[i][j]} (dY V) into {@code g[gOff, gOff + B N)}, each the fma
     * chain over i in order from 0; four examples share every load of V's rows.
     */
    private static void vTransposedProducts(int batch, int n, float[] dy, float[] v, float[] g, int gOff) {
        int last = n - L, vecEnd = n >= L ? n : 0, b = 0; // overlapping blocks: see the class comment
        for (; b + 3 < batch; b += 4) {
            int d0 = b * n, d1 = d0 + n, d2 = d1 + n, d3 = d2 + n, go = gOff + b * n;
            for (int j0 = 0; j0 < vecEnd; j0 += L) {
                int j = Math.min(j0, last);
                FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                for (int i = 0; i < n; i++) {
                    FloatVector vr = FloatVector.fromArray(F, v, i * n + j);
                    c0 = vr.fma(FloatVector.broadcast(F, dy[d0 + i]), c0);
                    c1 = vr.fma(FloatVector.broadcast(F, dy[d1 + i]), c1);
                    c2 = vr.fma(FloatVector.broadcast(F, dy[d2 + i]), c2);
                    c3 = vr.fma(FloatVector.broadcast(F, dy[d3 + i]), c3);
                }
                c0.intoArray(g, go + j);
                c1.intoArray(g, go + n + j);
                c2.intoArray(g, go + 2 * n + j);
                c3.intoArray(g, go + 3 * n + j);
            }
            for (int j = vecEnd; j < n; j++) {
                float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
                for (int i = 0; i < n; i++) {
                    float vij = v[i * n + j];
                    c0 = Math.fma(dy[d0 + i], vij, c0);
                    c1 = Math.fma(dy[d1 + i], vij, c1);
                    c2 = Math.fma(dy[d2 + i], vij, c2);
                    c3 = Math.fma(dy[d3 + i], vij, c3);
                }
                g[go + j] = c0;
                g[go + n + j] = c1;
                g[go + 2 * n + j] = c2;
                g[go + 3 * n + j] = c3;
            }
        }
        for (; b < batch; b++) {
            int go = gOff + b * n;
            for (int j0 = 0; j0 < vecEnd; j0 += L) {
                int j = Math.min(j0, last);
                FloatVector c = FloatVector.zero(F);
                for (int i = 0; i < n; i++) {
                    c = FloatVector.fromArray(F, v, i * n + j).fma(FloatVector.broadcast(F, dy[b * n + i]), c);
                }
                c.intoArray(g, go + j);
            }
            for (int j = vecEnd; j < n; j++) {
                float c = 0f;
                for (int i = 0; i < n; i++) c = Math.fma(dy[b * n + i], v[i * n + j], c);
                g[go + j] = c;
            }
        }
    }

    /**
     * Whether all {@code idx[0, n)} lie in {@code [0, bound)}: the sign bit of {@code x | (bound - 1 - x)},
     * tested per vector inside the loop. Why not an OR accumulator reduced after the loop: that one
     * cold reduction (reduceLanes, or a compare on the accumulator) is not inlined by C2 on JDK 17,
     * runs as boxed Java code and cost more than the loop (profiled: ~10% of an SCB SGD step).
     */
    static boolean indicesInRange(int[] idx, int n, int bound) {
        IntVector top = IntVector.broadcast(I, bound - 1);
        int i = 0, li = I.length(), ub = I.loopBound(n);
        // four vectors OR-ed per test: the sign bit survives the OR, and the test is a quarter as often
        for (; i + 4 * li <= n; i += 4 * li) {
            IntVector x0 = IntVector.fromArray(I, idx, i), x1 = IntVector.fromArray(I, idx, i + li);
            IntVector x2 = IntVector.fromArray(I, idx, i + 2 * li), x3 = IntVector.fromArray(I, idx, i + 3 * li);
            IntVector bad = x0.or(top.sub(x0)).or(x1.or(top.sub(x1))).or(x2.or(top.sub(x2))).or(x3.or(top.sub(x3)));
            if (bad.lt(0).anyTrue()) return false;
        }
        for (; i < ub; i += li) {
            IntVector x = IntVector.fromArray(I, idx, i);
            if (x.or(top.sub(x)).lt(0).anyTrue()) return false;
        }
        int bad = 0;
        for (; i < n; i++) bad |= idx[i] | (bound - 1 - idx[i]);
        return bad >= 0;
    }
}
