package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.KernelOptions;
import dev.onelayer.kernel.ScalarAttentionOps;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
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
 * <p><b>Two ways to gather.</b> With N &lt;= 2L the table g_b fits in two vectors, and the gather
 * becomes a two-vector permute ({@code rearrange} with a shuffle made from the tokens: one
 * {@code vpermt2ps} on AVX-512). Which is faster depends on the JDK, so it is chosen once, by
 * {@link #PERMUTE_GATHER}. Measured at B = 64, T = 500, N = 20 (bench/results/scb-gather): the
 * SCB SGD step takes 36.6 us (indexed) on JDK 17 and 35.1 -> 28.2 us (indexed -> permute) on
 * JDK 25; the whole form-5 backward with its hidden recomputed ({@code ScbReadoutBenchmark})
 * 36.5 us indexed and 96.3 us permuted on JDK 17, whose shuffles are built in Java, and
 * 32.9 / 28.8 us on JDK 25. Both move the same floats, so the bits do not depend on the choice.
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
    /** Int lanes of F's shape: L tokens per vector, so a shuffle for F comes from one load of them. */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);


    /**
     * Whether the backward's token gather runs as a two-vector permute (when N &lt;= 2L) rather than
     * an indexed gather; see the class comment. {@code auto} takes the permute from JDK 25 on (the
     * JDKs in between were not measured).
     */
    static final boolean PERMUTE_GATHER = permuteGather(KernelOptions.scbGather(), Runtime.version().feature());

    /** The choice ({@link KernelOptions#SCB_GATHER}: auto, indexed or permute) on a JDK of the given feature release. */
    static boolean permuteGather(String choice, int jdkFeature) {
        return "permute".equals(choice) || ("auto".equals(choice) && jdkFeature >= 25);
    }

    private VectorScbReadout() {
    }

    /** {@code y_b = V h_b}: V^T goes to {@code ws[vtOff, vtOff + N N)} so lanes run along the rows of y. */
    static void forward(int batch, int n, float[] v, float[] h, int hOff, float[] y, float[] ws, int vtOff) {
        ScalarAttentionOps.transposeInto(v, 0, n, n, ws, vtOff);
        rowCombinations(batch, n, ws, vtOff, h, hOff, y, 0);
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
        rowCombinations(batch, n, v, 0, dy, 0, ws, gOff); // G = dY V
        tokenGather(batch, seqLen, n, tokens, queries, ws, gOff, dAT, dATOff, PERMUTE_GATHER);
    }

    /**
     * {@code dA^T[q_b][t] += g_b[x_bt]} for every b in order, g_b at {@code ws[gOff + b N, + N)},
     * dA^T zeroed first; by indexed gathers, or, if {@code permute} and N &lt;= 2L, by permutes of
     * g_b held in two vectors. The same floats are added in the same order either way.
     */
    static void tokenGather(int batch, int seqLen, int n, int[] tokens, int[] queries, float[] ws, int gOff,
                            float[] dAT, int dATOff, boolean permute) {
        int tb = F.loopBound(seqLen);
        Arrays.fill(dAT, dATOff, dATOff + n * seqLen, 0f);
        for (int b = 0; b < batch; b++) {
            int row = dATOff + queries[b] * seqLen, tok = b * seqLen, g = gOff + b * n, t = 0;
            if (permute && n <= 2 * L) {
                // lanes past N stay 0 and are never selected (tokens are < N); a token x >= L is an
                // "exceptional" shuffle index, which rearrange(s, hi) reads from hi[x - L]
                FloatVector lo = FloatVector.fromArray(F, ws, g, F.indexInRange(0, n));
                FloatVector hi = n > L ? FloatVector.fromArray(F, ws, g + L, F.indexInRange(L, n)) : FloatVector.zero(F);
                for (; t < tb; t += L) {
                    VectorShuffle<Float> s = IntVector.fromArray(I, tokens, tok + t).toShuffle().cast(F);
                    lo.rearrange(s, hi).add(FloatVector.fromArray(F, dAT, row + t)).intoArray(dAT, row + t);
                }
            } else {
                for (; t < tb; t += L) {
                    FloatVector.fromArray(F, ws, g, tokens, tok + t).add(FloatVector.fromArray(F, dAT, row + t)).intoArray(dAT, row + t);
                }
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
     * {@code out_b[c] = sum_r M[r][c] x_b[r]} for every example b, with M the N x N row-major matrix
     * at {@code mOff}, x_b at {@code xOff + b N} and out_b at {@code outOff + b N}: each entry the fma
     * chain over r in order from 0 (the scalar code's chain, same bits). Lanes run along a row of M;
     * four examples share every load of it, and their four chains are independent, so the N-long
     * chains overlap. The forward readout is this with M = V^T, the backward's G = dY V with M = V.
     */
    private static void rowCombinations(int batch, int n, float[] m, int mOff, float[] x, int xOff, float[] out, int outOff) {
        int last = n - L, vecEnd = n >= L ? n : 0, b = 0; // overlapping blocks: see the class comment
        for (; b + 3 < batch; b += 4) {
            int x0 = xOff + b * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n, o = outOff + b * n;
            for (int c0 = 0; c0 < vecEnd; c0 += L) {
                int c = Math.min(c0, last);
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int r = 0; r < n; r++) {
                    FloatVector mr = FloatVector.fromArray(F, m, mOff + r * n + c);
                    a0 = mr.fma(FloatVector.broadcast(F, x[x0 + r]), a0);
                    a1 = mr.fma(FloatVector.broadcast(F, x[x1 + r]), a1);
                    a2 = mr.fma(FloatVector.broadcast(F, x[x2 + r]), a2);
                    a3 = mr.fma(FloatVector.broadcast(F, x[x3 + r]), a3);
                }
                a0.intoArray(out, o + c);
                a1.intoArray(out, o + n + c);
                a2.intoArray(out, o + 2 * n + c);
                a3.intoArray(out, o + 3 * n + c);
            }
            for (int c = vecEnd; c < n; c++) {
                float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
                for (int r = 0; r < n; r++) {
                    float mrc = m[mOff + r * n + c];
                    a0 = Math.fma(mrc, x[x0 + r], a0);
                    a1 = Math.fma(mrc, x[x1 + r], a1);
                    a2 = Math.fma(mrc, x[x2 + r], a2);
                    a3 = Math.fma(mrc, x[x3 + r], a3);
                }
                out[o + c] = a0;
                out[o + n + c] = a1;
                out[o + 2 * n + c] = a2;
                out[o + 3 * n + c] = a3;
            }
        }
        for (; b < batch; b++) {
            int xo = xOff + b * n, o = outOff + b * n;
            for (int c0 = 0; c0 < vecEnd; c0 += L) {
                int c = Math.min(c0, last);
                FloatVector acc = FloatVector.zero(F);
                for (int r = 0; r < n; r++) {
                    acc = FloatVector.fromArray(F, m, mOff + r * n + c).fma(FloatVector.broadcast(F, x[xo + r]), acc);
                }
                acc.intoArray(out, o + c);
            }
            for (int c = vecEnd; c < n; c++) {
                float acc = 0f;
                for (int r = 0; r < n; r++) acc = Math.fma(m[mOff + r * n + c], x[xo + r], acc);
                out[o + c] = acc;
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
