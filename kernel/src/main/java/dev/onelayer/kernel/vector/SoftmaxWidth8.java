package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax attention (form 4) for head width dk = dv = 8, the Markov theory model's shape
 * (Makkuva et al. 2024, Section 3, d = 8): {@code out_t = Σ_j p_tj v_j},
 * {@code p_tj = exp(s_tj − lse_t)}, {@code s_tj = scale q_t·k_j}, and its backward
 * {@code ds_tj = p_tj (dOut_t·v_j − D_t)}, {@code dq_t = scale Σ_j ds_tj k_j},
 * {@code dk_j = scale Σ_t ds_tj q_t}, {@code dv_j = Σ_t p_tj dOut_t}.
 *
 * <p>Why a width-8 path: with the width fixed, the eight query (or upstream-gradient) components
 * are broadcast once per loop and eight output (or dq) accumulators stay in registers across a
 * key block, lanes running along keys of the transposed K and V ({@code kT[c][j]}, ld = T
 * padded). The generic kernels in {@link VectorAttentionOps} loop over the width at run time and
 * so pass every key block through memory several times (scores, max, exp, weighted sum), each
 * pass with a per-block lane reduction. Here:
 * <ul>
 *   <li>forward, per row and key block: scores with their max; then exp, lane sums and the
 *       weighted sum of V in one loop;</li>
 *   <li>backward, per pair of rows and key block: p; dp, ds and dv; dq; dk, with each key
 *       vector of K, V, dK, dV loaded once for both rows;</li>
 *   <li>rows are processed in tiles (8 forward, 16 backward) that sweep the keys block by block,
 *       so a block of K, V (and dK, dV) is read into L1 once per tile rather than once per row
 *       (a row of T = 1024 touches 64 KB of K and V, 128 KB with dK and dV: more than L1);</li>
 *   <li>every loop is a small method with its accumulators loaded from and stored to the
 *       workspace at its ends: a method holding a whole row (or an exp inside a score loop)
 *       outgrows C2's inlining budget, and its Vector API calls then run as plain Java.</li>
 * </ul>
 * For every key the contributions arrive in row order and every lane sums its keys in order
 * whatever the tiling and pairing, which therefore change no bit.
 *
 * <p>A row's last, partial key vector is computed in full width with the loaded keys and values
 * of lanes past the row's end replaced by 0 and their probabilities by 0, so those lanes add
 * exact zeros (no scalar tail, no masked memory access, and no dependence on later tokens).
 * Lane sums are taken left to right ({@link VectorAttentionOps} does the same), so results are the
 * same bits on every call, JIT tier and thread count. Numerically each pair sees the same
 * operations as in the generic kernel: a dot product as an FMA chain over c, a scale, a shift by
 * the row maximum (or lse), {@link Lanes#expNonPositive}.
 */
final class SoftmaxWidth8 {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;
    private static final int BK = AttentionOps.KEY_BLOCK;
    static final int WIDTH = 8;
    private static final int ROW_TILE = AttentionOps.SOFTMAX_ROW_TILE;
    /** Rows per forward tile: their state (10 L floats each) fits where the backward keeps dq (8 L per row). */
    private static final int FORWARD_ROWS = ROW_TILE / 2;
    private static final float[] IOTA = new float[L];

    static {
        for (int i = 0; i < L; i++) IOTA[i] = i;
    }

    private SoftmaxWidth8() {
    }

    /**
     * Whether this path applies: dk = dv = 8, a partial key vector stays inside a transposed row,
     * and the workspace from {@code tmp} on holds the lane scratch and the dq lanes of a row tile.
     */
    static boolean applies(SoftmaxAttentionSpec sp, int ld, int tmp) {
        return sp.dk() == WIDTH && sp.dv() == WIDTH && ld - sp.seqLen() >= L && BK % (2 * L) == 0
                && (long) sp.workspaceFloats() - tmp >= ((long) ROW_TILE * WIDTH + 1) * L;
    }

    /** Lanes at or past {@code rem} (the keys beyond a row's end in its last, partial vector). */
    private static VectorMask<Float> beyond(int rem) {
        return FloatVector.fromArray(F, IOTA, 0).compare(VectorOperators.GE, (float) rem);
    }

    /** [T][8] to [8][ld] with the columns T..ld−1 set to 0 (read by partial key vectors). */
    static void transposePadded(float[] src, int sOff, int T, float[] ws, int off, int ld) {
        VectorAttentionOps.transpose(src, sOff, T, WIDTH, ws, off, ld);
        for (int c = 0; c < WIDTH; c++) Arrays.fill(ws, off + c * ld + T, off + (c + 1) * ld, 0f);
    }

    /** Sum of L lanes stored at tmp[off..], left to right. */
    private static float sumLanes(float[] tmp, int off) {
        float s = tmp[off];
        for (int i = 1; i < L; i++) s += tmp[off + i];
        return s;
    }

    // ---------------------------------------------------------------- forward

    /**
     * Forward of every (batch, head). Workspace offsets: kT, vT ([8][ld] each), buf (BK floats),
     * tmp (L floats, then the online-softmax state of a row tile, FORWARD_ROWS·10·L).
     */
    static void forward(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] lse,
                        float[] ws, int ld, int kT, int vT, int buf, int tmp) {
        int T = sp.seqLen();
        float scale = sp.scale();
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int base = bh * T * WIDTH;
            transposePadded(k, base, T, ws, kT, ld);
            transposePadded(v, base, T, ws, vT, ld);
            // Tiles of FORWARD_ROWS rows sweep the keys block by block, so a block of K and V
            // (16 KB) is brought into L1 once per tile; each row keeps its online-softmax state
            // in the workspace meanwhile. Each row still sees its blocks in order: same bits.
            for (int t0 = 0; t0 < T; t0 += FORWARD_ROWS) {
                int t1 = Math.min(T, t0 + FORWARD_ROWS);
                if (sp.first(t0) == sp.first(t1 - 1)) {
                    forwardTile(sp, bh, t0, t1, q, ws, ld, kT, vT, buf, tmp, scale, out, lse);
                } else {
                    for (int t = t0; t < t1; t++) forwardTile(sp, bh, t, t + 1, q, ws, ld, kT, vT, buf, tmp, scale, out, lse);
                }
            }
        }
    }

    /**
     * Query rows [t0, t1), which share their first key: online softmax over key blocks. Per row
     * the state {@code [m][l lanes][a_0 lanes]..[a_7 lanes]} sits in the workspace after tmp. The
     * running max m only grows; when a block raises it, the lane sums l and the unnormalised
     * outputs a_c are rescaled by exp(m_old − m).
     */
    private static void forwardTile(SoftmaxAttentionSpec sp, int bh, int t0, int t1, float[] q, float[] ws, int ld, int kT,
                                    int vT, int buf, int tmp, float scale, float[] out, float[] lse) {
        int T = sp.seqLen(), lo = sp.first(t0), hiMax = sp.last(t1 - 1), st0 = tmp + L, per = (WIDTH + 2) * L;
        Arrays.fill(ws, st0, st0 + (t1 - t0) * per, 0f);
        for (int j0 = lo; j0 <= hiMax; j0 += BK) {
            for (int t = t0; t < t1; t++) {
                int hi = sp.last(t);
                if (j0 > hi) continue;
                int st = st0 + (t - t0) * per, acc = st + L, n = Math.min(BK, hi + 1 - j0);
                float bm = scores(q, (bh * T + t) * WIDTH, ws, kT, ld, j0, n, scale, buf, tmp);
                float m = ws[st];
                if (j0 == lo) {
                    m = bm;
                } else if (bm > m) {
                    float corr = ScalarMath.expNonPositive(m - bm);
                    for (int i = acc; i < acc + (WIDTH + 1) * L; i++) ws[i] *= corr;
                    m = bm;
                }
                ws[st] = m;
                int full = n - n % L;
                accumulate(ws, buf, vT + j0, ld, full, m, acc);
                if (full < n) accumulatePartial(ws, buf + full, vT + j0 + full, ld, n - full, m, acc);
            }
        }
        for (int t = t0; t < t1; t++) {
            int st = st0 + (t - t0) * per, acc = st + L, o = (bh * T + t) * WIDTH;
            float sum = sumLanes(ws, acc);
            float inv = 1f / sum;
            for (int c = 0; c < WIDTH; c++) out[o + c] = sumLanes(ws, acc + (c + 1) * L) * inv;
            lse[bh * T + t] = ws[st] + (float) StrictMath.log(sum);
        }
    }

    /**
     * Adds {@code e = exp(s − m)} of {@code full} keys (a multiple of L) to the lane sums and
     * {@code e v_c} to the output lanes in ws[acc..]. A small method on purpose: the accumulators
     * cross calls through the workspace, because a method with the whole row in it grows past
     * C2's inlining budget and its Vector API calls then run as plain Java.
     */
    private static void accumulate(float[] ws, int buf, int v, int ld, int full, float m, int acc) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector l = FloatVector.fromArray(F, ws, acc);
        FloatVector a0 = FloatVector.fromArray(F, ws, acc + L), a1 = FloatVector.fromArray(F, ws, acc + 2 * L);
        FloatVector a2 = FloatVector.fromArray(F, ws, acc + 3 * L), a3 = FloatVector.fromArray(F, ws, acc + 4 * L);
        FloatVector a4 = FloatVector.fromArray(F, ws, acc + 5 * L), a5 = FloatVector.fromArray(F, ws, acc + 6 * L);
        FloatVector a6 = FloatVector.fromArray(F, ws, acc + 7 * L), a7 = FloatVector.fromArray(F, ws, acc + 8 * L);
        for (int i = 0; i < full; i += L) {
            FloatVector e = Lanes.expNonPositive(FloatVector.fromArray(F, ws, buf + i).sub(mv));
            int c = v + i;
            l = l.add(e);
            a0 = e.fma(FloatVector.fromArray(F, ws, c), a0);
            a1 = e.fma(FloatVector.fromArray(F, ws, c + ld), a1);
            a2 = e.fma(FloatVector.fromArray(F, ws, c + 2 * ld), a2);
            a3 = e.fma(FloatVector.fromArray(F, ws, c + 3 * ld), a3);
            a4 = e.fma(FloatVector.fromArray(F, ws, c + 4 * ld), a4);
            a5 = e.fma(FloatVector.fromArray(F, ws, c + 5 * ld), a5);
            a6 = e.fma(FloatVector.fromArray(F, ws, c + 6 * ld), a6);
            a7 = e.fma(FloatVector.fromArray(F, ws, c + 7 * ld), a7);
        }
        l.intoArray(ws, acc);
        a0.intoArray(ws, acc + L);
        a1.intoArray(ws, acc + 2 * L);
        a2.intoArray(ws, acc + 3 * L);
        a3.intoArray(ws, acc + 4 * L);
        a4.intoArray(ws, acc + 5 * L);
        a5.intoArray(ws, acc + 6 * L);
        a6.intoArray(ws, acc + 7 * L);
        a7.intoArray(ws, acc + 8 * L);
    }

    /**
     * The row's last, partial key vector (rem < L keys): its scores past rem are -inf (exp gives
     * exactly 0) and its values there are replaced by 0, so those lanes add exact zeros.
     */
    private static void accumulatePartial(float[] ws, int buf, int v, int ld, int rem, float m, int acc) {
        VectorMask<Float> past = beyond(rem);
        FloatVector e = Lanes.expNonPositive(FloatVector.fromArray(F, ws, buf).sub(m));
        FloatVector.fromArray(F, ws, acc).add(e).intoArray(ws, acc);
        for (int c = 0; c < WIDTH; c++) {
            int a = acc + (c + 1) * L;
            e.fma(FloatVector.fromArray(F, ws, v + c * ld).blend(0f, past), FloatVector.fromArray(F, ws, a)).intoArray(ws, a);
        }
    }

    /**
     * {@code buf[i] = scale q·k_{j0+i}} for the n keys of a block (n >= 1), -inf in the lanes past
     * n of the last vector; returns the maximum (exact, so its order does not matter).
     */
    private static float scores(float[] q, int qo, float[] ws, int kT, int ld, int j0, int n, float scale,
                                int buf, int tmp) {
        FloatVector q0 = FloatVector.broadcast(F, q[qo]), q1 = FloatVector.broadcast(F, q[qo + 1]);
        FloatVector q2 = FloatVector.broadcast(F, q[qo + 2]), q3 = FloatVector.broadcast(F, q[qo + 3]);
        FloatVector q4 = FloatVector.broadcast(F, q[qo + 4]), q5 = FloatVector.broadcast(F, q[qo + 5]);
        FloatVector q6 = FloatVector.broadcast(F, q[qo + 6]), q7 = FloatVector.broadcast(F, q[qo + 7]);
        FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int r = kT + j0;
        int full = n - n % L, i = 0;
        for (; i < full; i += L) {
            int c = r + i;
            FloatVector s = FloatVector.fromArray(F, ws, c).mul(q0);
            s = FloatVector.fromArray(F, ws, c + ld).fma(q1, s);
            s = FloatVector.fromArray(F, ws, c + 2 * ld).fma(q2, s);
            s = FloatVector.fromArray(F, ws, c + 3 * ld).fma(q3, s);
            s = FloatVector.fromArray(F, ws, c + 4 * ld).fma(q4, s);
            s = FloatVector.fromArray(F, ws, c + 5 * ld).fma(q5, s);
            s = FloatVector.fromArray(F, ws, c + 6 * ld).fma(q6, s);
            s = FloatVector.fromArray(F, ws, c + 7 * ld).fma(q7, s).mul(scale);
            s.intoArray(ws, buf + i);
            // compare + blend: two instructions where max() with Java's NaN rules is several.
            mx = mx.blend(s, s.compare(VectorOperators.GT, mx));
        }
        if (i < n) {
            int c = r + i;
            FloatVector s = FloatVector.fromArray(F, ws, c).mul(q0);
            s = FloatVector.fromArray(F, ws, c + ld).fma(q1, s);
            s = FloatVector.fromArray(F, ws, c + 2 * ld).fma(q2, s);
            s = FloatVector.fromArray(F, ws, c + 3 * ld).fma(q3, s);
            s = FloatVector.fromArray(F, ws, c + 4 * ld).fma(q4, s);
            s = FloatVector.fromArray(F, ws, c + 5 * ld).fma(q5, s);
            s = FloatVector.fromArray(F, ws, c + 6 * ld).fma(q6, s);
            s = FloatVector.fromArray(F, ws, c + 7 * ld).fma(q7, s).mul(scale);
            s.intoArray(ws, buf + i);
        }
        mx.intoArray(ws, tmp);
        float m = ws[tmp];
        for (int j = 1; j < L; j++) m = Math.max(m, ws[tmp + j]);
        for (int j = full; j < n; j++) m = Math.max(m, ws[buf + j]);
        if (full < n) Arrays.fill(ws, buf + n, buf + full + L, Float.NEGATIVE_INFINITY);
        return m;
    }

    // ---------------------------------------------------------------- backward

    /**
     * Backward of every (batch, head). Workspace offsets: kT, vT, dkT, dvT ([8][ld] each), bufP,
     * bufDs (BK floats each), tmp (L floats, then the dq lanes of a row tile, ROW_TILE·8·L).
     */
    static void backward(SoftmaxAttentionSpec sp, float[] q, float[] k, float[] v, float[] out, float[] lse, float[] dOut,
                         float[] dq, float[] dk, float[] dv, float[] ws, int ld, int kT, int vT, int dkT, int dvT,
                         int bufP, int bufDs, int tmp) {
        int T = sp.seqLen();
        float scale = sp.scale();
        for (int bh = 0; bh < sp.batch() * sp.heads(); bh++) {
            int base = bh * T * WIDTH;
            transposePadded(k, base, T, ws, kT, ld);
            transposePadded(v, base, T, ws, vT, ld);
            Arrays.fill(ws, dkT, dkT + WIDTH * ld, 0f);
            Arrays.fill(ws, dvT, dvT + WIDTH * ld, 0f);
            // Tiles of ROW_TILE rows sweep the keys in blocks of BK/2, so a block of K, V, dK,
            // dV (16 KB) is brought into L1 once per tile instead of once per row. Within a
            // tile, rows go in pairs: each key vector then moves through the registers once for
            // two rows. For every key the contributions still arrive in row order and every dq
            // lane still sums its keys in order, so tiling and pairing change no bit.
            for (int t0 = 0; t0 < T; t0 += ROW_TILE) {
                int t1 = Math.min(T, t0 + ROW_TILE);
                if (sp.first(t0) == sp.first(t1 - 1)) {
                    backwardTile(sp, bh, t0, t1, q, out, lse, dOut, dq, ws, ld, kT, vT, dkT, dvT, bufP, bufDs, tmp, scale);
                } else {
                    // Rows with different first keys (a window): row by row over their own keys.
                    for (int t = t0; t < t1; t++) {
                        backwardTile(sp, bh, t, t + 1, q, out, lse, dOut, dq, ws, ld, kT, vT, dkT, dvT, bufP, bufDs, tmp, scale);
                    }
                }
            }
            VectorAttentionOps.untranspose(ws, dkT, T, WIDTH, ld, dk, base);
            VectorAttentionOps.untranspose(ws, dvT, T, WIDTH, ld, dv, base);
        }
    }

    private static float rowD(float[] dOut, float[] out, int o) {
        float d = 0f;
        for (int i = 0; i < WIDTH; i++) d = Math.fma(dOut[o + i], out[o + i], d);
        return d;
    }

    /**
     * The backward of query rows [t0, t1), which share their first key: dq of each, and their
     * contributions to dk, dv, block by block of BK/2 keys (the two BK buffers then hold p and ds
     * of two rows); rows in pairs, an odd last row alone.
     */
    private static void backwardTile(SoftmaxAttentionSpec sp, int bh, int t0, int t1, float[] q, float[] out, float[] lse,
                                     float[] dOut, float[] dq, float[] ws, int ld, int kT, int vT, int dkT, int dvT,
                                     int bufP, int bufDs, int tmp, float scale) {
        int T = sp.seqLen(), lo = sp.first(t0), hiMax = sp.last(t1 - 1), acc = tmp + L, half = BK / 2;
        Arrays.fill(ws, acc, acc + (t1 - t0) * WIDTH * L, 0f);
        for (int j0 = lo; j0 <= hiMax; j0 += half) {
            for (int t = t0; t < t1; ) {
                int accT = acc + (t - t0) * WIDTH * L;
                if (t + 1 < t1) {
                    int hiA = sp.last(t), hiB = sp.last(t + 1);
                    if (j0 <= hiB) {
                        pairBlock(bh * T + t, j0, Math.min(half, hiB + 1 - j0), Math.max(0, Math.min(half, hiA + 1 - j0)),
                                q, out, lse, dOut, ws, ld, kT, vT, dkT, dvT, bufP, bufDs, scale, accT, accT + WIDTH * L);
                    }
                    t += 2;
                } else {
                    int hi = sp.last(t);
                    if (j0 <= hi) rowBlock(bh * T + t, j0, Math.min(half, hi + 1 - j0), q, out, lse, dOut, ws, ld, kT, vT, dkT, dvT, bufP, bufDs, scale, accT);
                    t += 1;
                }
            }
        }
        for (int t = t0; t < t1; t++) {
            int o = (bh * T + t) * WIDTH, accT = acc + (t - t0) * WIDTH * L;
            for (int c = 0; c < WIDTH; c++) dq[o + c] = scale * sumLanes(ws, accT + c * L);
        }
    }

    /** Row {@code row} (of [B·H·T]) against keys [j0, j0 + n): dq lanes in ws[acc..], dk and dv of those keys. */
    private static void rowBlock(int row, int j0, int n, float[] q, float[] out, float[] lse, float[] dOut, float[] ws, int ld,
                                 int kT, int vT, int dkT, int dvT, int bufP, int bufDs, float scale, int acc) {
        int o = row * WIDTH, full = n - n % L;
        float d = rowD(dOut, out, o);
        probabilities(q, o, ws, kT, ld, j0, n, scale, lse[row], bufP);
        dsAndDv(dOut, o, d, ws, vT, dvT, ld, j0, full, bufP, bufDs);
        if (full < n) dsAndDvPartial(dOut, o, d, ws, vT + j0 + full, dvT + j0 + full, ld, n - full, bufP + full, bufDs + full);
        dqAndDk(q, o, scale, ws, kT + j0, dkT + j0, ld, full, bufDs, acc);
        if (full < n) dqAndDkPartial(q, o, scale, ws, kT + j0 + full, dkT + j0 + full, ld, n - full, bufDs + full, acc);
    }

    /**
     * Rows a = {@code row} and b = row + 1 against keys [j0, j0 + n), row a's valid up to nA <= n.
     * The key vectors where both rows have full vectors go through the paired loops; row a's
     * partial vector and row b's keys after row a's last full vector go through the single-row
     * code, a before b.
     */
    private static void pairBlock(int row, int j0, int n, int nA, float[] q, float[] out, float[] lse, float[] dOut,
                                  float[] ws, int ld, int kT, int vT, int dkT, int dvT, int bufP, int bufDs, float scale,
                                  int accA, int accB) {
        int oa = row * WIDTH, ob = oa + WIDTH, half = BK / 2, pa = bufP, pb = bufP + half, sa = bufDs, sb = bufDs + half;
        float da = rowD(dOut, out, oa), db = rowD(dOut, out, ob);
        int fullA = nA - nA % L;
        probabilities2(q, oa, ob, ws, kT + j0, ld, n, nA, scale, lse[row], lse[row + 1], pa, pb);
        dsAndDv2(dOut, oa, ob, da, db, ws, vT + j0, dvT + j0, ld, fullA, pa, pb, sa, sb);
        dq2(ws, kT + j0, ld, fullA, sa, sb, accA, accB);
        dk2(q, oa, ob, scale, ws, dkT + j0, ld, fullA, sa, sb);
        if (fullA < nA) {
            int j = j0 + fullA, rem = nA - fullA;
            dsAndDvPartial(dOut, oa, da, ws, vT + j, dvT + j, ld, rem, pa + fullA, sa + fullA);
            dqAndDkPartial(q, oa, scale, ws, kT + j, dkT + j, ld, rem, sa + fullA, accA);
        }
        if (fullA < n) {
            int m = n - fullA, fb = m - m % L, j = j0 + fullA;
            dsAndDv(dOut, ob, db, ws, vT, dvT, ld, j, fb, pb + fullA, sb + fullA);
            if (fb < m) dsAndDvPartial(dOut, ob, db, ws, vT + j + fb, dvT + j + fb, ld, m - fb, pb + fullA + fb, sb + fullA + fb);
            dqAndDk(q, ob, scale, ws, kT + j, dkT + j, ld, fb, sb + fullA, accB);
            if (fb < m) dqAndDkPartial(q, ob, scale, ws, kT + j + fb, dkT + j + fb, ld, m - fb, sb + fullA + fb, accB);
        }
    }

    /** {@link #probabilities} of rows a and b over the same n keys (row a's valid up to nA), sharing the key loads. */
    private static void probabilities2(float[] q, int oa, int ob, float[] ws, int k, int ld, int n, int nA, float scale,
                                       float lseA, float lseB, int pa, int pb) {
        FloatVector a0 = FloatVector.broadcast(F, q[oa]), a1 = FloatVector.broadcast(F, q[oa + 1]);
        FloatVector a2 = FloatVector.broadcast(F, q[oa + 2]), a3 = FloatVector.broadcast(F, q[oa + 3]);
        FloatVector a4 = FloatVector.broadcast(F, q[oa + 4]), a5 = FloatVector.broadcast(F, q[oa + 5]);
        FloatVector a6 = FloatVector.broadcast(F, q[oa + 6]), a7 = FloatVector.broadcast(F, q[oa + 7]);
        FloatVector b0 = FloatVector.broadcast(F, q[ob]), b1 = FloatVector.broadcast(F, q[ob + 1]);
        FloatVector b2 = FloatVector.broadcast(F, q[ob + 2]), b3 = FloatVector.broadcast(F, q[ob + 3]);
        FloatVector b4 = FloatVector.broadcast(F, q[ob + 4]), b5 = FloatVector.broadcast(F, q[ob + 5]);
        FloatVector b6 = FloatVector.broadcast(F, q[ob + 6]), b7 = FloatVector.broadcast(F, q[ob + 7]);
        for (int i = 0; i < n; i += L) {
            int c = k + i;
            FloatVector kc = FloatVector.fromArray(F, ws, c);
            FloatVector sa = kc.mul(a0), sb = kc.mul(b0);
            kc = FloatVector.fromArray(F, ws, c + ld);
            sa = kc.fma(a1, sa);
            sb = kc.fma(b1, sb);
            kc = FloatVector.fromArray(F, ws, c + 2 * ld);
            sa = kc.fma(a2, sa);
            sb = kc.fma(b2, sb);
            kc = FloatVector.fromArray(F, ws, c + 3 * ld);
            sa = kc.fma(a3, sa);
            sb = kc.fma(b3, sb);
            kc = FloatVector.fromArray(F, ws, c + 4 * ld);
            sa = kc.fma(a4, sa);
            sb = kc.fma(b4, sb);
            kc = FloatVector.fromArray(F, ws, c + 5 * ld);
            sa = kc.fma(a5, sa);
            sb = kc.fma(b5, sb);
            kc = FloatVector.fromArray(F, ws, c + 6 * ld);
            sa = kc.fma(a6, sa);
            sb = kc.fma(b6, sb);
            kc = FloatVector.fromArray(F, ws, c + 7 * ld);
            kc.fma(a7, sa).mul(scale).sub(lseA).intoArray(ws, pa + i);
            kc.fma(b7, sb).mul(scale).sub(lseB).intoArray(ws, pb + i);
        }
        expInPlace(ws, pa, n, nA);
        expInPlace(ws, pb, n, n);
    }

    /** {@link #dsAndDv} of rows a and b over {@code full} keys, sharing the loads of v and dv. */
    private static void dsAndDv2(float[] dOut, int oa, int ob, float da, float db, float[] ws, int v, int dv, int ld, int full,
                                 int pa, int pb, int sa, int sb) {
        FloatVector a0 = FloatVector.broadcast(F, dOut[oa]), a1 = FloatVector.broadcast(F, dOut[oa + 1]);
        FloatVector a2 = FloatVector.broadcast(F, dOut[oa + 2]), a3 = FloatVector.broadcast(F, dOut[oa + 3]);
        FloatVector a4 = FloatVector.broadcast(F, dOut[oa + 4]), a5 = FloatVector.broadcast(F, dOut[oa + 5]);
        FloatVector a6 = FloatVector.broadcast(F, dOut[oa + 6]), a7 = FloatVector.broadcast(F, dOut[oa + 7]);
        FloatVector b0 = FloatVector.broadcast(F, dOut[ob]), b1 = FloatVector.broadcast(F, dOut[ob + 1]);
        FloatVector b2 = FloatVector.broadcast(F, dOut[ob + 2]), b3 = FloatVector.broadcast(F, dOut[ob + 3]);
        FloatVector b4 = FloatVector.broadcast(F, dOut[ob + 4]), b5 = FloatVector.broadcast(F, dOut[ob + 5]);
        FloatVector b6 = FloatVector.broadcast(F, dOut[ob + 6]), b7 = FloatVector.broadcast(F, dOut[ob + 7]);
        for (int i = 0; i < full; i += L) {
            int c = v + i, e = dv + i;
            FloatVector vc = FloatVector.fromArray(F, ws, c);
            FloatVector dpa = vc.mul(a0), dpb = vc.mul(b0);
            vc = FloatVector.fromArray(F, ws, c + ld);
            dpa = vc.fma(a1, dpa);
            dpb = vc.fma(b1, dpb);
            vc = FloatVector.fromArray(F, ws, c + 2 * ld);
            dpa = vc.fma(a2, dpa);
            dpb = vc.fma(b2, dpb);
            vc = FloatVector.fromArray(F, ws, c + 3 * ld);
            dpa = vc.fma(a3, dpa);
            dpb = vc.fma(b3, dpb);
            vc = FloatVector.fromArray(F, ws, c + 4 * ld);
            dpa = vc.fma(a4, dpa);
            dpb = vc.fma(b4, dpb);
            vc = FloatVector.fromArray(F, ws, c + 5 * ld);
            dpa = vc.fma(a5, dpa);
            dpb = vc.fma(b5, dpb);
            vc = FloatVector.fromArray(F, ws, c + 6 * ld);
            dpa = vc.fma(a6, dpa);
            dpb = vc.fma(b6, dpb);
            vc = FloatVector.fromArray(F, ws, c + 7 * ld);
            dpa = vc.fma(a7, dpa);
            dpb = vc.fma(b7, dpb);
            FloatVector pA = FloatVector.fromArray(F, ws, pa + i), pB = FloatVector.fromArray(F, ws, pb + i);
            pA.mul(dpa.sub(da)).intoArray(ws, sa + i);
            pB.mul(dpb.sub(db)).intoArray(ws, sb + i);
            pB.fma(b0, pA.fma(a0, FloatVector.fromArray(F, ws, e))).intoArray(ws, e);
            pB.fma(b1, pA.fma(a1, FloatVector.fromArray(F, ws, e + ld))).intoArray(ws, e + ld);
            pB.fma(b2, pA.fma(a2, FloatVector.fromArray(F, ws, e + 2 * ld))).intoArray(ws, e + 2 * ld);
            pB.fma(b3, pA.fma(a3, FloatVector.fromArray(F, ws, e + 3 * ld))).intoArray(ws, e + 3 * ld);
            pB.fma(b4, pA.fma(a4, FloatVector.fromArray(F, ws, e + 4 * ld))).intoArray(ws, e + 4 * ld);
            pB.fma(b5, pA.fma(a5, FloatVector.fromArray(F, ws, e + 5 * ld))).intoArray(ws, e + 5 * ld);
            pB.fma(b6, pA.fma(a6, FloatVector.fromArray(F, ws, e + 6 * ld))).intoArray(ws, e + 6 * ld);
            pB.fma(b7, pA.fma(a7, FloatVector.fromArray(F, ws, e + 7 * ld))).intoArray(ws, e + 7 * ld);
        }
    }

    /** dq lanes of rows a and b ({@code += ds k}) over {@code full} keys, sharing the key loads. */
    private static void dq2(float[] ws, int k, int ld, int full, int sa, int sb, int accA, int accB) {
        FloatVector a0 = FloatVector.fromArray(F, ws, accA), a1 = FloatVector.fromArray(F, ws, accA + L);
        FloatVector a2 = FloatVector.fromArray(F, ws, accA + 2 * L), a3 = FloatVector.fromArray(F, ws, accA + 3 * L);
        FloatVector a4 = FloatVector.fromArray(F, ws, accA + 4 * L), a5 = FloatVector.fromArray(F, ws, accA + 5 * L);
        FloatVector a6 = FloatVector.fromArray(F, ws, accA + 6 * L), a7 = FloatVector.fromArray(F, ws, accA + 7 * L);
        FloatVector b0 = FloatVector.fromArray(F, ws, accB), b1 = FloatVector.fromArray(F, ws, accB + L);
        FloatVector b2 = FloatVector.fromArray(F, ws, accB + 2 * L), b3 = FloatVector.fromArray(F, ws, accB + 3 * L);
        FloatVector b4 = FloatVector.fromArray(F, ws, accB + 4 * L), b5 = FloatVector.fromArray(F, ws, accB + 5 * L);
        FloatVector b6 = FloatVector.fromArray(F, ws, accB + 6 * L), b7 = FloatVector.fromArray(F, ws, accB + 7 * L);
        for (int i = 0; i < full; i += L) {
            int c = k + i;
            FloatVector dsa = FloatVector.fromArray(F, ws, sa + i), dsb = FloatVector.fromArray(F, ws, sb + i);
            FloatVector kc = FloatVector.fromArray(F, ws, c);
            a0 = dsa.fma(kc, a0);
            b0 = dsb.fma(kc, b0);
            kc = FloatVector.fromArray(F, ws, c + ld);
            a1 = dsa.fma(kc, a1);
            b1 = dsb.fma(kc, b1);
            kc = FloatVector.fromArray(F, ws, c + 2 * ld);
            a2 = dsa.fma(kc, a2);
            b2 = dsb.fma(kc, b2);
            kc = FloatVector.fromArray(F, ws, c + 3 * ld);
            a3 = dsa.fma(kc, a3);
            b3 = dsb.fma(kc, b3);
            kc = FloatVector.fromArray(F, ws, c + 4 * ld);
            a4 = dsa.fma(kc, a4);
            b4 = dsb.fma(kc, b4);
            kc = FloatVector.fromArray(F, ws, c + 5 * ld);
            a5 = dsa.fma(kc, a5);
            b5 = dsb.fma(kc, b5);
            kc = FloatVector.fromArray(F, ws, c + 6 * ld);
            a6 = dsa.fma(kc, a6);
            b6 = dsb.fma(kc, b6);
            kc = FloatVector.fromArray(F, ws, c + 7 * ld);
            a7 = dsa.fma(kc, a7);
            b7 = dsb.fma(kc, b7);
        }
        a0.intoArray(ws, accA);
        a1.intoArray(ws, accA + L);
        a2.intoArray(ws, accA + 2 * L);
        a3.intoArray(ws, accA + 3 * L);
        a4.intoArray(ws, accA + 4 * L);
        a5.intoArray(ws, accA + 5 * L);
        a6.intoArray(ws, accA + 6 * L);
        a7.intoArray(ws, accA + 7 * L);
        b0.intoArray(ws, accB);
        b1.intoArray(ws, accB + L);
        b2.intoArray(ws, accB + 2 * L);
        b3.intoArray(ws, accB + 3 * L);
        b4.intoArray(ws, accB + 4 * L);
        b5.intoArray(ws, accB + 5 * L);
        b6.intoArray(ws, accB + 6 * L);
        b7.intoArray(ws, accB + 7 * L);
    }

    /** {@code dk += (scale ds_a) q_a}, then {@code += (scale ds_b) q_b}, over {@code full} keys. */
    private static void dk2(float[] q, int oa, int ob, float scale, float[] ws, int dk, int ld, int full, int sa, int sb) {
        FloatVector a0 = FloatVector.broadcast(F, q[oa]), a1 = FloatVector.broadcast(F, q[oa + 1]);
        FloatVector a2 = FloatVector.broadcast(F, q[oa + 2]), a3 = FloatVector.broadcast(F, q[oa + 3]);
        FloatVector a4 = FloatVector.broadcast(F, q[oa + 4]), a5 = FloatVector.broadcast(F, q[oa + 5]);
        FloatVector a6 = FloatVector.broadcast(F, q[oa + 6]), a7 = FloatVector.broadcast(F, q[oa + 7]);
        FloatVector b0 = FloatVector.broadcast(F, q[ob]), b1 = FloatVector.broadcast(F, q[ob + 1]);
        FloatVector b2 = FloatVector.broadcast(F, q[ob + 2]), b3 = FloatVector.broadcast(F, q[ob + 3]);
        FloatVector b4 = FloatVector.broadcast(F, q[ob + 4]), b5 = FloatVector.broadcast(F, q[ob + 5]);
        FloatVector b6 = FloatVector.broadcast(F, q[ob + 6]), b7 = FloatVector.broadcast(F, q[ob + 7]);
        FloatVector sv = FloatVector.broadcast(F, scale);
        for (int i = 0; i < full; i += L) {
            int e = dk + i;
            FloatVector xa = FloatVector.fromArray(F, ws, sa + i).mul(sv), xb = FloatVector.fromArray(F, ws, sb + i).mul(sv);
            xb.fma(b0, xa.fma(a0, FloatVector.fromArray(F, ws, e))).intoArray(ws, e);
            xb.fma(b1, xa.fma(a1, FloatVector.fromArray(F, ws, e + ld))).intoArray(ws, e + ld);
            xb.fma(b2, xa.fma(a2, FloatVector.fromArray(F, ws, e + 2 * ld))).intoArray(ws, e + 2 * ld);
            xb.fma(b3, xa.fma(a3, FloatVector.fromArray(F, ws, e + 3 * ld))).intoArray(ws, e + 3 * ld);
            xb.fma(b4, xa.fma(a4, FloatVector.fromArray(F, ws, e + 4 * ld))).intoArray(ws, e + 4 * ld);
            xb.fma(b5, xa.fma(a5, FloatVector.fromArray(F, ws, e + 5 * ld))).intoArray(ws, e + 5 * ld);
            xb.fma(b6, xa.fma(a6, FloatVector.fromArray(F, ws, e + 6 * ld))).intoArray(ws, e + 6 * ld);
            xb.fma(b7, xa.fma(a7, FloatVector.fromArray(F, ws, e + 7 * ld))).intoArray(ws, e + 7 * ld);
        }
    }

    /** {@code buf[i] = p = exp(min(scale q·k_{j0+i} − lse, 0))} for i < n, 0 up to the next multiple of L. */
    private static void probabilities(float[] q, int qo, float[] ws, int kT, int ld, int j0, int n, float scale,
                                      float rowLse, int buf) {
        FloatVector q0 = FloatVector.broadcast(F, q[qo]), q1 = FloatVector.broadcast(F, q[qo + 1]);
        FloatVector q2 = FloatVector.broadcast(F, q[qo + 2]), q3 = FloatVector.broadcast(F, q[qo + 3]);
        FloatVector q4 = FloatVector.broadcast(F, q[qo + 4]), q5 = FloatVector.broadcast(F, q[qo + 5]);
        FloatVector q6 = FloatVector.broadcast(F, q[qo + 6]), q7 = FloatVector.broadcast(F, q[qo + 7]);
        FloatVector lv = FloatVector.broadcast(F, rowLse);
        int r = kT + j0;
        for (int i = 0; i < n; i += L) {
            int c = r + i;
            FloatVector s = FloatVector.fromArray(F, ws, c).mul(q0);
            s = FloatVector.fromArray(F, ws, c + ld).fma(q1, s);
            s = FloatVector.fromArray(F, ws, c + 2 * ld).fma(q2, s);
            s = FloatVector.fromArray(F, ws, c + 3 * ld).fma(q3, s);
            s = FloatVector.fromArray(F, ws, c + 4 * ld).fma(q4, s);
            s = FloatVector.fromArray(F, ws, c + 5 * ld).fma(q5, s);
            s = FloatVector.fromArray(F, ws, c + 6 * ld).fma(q6, s);
            s = FloatVector.fromArray(F, ws, c + 7 * ld).fma(q7, s).mul(scale);
            s.sub(lv).intoArray(ws, buf + i);
        }
        expInPlace(ws, buf, n, n);
    }

    /**
     * {@code buf[i] = exp(min(buf[i], 0))} for i < n, then 0 from {@code valid} up to the next
     * multiple of L. Its own small loop: fused into the score loops, the exp pushed those
     * methods past C2's inlining budget and its blends ran as plain Java.
     */
    private static void expInPlace(float[] ws, int buf, int n, int valid) {
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(F, ws, buf + i);
            // min(x, 0) as compare + blend (min() with Java's NaN rules is several instructions).
            Lanes.expNonPositive(x.blend(0f, x.compare(VectorOperators.GT, 0f))).intoArray(ws, buf + i);
        }
        int end = (n + L - 1) / L * L;
        if (valid < end) Arrays.fill(ws, buf + Math.max(valid, 0), buf + end, 0f);
    }

    /** {@code bufDs[i] = p (dOut_t·v_{j0+i} − D)} and {@code dv_{j0+i} += p dOut_t} for {@code full} keys (a multiple of L). */
    private static void dsAndDv(float[] dOut, int o, float d, float[] ws, int vT, int dvT, int ld, int j0, int full,
                                int bufP, int bufDs) {
        FloatVector d0 = FloatVector.broadcast(F, dOut[o]), d1 = FloatVector.broadcast(F, dOut[o + 1]);
        FloatVector d2 = FloatVector.broadcast(F, dOut[o + 2]), d3 = FloatVector.broadcast(F, dOut[o + 3]);
        FloatVector d4 = FloatVector.broadcast(F, dOut[o + 4]), d5 = FloatVector.broadcast(F, dOut[o + 5]);
        FloatVector d6 = FloatVector.broadcast(F, dOut[o + 6]), d7 = FloatVector.broadcast(F, dOut[o + 7]);
        FloatVector dv = FloatVector.broadcast(F, d);
        for (int i = 0; i < full; i += L) {
            int c = vT + j0 + i, e = dvT + j0 + i;
            FloatVector p = FloatVector.fromArray(F, ws, bufP + i);
            FloatVector dp = FloatVector.fromArray(F, ws, c).mul(d0);
            dp = FloatVector.fromArray(F, ws, c + ld).fma(d1, dp);
            dp = FloatVector.fromArray(F, ws, c + 2 * ld).fma(d2, dp);
            dp = FloatVector.fromArray(F, ws, c + 3 * ld).fma(d3, dp);
            dp = FloatVector.fromArray(F, ws, c + 4 * ld).fma(d4, dp);
            dp = FloatVector.fromArray(F, ws, c + 5 * ld).fma(d5, dp);
            dp = FloatVector.fromArray(F, ws, c + 6 * ld).fma(d6, dp);
            dp = FloatVector.fromArray(F, ws, c + 7 * ld).fma(d7, dp);
            p.mul(dp.sub(dv)).intoArray(ws, bufDs + i);
            p.fma(d0, FloatVector.fromArray(F, ws, e)).intoArray(ws, e);
            p.fma(d1, FloatVector.fromArray(F, ws, e + ld)).intoArray(ws, e + ld);
            p.fma(d2, FloatVector.fromArray(F, ws, e + 2 * ld)).intoArray(ws, e + 2 * ld);
            p.fma(d3, FloatVector.fromArray(F, ws, e + 3 * ld)).intoArray(ws, e + 3 * ld);
            p.fma(d4, FloatVector.fromArray(F, ws, e + 4 * ld)).intoArray(ws, e + 4 * ld);
            p.fma(d5, FloatVector.fromArray(F, ws, e + 5 * ld)).intoArray(ws, e + 5 * ld);
            p.fma(d6, FloatVector.fromArray(F, ws, e + 6 * ld)).intoArray(ws, e + 6 * ld);
            p.fma(d7, FloatVector.fromArray(F, ws, e + 7 * ld)).intoArray(ws, e + 7 * ld);
        }
    }

    /** {@link #dsAndDv} for the last, partial vector (rem < L keys); values past rem read as 0, p is 0 there. */
    private static void dsAndDvPartial(float[] dOut, int o, float d, float[] ws, int v, int dvT, int ld, int rem,
                                       int bufP, int bufDs) {
        VectorMask<Float> past = beyond(rem);
        FloatVector p = FloatVector.fromArray(F, ws, bufP);
        FloatVector dp = FloatVector.zero(F);
        for (int c = 0; c < WIDTH; c++) {
            dp = FloatVector.fromArray(F, ws, v + c * ld).blend(0f, past).fma(FloatVector.broadcast(F, dOut[o + c]), dp);
        }
        p.mul(dp.sub(d)).intoArray(ws, bufDs);
        for (int c = 0; c < WIDTH; c++) {
            int e = dvT + c * ld;
            p.fma(FloatVector.broadcast(F, dOut[o + c]), FloatVector.fromArray(F, ws, e)).intoArray(ws, e);
        }
    }

    /**
     * {@code dq_t} lanes in ws[acc..] {@code += ds k} and {@code dk += (scale ds) q_t} for {@code full}
     * keys (a multiple of L) from {@code k}, {@code dk} (transposed, already offset to the block).
     */
    private static void dqAndDk(float[] q, int o, float scale, float[] ws, int k, int dk, int ld, int full, int bufDs,
                                int acc) {
        FloatVector q0 = FloatVector.broadcast(F, q[o]), q1 = FloatVector.broadcast(F, q[o + 1]);
        FloatVector q2 = FloatVector.broadcast(F, q[o + 2]), q3 = FloatVector.broadcast(F, q[o + 3]);
        FloatVector q4 = FloatVector.broadcast(F, q[o + 4]), q5 = FloatVector.broadcast(F, q[o + 5]);
        FloatVector q6 = FloatVector.broadcast(F, q[o + 6]), q7 = FloatVector.broadcast(F, q[o + 7]);
        FloatVector sv = FloatVector.broadcast(F, scale);
        FloatVector g0 = FloatVector.fromArray(F, ws, acc), g1 = FloatVector.fromArray(F, ws, acc + L);
        FloatVector g2 = FloatVector.fromArray(F, ws, acc + 2 * L), g3 = FloatVector.fromArray(F, ws, acc + 3 * L);
        FloatVector g4 = FloatVector.fromArray(F, ws, acc + 4 * L), g5 = FloatVector.fromArray(F, ws, acc + 5 * L);
        FloatVector g6 = FloatVector.fromArray(F, ws, acc + 6 * L), g7 = FloatVector.fromArray(F, ws, acc + 7 * L);
        for (int i = 0; i < full; i += L) {
            FloatVector ds = FloatVector.fromArray(F, ws, bufDs + i);
            FloatVector sds = ds.mul(sv);
            int c = k + i, e = dk + i;
            g0 = ds.fma(FloatVector.fromArray(F, ws, c), g0);
            g1 = ds.fma(FloatVector.fromArray(F, ws, c + ld), g1);
            g2 = ds.fma(FloatVector.fromArray(F, ws, c + 2 * ld), g2);
            g3 = ds.fma(FloatVector.fromArray(F, ws, c + 3 * ld), g3);
            g4 = ds.fma(FloatVector.fromArray(F, ws, c + 4 * ld), g4);
            g5 = ds.fma(FloatVector.fromArray(F, ws, c + 5 * ld), g5);
            g6 = ds.fma(FloatVector.fromArray(F, ws, c + 6 * ld), g6);
            g7 = ds.fma(FloatVector.fromArray(F, ws, c + 7 * ld), g7);
            sds.fma(q0, FloatVector.fromArray(F, ws, e)).intoArray(ws, e);
            sds.fma(q1, FloatVector.fromArray(F, ws, e + ld)).intoArray(ws, e + ld);
            sds.fma(q2, FloatVector.fromArray(F, ws, e + 2 * ld)).intoArray(ws, e + 2 * ld);
            sds.fma(q3, FloatVector.fromArray(F, ws, e + 3 * ld)).intoArray(ws, e + 3 * ld);
            sds.fma(q4, FloatVector.fromArray(F, ws, e + 4 * ld)).intoArray(ws, e + 4 * ld);
            sds.fma(q5, FloatVector.fromArray(F, ws, e + 5 * ld)).intoArray(ws, e + 5 * ld);
            sds.fma(q6, FloatVector.fromArray(F, ws, e + 6 * ld)).intoArray(ws, e + 6 * ld);
            sds.fma(q7, FloatVector.fromArray(F, ws, e + 7 * ld)).intoArray(ws, e + 7 * ld);
        }
        g0.intoArray(ws, acc);
        g1.intoArray(ws, acc + L);
        g2.intoArray(ws, acc + 2 * L);
        g3.intoArray(ws, acc + 3 * L);
        g4.intoArray(ws, acc + 4 * L);
        g5.intoArray(ws, acc + 5 * L);
        g6.intoArray(ws, acc + 6 * L);
        g7.intoArray(ws, acc + 7 * L);
    }

    /**
     * {@link #dqAndDk} for the last, partial vector: ds is 0 past rem, and the keys there are
     * replaced by 0 so that non-finite later keys cannot reach dq_t; dk gets exact zeros there.
     */
    private static void dqAndDkPartial(float[] q, int o, float scale, float[] ws, int k, int dk, int ld, int rem, int bufDs,
                                       int acc) {
        VectorMask<Float> past = beyond(rem);
        FloatVector ds = FloatVector.fromArray(F, ws, bufDs);
        FloatVector sds = ds.mul(scale);
        for (int c = 0; c < WIDTH; c++) {
            int a = acc + c * L, e = dk + c * ld;
            ds.fma(FloatVector.fromArray(F, ws, k + c * ld).blend(0f, past), FloatVector.fromArray(F, ws, a)).intoArray(ws, a);
            sds.fma(FloatVector.broadcast(F, q[o + c]), FloatVector.fromArray(F, ws, e)).intoArray(ws, e);
        }
    }
}
