package dev.onelayer.kernel.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
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
        int ub = F.loopBound(n);
        for (int b = 0; b < batch; b++) {
            int ho = hOff + b * n, yo = b * n, i = 0;
            for (; i < ub; i += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int j = 0; j < n; j++) {
                    acc = FloatVector.fromArray(F, ws, vtOff + j * n + i).fma(FloatVector.broadcast(F, h[ho + j]), acc);
                }
                acc.intoArray(y, yo + i);
            }
            for (; i < n; i++) {
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
        // dV accumulates in memory, example by example (as the scalar axpys do): N^2 independent
        // sums instead of N rows of chains B fmas long, which would be latency-bound.
        int ub = F.loopBound(n);
        Arrays.fill(dV, 0, n * n, 0f);
        for (int b = 0; b < batch; b++) {
            int ho = hOff + b * n;
            for (int i = 0; i < n; i++) {
                FloatVector d = FloatVector.broadcast(F, dy[b * n + i]);
                int row = i * n, j = 0;
                for (; j < ub; j += L) {
                    FloatVector.fromArray(F, h, ho + j).fma(d, FloatVector.fromArray(F, dV, row + j)).intoArray(dV, row + j);
                }
                for (; j < n; j++) dV[row + j] = Math.fma(dy[b * n + i], h[ho + j], dV[row + j]);
            }
        }
        for (int b = 0; b < batch; b++) {
            int go = gOff + b * n, j = 0;
            for (; j < ub; j += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int i = 0; i < n; i++) {
                    acc = FloatVector.fromArray(F, v, i * n + j).fma(FloatVector.broadcast(F, dy[b * n + i]), acc);
                }
                acc.intoArray(ws, go + j);
            }
            for (; j < n; j++) {
                float acc = 0f;
                for (int i = 0; i < n; i++) acc = Math.fma(dy[b * n + i], v[i * n + j], acc);
                ws[go + j] = acc;
            }
        }
        int at = gOff + batch * n, tb = F.loopBound(seqLen);
        Arrays.fill(ws, at, at + n * seqLen, 0f);
        for (int b = 0; b < batch; b++) {
            int row = at + queries[b] * seqLen, tok = b * seqLen, g = gOff + b * n, t = 0;
            for (; t < tb; t += L) {
                FloatVector.fromArray(F, ws, g, tokens, tok + t).add(FloatVector.fromArray(F, ws, row + t)).intoArray(ws, row + t);
            }
            for (; t < seqLen; t++) ws[row + t] += ws[g + tokens[tok + t]];
        }
        // dA[t][k] = dA^T[k][t], in blocks of 16 positions so the written rows stay in cache.
        for (int t0 = 0; t0 < seqLen; t0 += 16) {
            int t1 = Math.min(seqLen, t0 + 16);
            for (int k = 0; k < n; k++) {
                int so = at + k * seqLen;
                for (int t = t0; t < t1; t++) dA[t * n + k] = ws[so + t];
            }
        }
    }

    /** Whether all {@code idx[0, n)} lie in {@code [0, bound)}: the sign bit of {@code x | (bound - 1 - x)}, OR-ed. */
    static boolean indicesInRange(int[] idx, int n, int bound) {
        IntVector top = IntVector.broadcast(I, bound - 1), acc = IntVector.zero(I);
        int i = 0, ub = I.loopBound(n);
        for (; i < ub; i += I.length()) {
            IntVector x = IntVector.fromArray(I, idx, i);
            acc = acc.or(x.or(top.sub(x)));
        }
        int bad = acc.reduceLanes(VectorOperators.OR); // OR is exact and order-free
        for (; i < n; i++) bad |= idx[i] | (bound - 1 - idx[i]);
        return bad >= 0;
    }
}
