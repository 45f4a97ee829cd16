package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.kernel.PositionalOuter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The banded products of form 3 ({@link PositionalOuter.Bands}) with the Vector API.
 *
 * <p>{@link #rows} and {@link #cols} run the lanes along the outer-product rows (d^2 or 2 d^2
 * floats, padded to whole vectors with zeros) and block four rows of the result with two vectors
 * each, so every loaded row of X feeds eight FMAs. The bands of consecutive rows end (or start) at
 * most one key apart, so the block's ragged edge is at most three single steps for part of the
 * rows; no row ever reads a key outside its band, not even with weight 0 (0 * inf is NaN, and the
 * masked tokens must not move a row). {@link #dots} runs the lanes along
 * the keys s over the transposed KV, so each dP entry is an FMA chain over the outer-product index
 * in order, with no horizontal sum; lanes past a row's band are computed and dropped.
 *
 * <p>These run sequence by sequence: batches of L/4 sequences or more whose workspace holds the
 * lane layout go to {@link VectorPositionalLanes} instead ({@link #batched}).
 *
 * <p>Needs the lane count to divide {@link PositionalAttentionSpec#ROW_ALIGN}; otherwise
 * {@link #SUPPORTED} is false and the caller uses the scalar products.
 */
final class VectorPositionalBands implements PositionalOuter.Bands {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    static final boolean SUPPORTED = PositionalAttentionSpec.ROW_ALIGN % L == 0;

    /** Complex numbers per vector (re, im pairs along the lanes). */
    private static final int H = L / 2;
    /** Swaps re and im of every pair: (a, b) -> (b, a). */
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(F, j -> j ^ 1);
    /** Lane j reads lane j / 2: the first H reals, each repeated for a pair. */
    private static final VectorShuffle<Float> EXPAND = VectorShuffle.fromOp(F, j -> j >> 1);
    /** Lane j reads the re of its pair: (a, b) -> (a, a). */
    private static final VectorShuffle<Float> RE = VectorShuffle.fromOp(F, j -> j & ~1);
    /** Lane j reads the im of its pair: (a, b) -> (b, b). */
    private static final VectorShuffle<Float> IM = VectorShuffle.fromOp(F, j -> j | 1);
    /** Lane j < H reads lane 2 j (the re lanes packed to the front; the rest are dropped). */
    private static final VectorShuffle<Float> PACK = VectorShuffle.fromOp(F, j -> (2 * j) % L);
    /** The im lanes. */
    private static final VectorMask<Float> ODD = VectorMask.fromArray(F, lanes(j -> j % 2 == 1), 0);
    /** The first H lanes (H reals of a real d x d row). */
    private static final VectorMask<Float> LOW = VectorMask.fromArray(F, lanes(j -> j < H), 0);

    private static boolean[] lanes(java.util.function.IntPredicate on) {
        boolean[] x = new boolean[L];
        for (int j = 0; j < L; j++) x[j] = on.test(j);
        return x;
    }

    /** (-1, +1) per pair: swap then this gives i z = (-im, re). */
    private static final float[] NEG_RE = signs(-1f, 1f);
    /** (+1, -1) per pair: swap then this gives (im, -re). */
    private static final float[] NEG_IM = signs(1f, -1f);

    private static float[] signs(float re, float im) {
        float[] x = new float[L];
        for (int j = 0; j < L; j += 2) {
            x[j] = re;
            x[j + 1] = im;
        }
        return x;
    }
    static final VectorPositionalBands INSTANCE = new VectorPositionalBands();

    private VectorPositionalBands() {
    }

    @Override
    public boolean transposed() {
        return true;
    }

    /**
     * At least a quarter of a vector's worth of sequences, when the spec's workspace holds the lane
     * layout ({@link PositionalAttentionSpec#laneLayout()}): the lanes across sequences
     * ({@link VectorPositionalLanes}); fewer would leave most lanes empty, and run the loop over
     * sequences with the methods here.
     */
    @Override
    public PositionalOuter.Batched batched(PositionalAttentionSpec sp) {
        boolean lanes = VectorPositionalLanes.SUPPORTED && sp.laneLayout() && sp.batch() >= Math.max(1, L / 4);
        return lanes ? VectorPositionalLanes.INSTANCE : null;
    }

    /**
     * KV transposed with the lanes along the keys: k and v of the sequence are transposed once
     * (2 T width scalar moves), then each row of KV^T is a lane-wise product of two transposed
     * token rows (complex: the same FMA form as the scalar {@code outer}, so KV and KV^T hold the
     * same bits). Lanes past T read the zero padding of the transposed tokens.
     */
    @Override
    public void outerTransposed(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws, int kvtOff, int tokOff) {
        int T = sp.seqLen(), d = sp.d(), w = sp.tokenWidth(), tp = sp.keyLd();
        int kT = tokOff, vT = tokOff + w * tp;
        for (int s = 0; s < T; s++) {
            int so = base + s * w;
            for (int c = 0; c < w; c++) {
                ws[kT + c * tp + s] = k[so + c];
                ws[vT + c * tp + s] = v[so + c];
            }
        }
        if (!sp.complex()) {
            for (int c = 0; c < d; c++) {
                for (int i = 0; i < d; i++) {
                    int o = kvtOff + (c * d + i) * tp, kr = kT + c * tp, vr = vT + i * tp;
                    for (int sb = 0; sb < tp; sb += L) {
                        FloatVector.fromArray(F, ws, kr + sb).mul(FloatVector.fromArray(F, ws, vr + sb)).intoArray(ws, o + sb);
                    }
                }
            }
        } else {
            for (int c = 0; c < d; c++) {
                for (int i = 0; i < d; i++) {
                    int o = kvtOff + 2 * (c * d + i) * tp;
                    int kre = kT + 2 * c * tp, kim = kre + tp, vre = vT + 2 * i * tp, vim = vre + tp;
                    for (int sb = 0; sb < tp; sb += L) {
                        FloatVector kr = FloatVector.fromArray(F, ws, kre + sb), ki = FloatVector.fromArray(F, ws, kim + sb);
                        FloatVector vr = FloatVector.fromArray(F, ws, vre + sb), vi = FloatVector.fromArray(F, ws, vim + sb);
                        kr.fma(vr, ki.mul(vi).neg()).intoArray(ws, o + sb);
                        kr.fma(vi, ki.mul(vr)).intoArray(ws, o + tp + sb);
                    }
                }
            }
        }
    }

    /**
     * Complex KV_s = k_s v_s^T with the lanes along (re, im) pairs of v: row c is
     * {@code fma(re k_c, v, im k_c * (i v))} per vector of H entries, which is lane for lane the
     * scalar loop's {@code fma(kr, vr, -(ki vi))}, {@code fma(kr, vi, ki vr)} (negating a factor is
     * exact), so the bits are the same; the last {@code d mod H} entries of a row run the scalar
     * loop. Real data: entries along i are d long, too short for the lanes; the plain loop.
     */
    @Override
    public void outer(PositionalAttentionSpec sp, float[] k, float[] v, int base, float[] ws, int kvOff) {
        int d = sp.d();
        if (!sp.complex() || d < H) {
            PositionalOuter.outer(sp, k, v, base, ws);
            return;
        }
        int T = sp.seqLen(), w = sp.tokenWidth(), ld = sp.outerLd();
        FloatVector negRe = FloatVector.fromArray(F, NEG_RE, 0);
        for (int s = 0; s < T; s++) {
            int so = base + s * w, row = kvOff + s * ld;
            for (int c = 0; c < d; c++) {
                float kr = k[so + 2 * c], ki = k[so + 2 * c + 1];
                FloatVector kre = FloatVector.broadcast(F, kr), kim = FloatVector.broadcast(F, ki);
                int r = row + 2 * c * d, i = 0;
                for (; i + H <= d; i += H) {
                    FloatVector x = FloatVector.fromArray(F, v, so + 2 * i);
                    kre.fma(x, kim.mul(x.rearrange(SWAP).mul(negRe))).intoArray(ws, r + 2 * i);
                }
                for (; i < d; i++) {
                    float vr = v[so + 2 * i], vi = v[so + 2 * i + 1];
                    ws[r + 2 * i] = Math.fma(kr, vr, -(ki * vi));
                    ws[r + 2 * i + 1] = Math.fma(kr, vi, ki * vr);
                }
            }
        }
    }

    /**
     * Complex out_ti = sum_c C[c][i] conj(q_tc) M_t[c][i] with the lanes along (re, im) pairs of i:
     * per vector of H entries, {@code acc = fma(C[c][i], fma(M, re q_c, im q_c * (im M, -re M)), acc)}
     * for c in order, lane for lane the scalar loop's FMA chain, so the bits are the same; the last
     * {@code d mod H} entries run the scalar loop. C's row is widened by a shuffle of an L-float load
     * that may run up to H floats past C into dC (the next workspace block; those lanes are dropped).
     * Real data: the plain loop (rows of d are too short for the lanes).
     */
    @Override
    public void contract(PositionalAttentionSpec sp, float[] q, int base, float[] ws, int cOff, int mOff, float[] out) {
        int d = sp.d();
        if (!sp.complex() || d < H) {
            PositionalOuter.contract(sp, q, base, ws, out);
            return;
        }
        int T = sp.seqLen(), w = sp.tokenWidth(), ld = sp.outerLd();
        FloatVector negIm = FloatVector.fromArray(F, NEG_IM, 0);
        for (int t = 0; t < T; t++) {
            int to = base + t * w, m = mOff + t * ld, i = 0;
            for (; i + H <= d; i += H) {
                FloatVector acc = FloatVector.fromArray(F, out, to + 2 * i);
                for (int c = 0; c < d; c++) {
                    FloatVector qre = FloatVector.broadcast(F, q[to + 2 * c]), qim = FloatVector.broadcast(F, q[to + 2 * c + 1]);
                    FloatVector x = FloatVector.fromArray(F, ws, m + 2 * c * d + 2 * i);
                    FloatVector z = x.fma(qre, qim.mul(x.rearrange(SWAP).mul(negIm)));
                    FloatVector cc = FloatVector.fromArray(F, ws, cOff + c * d + i).rearrange(EXPAND);
                    acc = cc.fma(z, acc);
                }
                acc.intoArray(out, to + 2 * i);
            }
            for (; i < d; i++) {
                float accR = out[to + 2 * i], accI = out[to + 2 * i + 1];
                for (int c = 0; c < d; c++) {
                    float qr = q[to + 2 * c], qi = q[to + 2 * c + 1];
                    int r = m + 2 * c * d;
                    float cci = ws[cOff + c * d + i], mr = ws[r + 2 * i], mi = ws[r + 2 * i + 1];
                    accR = Math.fma(cci, Math.fma(qr, mr, qi * mi), accR);
                    accI = Math.fma(cci, Math.fma(qr, mi, -(qi * mr)), accI);
                }
                out[to + 2 * i] = accR;
                out[to + 2 * i + 1] = accI;
            }
        }
    }

    /**
     * Complex dM and dC without dq (the model's call: the tokens are data) with the lanes along
     * (re, im) pairs of i, per vector of H entries and row c:
     * {@code G = q_c dOut_i = fma((re g, re g), (re q, im q), (im g, im g) (-im q, re q))},
     * {@code dM = C G}, and {@code dC[c][i] += fma(re G, re M, im G im M)} on the re lanes (the im
     * lanes compute the swapped sum and are dropped; the re lanes are packed to the front and added
     * to H reals of dC, the other lanes of that load are stored back unchanged; for the last row c
     * they run up to H floats past dC, inside the workspace). Lane for lane the scalar loop's operations, so the bits are the
     * same; the last {@code d mod H} entries run the scalar loop. With dq, or real data, the plain loop.
     */
    @Override
    public void rowGrads(PositionalAttentionSpec sp, float[] q, float[] dOut, int base, float[] ws,
                         int cOff, int dcOff, int mOff, int dmOff, float[] dq) {
        int d = sp.d();
        if (dq != null || !sp.complex() || d < H) {
            PositionalOuter.rowGrads(sp, q, dOut, base, ws, dq);
            return;
        }
        int T = sp.seqLen(), w = sp.tokenWidth(), ld = sp.outerLd();
        for (int t = 0; t < T; t++) {
            int to = base + t * w, m = mOff + t * ld, dm = dmOff + t * ld, i = 0;
            for (; i + H <= d; i += H) {
                FloatVector g = FloatVector.fromArray(F, dOut, to + 2 * i);
                FloatVector gre = g.rearrange(RE), gim = g.rearrange(IM);
                for (int c = 0; c < d; c++) {
                    float qr = q[to + 2 * c], qi = q[to + 2 * c + 1];
                    FloatVector qp = FloatVector.broadcast(F, qr).blend(FloatVector.broadcast(F, qi), ODD);
                    FloatVector qn = FloatVector.broadcast(F, -qi).blend(FloatVector.broadcast(F, qr), ODD);
                    FloatVector gq = gre.fma(qp, gim.mul(qn));
                    int r = 2 * c * d + 2 * i, o = dcOff + c * d + i;
                    FloatVector x = FloatVector.fromArray(F, ws, m + r);
                    FloatVector.fromArray(F, ws, cOff + c * d + i).rearrange(EXPAND).mul(gq).intoArray(ws, dm + r);
                    FloatVector e = gq.fma(x, gq.rearrange(SWAP).mul(x.rearrange(SWAP)));
                    // Whole-vector load and store (a masked store is not intrinsified on JDK 17): the lanes
                    // past the H reals are written back with the bits just read (a select, no arithmetic).
                    FloatVector old = FloatVector.fromArray(F, ws, o);
                    old.blend(old.add(e.rearrange(PACK)), LOW).intoArray(ws, o);
                }
            }
            for (; i < d; i++) {
                float gr = dOut[to + 2 * i], gi = dOut[to + 2 * i + 1];
                for (int c = 0; c < d; c++) {
                    float qr = q[to + 2 * c], qi = q[to + 2 * c + 1];
                    int r = m + 2 * c * d, z = dm + 2 * c * d;
                    float cci = ws[cOff + c * d + i], mr = ws[r + 2 * i], mi = ws[r + 2 * i + 1];
                    float gqr = Math.fma(gr, qr, -(gi * qi)), gqi = Math.fma(gr, qi, gi * qr);
                    ws[dcOff + c * d + i] += Math.fma(gqr, mr, gqi * mi);
                    ws[z + 2 * i] = cci * gqr;
                    ws[z + 2 * i + 1] = cci * gqi;
                }
            }
        }
    }

    @Override
    public void rows(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff) {
        int T = sp.seqLen(), ld = sp.outerLd();
        int t = 0;
        for (; t + 4 <= T; t += 4) {
            int h0 = sp.last(t), h1 = sp.last(t + 1), h2 = sp.last(t + 2), h3 = sp.last(t + 3);
            int p0 = t * T, p1 = p0 + T, p2 = p1 + T, p3 = p2 + T;
            int y = yOff + t * ld;
            int j = 0;
            for (; j + 2 * L <= ld; j += 2 * L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int s = 0, x = xOff + j; s <= h0; s++, x += ld) {
                    FloatVector g0 = FloatVector.broadcast(F, p[p0 + s]), g1 = FloatVector.broadcast(F, p[p1 + s]);
                    FloatVector g2 = FloatVector.broadcast(F, p[p2 + s]), g3 = FloatVector.broadcast(F, p[p3 + s]);
                    FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
                    a0 = xa.fma(g0, a0);
                    b0 = xb.fma(g0, b0);
                    a1 = xa.fma(g1, a1);
                    b1 = xb.fma(g1, b1);
                    a2 = xa.fma(g2, a2);
                    b2 = xb.fma(g2, b2);
                    a3 = xa.fma(g3, a3);
                    b3 = xb.fma(g3, b3);
                }
                // Bands of consecutive rows end at most one key apart: key h1 only for rows 1..3, and so on.
                if (h1 > h0) {
                    int x = xOff + h1 * ld + j;
                    FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
                    FloatVector g1 = FloatVector.broadcast(F, p[p1 + h1]), g2 = FloatVector.broadcast(F, p[p2 + h1]);
                    FloatVector g3 = FloatVector.broadcast(F, p[p3 + h1]);
                    a1 = xa.fma(g1, a1);
                    b1 = xb.fma(g1, b1);
                    a2 = xa.fma(g2, a2);
                    b2 = xb.fma(g2, b2);
                    a3 = xa.fma(g3, a3);
                    b3 = xb.fma(g3, b3);
                }
                if (h2 > h1) {
                    int x = xOff + h2 * ld + j;
                    FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
                    FloatVector g2 = FloatVector.broadcast(F, p[p2 + h2]), g3 = FloatVector.broadcast(F, p[p3 + h2]);
                    a2 = xa.fma(g2, a2);
                    b2 = xb.fma(g2, b2);
                    a3 = xa.fma(g3, a3);
                    b3 = xb.fma(g3, b3);
                }
                if (h3 > h2) {
                    int x = xOff + h3 * ld + j;
                    FloatVector g3 = FloatVector.broadcast(F, p[p3 + h3]);
                    a3 = FloatVector.fromArray(F, ws, x).fma(g3, a3);
                    b3 = FloatVector.fromArray(F, ws, x + L).fma(g3, b3);
                }
                a0.intoArray(ws, y + j);
                b0.intoArray(ws, y + j + L);
                a1.intoArray(ws, y + ld + j);
                b1.intoArray(ws, y + ld + j + L);
                a2.intoArray(ws, y + 2 * ld + j);
                b2.intoArray(ws, y + 2 * ld + j + L);
                a3.intoArray(ws, y + 3 * ld + j);
                b3.intoArray(ws, y + 3 * ld + j + L);
            }
            // the last ld mod 2L floats: the lane path's four-rows-by-one-vector block, same operations
            for (; j < ld; j += L) LaneBandProducts.rowBlock4x1(p, ws, xOff + j, y + j, ld, T, p0, h0, h1, h2, h3);
        }
        for (; t < T; t++) {
            int h = sp.last(t), pr = t * T, y = yOff + t * ld;
            for (int j = 0; j < ld; j += L) {
                FloatVector a0 = FloatVector.zero(F);
                for (int s = 0, x = xOff + j; s <= h; s++, x += ld) {
                    a0 = FloatVector.fromArray(F, ws, x).fma(FloatVector.broadcast(F, p[pr + s]), a0);
                }
                a0.intoArray(ws, y + j);
            }
        }
    }

    @Override
    public void cols(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff) {
        cols(sp, p, ws, xOff, yOff, sp.outerLd());
    }

    /** {@link #cols} on rows {@code ld} floats apart ({@code ld} a multiple of the lane count). */
    static void cols(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int yOff, int ld) {
        int T = sp.seqLen();
        int s = 0;
        for (; s + 4 <= T; s += 4) {
            // Rows s..s+3 of the result read column s..s+3 of P, contiguous in each row t of P.
            int l0 = sp.first(s), l1 = sp.first(s + 1), l2 = sp.first(s + 2), l3 = sp.first(s + 3);
            int y = yOff + s * ld;
            int j = 0;
            for (; j + 2 * L <= ld; j += 2 * L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                // Bands of consecutive columns start at most one row apart: row l0 only for column s, and so on.
                if (l1 > l0) {
                    int x = xOff + l0 * ld + j;
                    FloatVector g0 = FloatVector.broadcast(F, p[l0 * T + s]);
                    a0 = FloatVector.fromArray(F, ws, x).fma(g0, a0);
                    b0 = FloatVector.fromArray(F, ws, x + L).fma(g0, b0);
                }
                if (l2 > l1) {
                    int x = xOff + l1 * ld + j, pc = l1 * T + s;
                    FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
                    FloatVector g0 = FloatVector.broadcast(F, p[pc]), g1 = FloatVector.broadcast(F, p[pc + 1]);
                    a0 = xa.fma(g0, a0);
                    b0 = xb.fma(g0, b0);
                    a1 = xa.fma(g1, a1);
                    b1 = xb.fma(g1, b1);
                }
                if (l3 > l2) {
                    int x = xOff + l2 * ld + j, pc = l2 * T + s;
                    FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
                    FloatVector g0 = FloatVector.broadcast(F, p[pc]), g1 = FloatVector.broadcast(F, p[pc + 1]);
                    FloatVector g2 = FloatVector.broadcast(F, p[pc + 2]);
                    a0 = xa.fma(g0, a0);
                    b0 = xb.fma(g0, b0);
                    a1 = xa.fma(g1, a1);
                    b1 = xb.fma(g1, b1);
                    a2 = xa.fma(g2, a2);
                    b2 = xb.fma(g2, b2);
                }
                for (int t = l3, x = xOff + l3 * ld + j; t < T; t++, x += ld) {
                    int pc = t * T + s;
                    FloatVector g0 = FloatVector.broadcast(F, p[pc]), g1 = FloatVector.broadcast(F, p[pc + 1]);
                    FloatVector g2 = FloatVector.broadcast(F, p[pc + 2]), g3 = FloatVector.broadcast(F, p[pc + 3]);
                    FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
                    a0 = xa.fma(g0, a0);
                    b0 = xb.fma(g0, b0);
                    a1 = xa.fma(g1, a1);
                    b1 = xb.fma(g1, b1);
                    a2 = xa.fma(g2, a2);
                    b2 = xb.fma(g2, b2);
                    a3 = xa.fma(g3, a3);
                    b3 = xb.fma(g3, b3);
                }
                a0.intoArray(ws, y + j);
                b0.intoArray(ws, y + j + L);
                a1.intoArray(ws, y + ld + j);
                b1.intoArray(ws, y + ld + j + L);
                a2.intoArray(ws, y + 2 * ld + j);
                b2.intoArray(ws, y + 2 * ld + j + L);
                a3.intoArray(ws, y + 3 * ld + j);
                b3.intoArray(ws, y + 3 * ld + j + L);
            }
            for (; j < ld; j += L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                if (l1 > l0) a0 = FloatVector.fromArray(F, ws, xOff + l0 * ld + j).fma(FloatVector.broadcast(F, p[l0 * T + s]), a0);
                if (l2 > l1) {
                    FloatVector xa = FloatVector.fromArray(F, ws, xOff + l1 * ld + j);
                    int pc = l1 * T + s;
                    a0 = xa.fma(FloatVector.broadcast(F, p[pc]), a0);
                    a1 = xa.fma(FloatVector.broadcast(F, p[pc + 1]), a1);
                }
                if (l3 > l2) {
                    FloatVector xa = FloatVector.fromArray(F, ws, xOff + l2 * ld + j);
                    int pc = l2 * T + s;
                    a0 = xa.fma(FloatVector.broadcast(F, p[pc]), a0);
                    a1 = xa.fma(FloatVector.broadcast(F, p[pc + 1]), a1);
                    a2 = xa.fma(FloatVector.broadcast(F, p[pc + 2]), a2);
                }
                for (int t = l3, x = xOff + l3 * ld + j; t < T; t++, x += ld) {
                    int pc = t * T + s;
                    FloatVector xa = FloatVector.fromArray(F, ws, x);
                    a0 = xa.fma(FloatVector.broadcast(F, p[pc]), a0);
                    a1 = xa.fma(FloatVector.broadcast(F, p[pc + 1]), a1);
                    a2 = xa.fma(FloatVector.broadcast(F, p[pc + 2]), a2);
                    a3 = xa.fma(FloatVector.broadcast(F, p[pc + 3]), a3);
                }
                a0.intoArray(ws, y + j);
                a1.intoArray(ws, y + ld + j);
                a2.intoArray(ws, y + 2 * ld + j);
                a3.intoArray(ws, y + 3 * ld + j);
            }
        }
        for (; s < T; s++) {
            int l = sp.first(s), y = yOff + s * ld;
            for (int j = 0; j < ld; j += L) {
                FloatVector a0 = FloatVector.zero(F);
                for (int t = l, x = xOff + l * ld + j; t < T; t++, x += ld) {
                    a0 = FloatVector.fromArray(F, ws, x).fma(FloatVector.broadcast(F, p[t * T + s]), a0);
                }
                a0.intoArray(ws, y + j);
            }
        }
    }

    @Override
    public void dots(PositionalAttentionSpec sp, float[] ws, int xOff, int kvOff, int kvtOff, int tileOff, float[] dP) {
        int T = sp.seqLen(), n = sp.outerFloats(), ld = sp.outerLd(), tp = sp.keyLd();
        int t = 0;
        for (; t + 4 <= T; t += 4) {
            int keys = sp.last(t + 3) + 1;
            int x0 = xOff + t * ld, x1 = x0 + ld, x2 = x1 + ld, x3 = x2 + ld;
            int sb = 0;
            for (; sb + 2 * L <= keys + L - 1 && sb + 2 * L <= tp; sb += 2 * L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int j = 0, y = kvtOff + sb; j < n; j++, y += tp) {
                    FloatVector ka = FloatVector.fromArray(F, ws, y), kb = FloatVector.fromArray(F, ws, y + L);
                    FloatVector g0 = FloatVector.broadcast(F, ws[x0 + j]);
                    FloatVector g1 = FloatVector.broadcast(F, ws[x1 + j]);
                    FloatVector g2 = FloatVector.broadcast(F, ws[x2 + j]);
                    FloatVector g3 = FloatVector.broadcast(F, ws[x3 + j]);
                    a0 = ka.fma(g0, a0);
                    b0 = kb.fma(g0, b0);
                    a1 = ka.fma(g1, a1);
                    b1 = kb.fma(g1, b1);
                    a2 = ka.fma(g2, a2);
                    b2 = kb.fma(g2, b2);
                    a3 = ka.fma(g3, a3);
                    b3 = kb.fma(g3, b3);
                }
                a0.intoArray(ws, tileOff + sb);
                b0.intoArray(ws, tileOff + sb + L);
                a1.intoArray(ws, tileOff + tp + sb);
                b1.intoArray(ws, tileOff + tp + sb + L);
                a2.intoArray(ws, tileOff + 2 * tp + sb);
                b2.intoArray(ws, tileOff + 2 * tp + sb + L);
                a3.intoArray(ws, tileOff + 3 * tp + sb);
                b3.intoArray(ws, tileOff + 3 * tp + sb + L);
            }
            for (; sb < keys; sb += L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int j = 0, y = kvtOff + sb; j < n; j++, y += tp) {
                    FloatVector ka = FloatVector.fromArray(F, ws, y);
                    a0 = ka.fma(FloatVector.broadcast(F, ws[x0 + j]), a0);
                    a1 = ka.fma(FloatVector.broadcast(F, ws[x1 + j]), a1);
                    a2 = ka.fma(FloatVector.broadcast(F, ws[x2 + j]), a2);
                    a3 = ka.fma(FloatVector.broadcast(F, ws[x3 + j]), a3);
                }
                a0.intoArray(ws, tileOff + sb);
                a1.intoArray(ws, tileOff + tp + sb);
                a2.intoArray(ws, tileOff + 2 * tp + sb);
                a3.intoArray(ws, tileOff + 3 * tp + sb);
            }
            for (int r = 0; r < 4; r++) {
                int row = (t + r) * T, tile = tileOff + r * tp;
                for (int s = 0; s <= sp.last(t + r); s++) dP[row + s] += ws[tile + s];
            }
        }
        for (; t < T; t++) {
            int keys = sp.last(t) + 1, x0 = xOff + t * ld;
            for (int sb = 0; sb < keys; sb += L) {
                FloatVector a0 = FloatVector.zero(F);
                for (int j = 0, y = kvtOff + sb; j < n; j++, y += tp) {
                    a0 = FloatVector.fromArray(F, ws, y).fma(FloatVector.broadcast(F, ws[x0 + j]), a0);
                }
                a0.intoArray(ws, tileOff + sb);
            }
            for (int s = 0; s < keys; s++) dP[t * T + s] += ws[tileOff + s];
        }
    }
}
