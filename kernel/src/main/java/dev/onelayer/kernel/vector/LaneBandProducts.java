package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.PositionalAttentionSpec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The band products of form 3 in the lane layout ({@link VectorPositionalLanes}, {@link LaneLayout}):
 * {@code M_t = sum_{s <= last(t)} P[t,s] KV_s} for a block of rows, and per lane
 * {@code dP[t,s] += <dM_t, KV_s>}, on outer-product rows of {@code outer x L} floats. Row t never
 * reads a key past {@code last(t)}, not even with weight 0 (a masked token may be NaN); dP's 4 x 4
 * tiles compute some pairs past the band, which are never read.
 */
final class LaneBandProducts {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    private LaneBandProducts() {
    }

    /**
     * {@code Y_t = sum_{s <= last(t)} P[t,s] X_s} for the rows t0..t0+cnt-1 (cnt 1 or 4) of X's
     * band, X's rows {@code ld} floats apart (a multiple of L), into cnt rows at y ({@code ld}
     * apart); each entry an FMA chain over s in order (as {@link VectorPositionalBands#rows}).
     * Four rows by four vectors: each step loads four vectors of X and four weights for sixteen FMAs.
     * Consecutive rows' bands end at most one key apart, so a block's ragged edge is up to three
     * single steps for part of its rows.
     */
    static void rowBlock(PositionalAttentionSpec sp, float[] p, float[] ws, int xOff, int y, int ld, int t0, int cnt) {
        int T = sp.seqLen(), j = 0;
        if (cnt == 4) {
            int h0 = sp.last(t0), h1 = sp.last(t0 + 1), h2 = sp.last(t0 + 2), h3 = sp.last(t0 + 3);
            for (; j + 4 * L <= ld; j += 4 * L) rowBlock4x4(p, ws, xOff + j, y + j, ld, T, t0 * T, h0, h1, h2, h3);
            for (; j < ld; j += L) rowBlock4x1(p, ws, xOff + j, y + j, ld, T, t0 * T, h0, h1, h2, h3);
            return;
        }
        int h = sp.last(t0), pr = t0 * T;
        for (; j + 4 * L <= ld; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int s = 0, x = xOff + j; s <= h; s++, x += ld) {
                FloatVector g = FloatVector.broadcast(F, p[pr + s]);
                a0 = FloatVector.fromArray(F, ws, x).fma(g, a0);
                a1 = FloatVector.fromArray(F, ws, x + L).fma(g, a1);
                a2 = FloatVector.fromArray(F, ws, x + 2 * L).fma(g, a2);
                a3 = FloatVector.fromArray(F, ws, x + 3 * L).fma(g, a3);
            }
            a0.intoArray(ws, y + j);
            a1.intoArray(ws, y + j + L);
            a2.intoArray(ws, y + j + 2 * L);
            a3.intoArray(ws, y + j + 3 * L);
        }
        for (; j < ld; j += L) {
            FloatVector a0 = FloatVector.zero(F);
            for (int s = 0, x = xOff + j; s <= h; s++, x += ld) a0 = FloatVector.fromArray(F, ws, x).fma(FloatVector.broadcast(F, p[pr + s]), a0);
            a0.intoArray(ws, y + j);
        }
    }

    /**
     * Rows of a sequence group in blocks: the T mod 4 first rows (whose bands are the shortest) one
     * by one, then blocks of four. Returns the size of the block starting at t.
     */
    static int block(int T, int t) {
        return t < T % 4 ? 1 : 4;
    }

    /** Four rows (weights from row p0 of P on) by four vectors from x (rows ld apart) into y. */
    private static void rowBlock4x4(float[] p, float[] ws, int x0, int y, int ld, int T, int p0,
                                    int h0, int h1, int h2, int h3) {
        int p1 = p0 + T, p2 = p1 + T, p3 = p2 + T;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        for (int s = 0, x = x0; s <= h0; s++, x += ld) {
            FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
            FloatVector xc = FloatVector.fromArray(F, ws, x + 2 * L), xe = FloatVector.fromArray(F, ws, x + 3 * L);
            FloatVector g = FloatVector.broadcast(F, p[p0 + s]);
            a0 = xa.fma(g, a0);
            b0 = xb.fma(g, b0);
            c0 = xc.fma(g, c0);
            e0 = xe.fma(g, e0);
            g = FloatVector.broadcast(F, p[p1 + s]);
            a1 = xa.fma(g, a1);
            b1 = xb.fma(g, b1);
            c1 = xc.fma(g, c1);
            e1 = xe.fma(g, e1);
            g = FloatVector.broadcast(F, p[p2 + s]);
            a2 = xa.fma(g, a2);
            b2 = xb.fma(g, b2);
            c2 = xc.fma(g, c2);
            e2 = xe.fma(g, e2);
            g = FloatVector.broadcast(F, p[p3 + s]);
            a3 = xa.fma(g, a3);
            b3 = xb.fma(g, b3);
            c3 = xc.fma(g, c3);
            e3 = xe.fma(g, e3);
        }
        if (h1 > h0) {
            int x = x0 + h1 * ld;
            FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
            FloatVector xc = FloatVector.fromArray(F, ws, x + 2 * L), xe = FloatVector.fromArray(F, ws, x + 3 * L);
            FloatVector g = FloatVector.broadcast(F, p[p1 + h1]);
            a1 = xa.fma(g, a1);
            b1 = xb.fma(g, b1);
            c1 = xc.fma(g, c1);
            e1 = xe.fma(g, e1);
            g = FloatVector.broadcast(F, p[p2 + h1]);
            a2 = xa.fma(g, a2);
            b2 = xb.fma(g, b2);
            c2 = xc.fma(g, c2);
            e2 = xe.fma(g, e2);
            g = FloatVector.broadcast(F, p[p3 + h1]);
            a3 = xa.fma(g, a3);
            b3 = xb.fma(g, b3);
            c3 = xc.fma(g, c3);
            e3 = xe.fma(g, e3);
        }
        if (h2 > h1) {
            int x = x0 + h2 * ld;
            FloatVector xa = FloatVector.fromArray(F, ws, x), xb = FloatVector.fromArray(F, ws, x + L);
            FloatVector xc = FloatVector.fromArray(F, ws, x + 2 * L), xe = FloatVector.fromArray(F, ws, x + 3 * L);
            FloatVector g = FloatVector.broadcast(F, p[p2 + h2]);
            a2 = xa.fma(g, a2);
            b2 = xb.fma(g, b2);
            c2 = xc.fma(g, c2);
            e2 = xe.fma(g, e2);
            g = FloatVector.broadcast(F, p[p3 + h2]);
            a3 = xa.fma(g, a3);
            b3 = xb.fma(g, b3);
            c3 = xc.fma(g, c3);
            e3 = xe.fma(g, e3);
        }
        if (h3 > h2) {
            int x = x0 + h3 * ld;
            FloatVector g = FloatVector.broadcast(F, p[p3 + h3]);
            a3 = FloatVector.fromArray(F, ws, x).fma(g, a3);
            b3 = FloatVector.fromArray(F, ws, x + L).fma(g, b3);
            c3 = FloatVector.fromArray(F, ws, x + 2 * L).fma(g, c3);
            e3 = FloatVector.fromArray(F, ws, x + 3 * L).fma(g, e3);
        }
        a0.intoArray(ws, y);
        b0.intoArray(ws, y + L);
        c0.intoArray(ws, y + 2 * L);
        e0.intoArray(ws, y + 3 * L);
        a1.intoArray(ws, y + ld);
        b1.intoArray(ws, y + ld + L);
        c1.intoArray(ws, y + ld + 2 * L);
        e1.intoArray(ws, y + ld + 3 * L);
        a2.intoArray(ws, y + 2 * ld);
        b2.intoArray(ws, y + 2 * ld + L);
        c2.intoArray(ws, y + 2 * ld + 2 * L);
        e2.intoArray(ws, y + 2 * ld + 3 * L);
        a3.intoArray(ws, y + 3 * ld);
        b3.intoArray(ws, y + 3 * ld + L);
        c3.intoArray(ws, y + 3 * ld + 2 * L);
        e3.intoArray(ws, y + 3 * ld + 3 * L);
    }

    /**
     * Four rows by one vector (the last {@code ld mod 4L} floats of a block of rows; also the
     * per-sequence band product's last vector, {@link VectorPositionalBands#rows}).
     */
    static void rowBlock4x1(float[] p, float[] ws, int x0, int y, int ld, int T, int p0,
                                    int h0, int h1, int h2, int h3) {
        int p1 = p0 + T, p2 = p1 + T, p3 = p2 + T;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int s = 0, x = x0; s <= h0; s++, x += ld) {
            FloatVector xa = FloatVector.fromArray(F, ws, x);
            a0 = xa.fma(FloatVector.broadcast(F, p[p0 + s]), a0);
            a1 = xa.fma(FloatVector.broadcast(F, p[p1 + s]), a1);
            a2 = xa.fma(FloatVector.broadcast(F, p[p2 + s]), a2);
            a3 = xa.fma(FloatVector.broadcast(F, p[p3 + s]), a3);
        }
        if (h1 > h0) {
            FloatVector xa = FloatVector.fromArray(F, ws, x0 + h1 * ld);
            a1 = xa.fma(FloatVector.broadcast(F, p[p1 + h1]), a1);
            a2 = xa.fma(FloatVector.broadcast(F, p[p2 + h1]), a2);
            a3 = xa.fma(FloatVector.broadcast(F, p[p3 + h1]), a3);
        }
        if (h2 > h1) {
            FloatVector xa = FloatVector.fromArray(F, ws, x0 + h2 * ld);
            a2 = xa.fma(FloatVector.broadcast(F, p[p2 + h2]), a2);
            a3 = xa.fma(FloatVector.broadcast(F, p[p3 + h2]), a3);
        }
        if (h3 > h2) a3 = FloatVector.fromArray(F, ws, x0 + h3 * ld).fma(FloatVector.broadcast(F, p[p3 + h3]), a3);
        a0.intoArray(ws, y);
        a1.intoArray(ws, y + ld);
        a2.intoArray(ws, y + 2 * ld);
        a3.intoArray(ws, y + 3 * ld);
    }

    /**
     * Per lane, dP[t][s] += <dM_t, KV_s> for the attended pairs of rows t..t+cnt-1 (cnt 1 or 4), an
     * FMA chain over the outer-product index continuing the accumulator. Tiles of 4 x 4 pairs: each
     * loaded vector feeds four FMAs.
     */
    static void dots(PositionalAttentionSpec sp, LaneLayout w, float[] ws, int t, int cnt) {
        int T = w.T, n = w.n, row = w.row;
        if (cnt == 4) {
            int keys = sp.last(t + 3) + 1, s = 0;
            for (; s + 4 <= keys; s += 4) tile4x4(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n, T);
            for (; s < keys; s++) tile4x1(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n, T);
            return;
        }
        int keys = sp.last(t) + 1, s = 0;
        for (; s + 4 <= keys; s += 4) tile1x4(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n);
        for (; s < keys; s++) tile1x1(ws, w.dm + t * row, w.kv + s * row, w.dP + (t * T + s) * L, n);
    }

    /** Rows x..x+3 (dM, {@code n L} apart) against keys y..y+3; accumulators [t][s][L] at acc, rows T L apart. */
    private static void tile4x4(float[] ws, int x, int y, int acc, int n, int T) {
        int row = n * L, ar = T * L;
        FloatVector a00 = FloatVector.fromArray(F, ws, acc), a01 = FloatVector.fromArray(F, ws, acc + L);
        FloatVector a02 = FloatVector.fromArray(F, ws, acc + 2 * L), a03 = FloatVector.fromArray(F, ws, acc + 3 * L);
        FloatVector a10 = FloatVector.fromArray(F, ws, acc + ar), a11 = FloatVector.fromArray(F, ws, acc + ar + L);
        FloatVector a12 = FloatVector.fromArray(F, ws, acc + ar + 2 * L), a13 = FloatVector.fromArray(F, ws, acc + ar + 3 * L);
        FloatVector a20 = FloatVector.fromArray(F, ws, acc + 2 * ar), a21 = FloatVector.fromArray(F, ws, acc + 2 * ar + L);
        FloatVector a22 = FloatVector.fromArray(F, ws, acc + 2 * ar + 2 * L), a23 = FloatVector.fromArray(F, ws, acc + 2 * ar + 3 * L);
        FloatVector a30 = FloatVector.fromArray(F, ws, acc + 3 * ar), a31 = FloatVector.fromArray(F, ws, acc + 3 * ar + L);
        FloatVector a32 = FloatVector.fromArray(F, ws, acc + 3 * ar + 2 * L), a33 = FloatVector.fromArray(F, ws, acc + 3 * ar + 3 * L);
        for (int j = 0; j < row; j += L) {
            FloatVector x0 = FloatVector.fromArray(F, ws, x + j), x1 = FloatVector.fromArray(F, ws, x + row + j);
            FloatVector x2 = FloatVector.fromArray(F, ws, x + 2 * row + j), x3 = FloatVector.fromArray(F, ws, x + 3 * row + j);
            FloatVector y0 = FloatVector.fromArray(F, ws, y + j);
            a00 = x0.fma(y0, a00);
            a10 = x1.fma(y0, a10);
            a20 = x2.fma(y0, a20);
            a30 = x3.fma(y0, a30);
            FloatVector y1 = FloatVector.fromArray(F, ws, y + row + j);
            a01 = x0.fma(y1, a01);
            a11 = x1.fma(y1, a11);
            a21 = x2.fma(y1, a21);
            a31 = x3.fma(y1, a31);
            FloatVector y2 = FloatVector.fromArray(F, ws, y + 2 * row + j);
            a02 = x0.fma(y2, a02);
            a12 = x1.fma(y2, a12);
            a22 = x2.fma(y2, a22);
            a32 = x3.fma(y2, a32);
            FloatVector y3 = FloatVector.fromArray(F, ws, y + 3 * row + j);
            a03 = x0.fma(y3, a03);
            a13 = x1.fma(y3, a13);
            a23 = x2.fma(y3, a23);
            a33 = x3.fma(y3, a33);
        }
        a00.intoArray(ws, acc);
        a01.intoArray(ws, acc + L);
        a02.intoArray(ws, acc + 2 * L);
        a03.intoArray(ws, acc + 3 * L);
        a10.intoArray(ws, acc + ar);
        a11.intoArray(ws, acc + ar + L);
        a12.intoArray(ws, acc + ar + 2 * L);
        a13.intoArray(ws, acc + ar + 3 * L);
        a20.intoArray(ws, acc + 2 * ar);
        a21.intoArray(ws, acc + 2 * ar + L);
        a22.intoArray(ws, acc + 2 * ar + 2 * L);
        a23.intoArray(ws, acc + 2 * ar + 3 * L);
        a30.intoArray(ws, acc + 3 * ar);
        a31.intoArray(ws, acc + 3 * ar + L);
        a32.intoArray(ws, acc + 3 * ar + 2 * L);
        a33.intoArray(ws, acc + 3 * ar + 3 * L);
    }

    /** Rows x..x+3 against key y. */
    private static void tile4x1(float[] ws, int x, int y, int acc, int n, int T) {
        int row = n * L, ar = T * L;
        FloatVector a0 = FloatVector.fromArray(F, ws, acc), a1 = FloatVector.fromArray(F, ws, acc + ar);
        FloatVector a2 = FloatVector.fromArray(F, ws, acc + 2 * ar), a3 = FloatVector.fromArray(F, ws, acc + 3 * ar);
        for (int j = 0; j < row; j += L) {
            FloatVector y0 = FloatVector.fromArray(F, ws, y + j);
            a0 = FloatVector.fromArray(F, ws, x + j).fma(y0, a0);
            a1 = FloatVector.fromArray(F, ws, x + row + j).fma(y0, a1);
            a2 = FloatVector.fromArray(F, ws, x + 2 * row + j).fma(y0, a2);
            a3 = FloatVector.fromArray(F, ws, x + 3 * row + j).fma(y0, a3);
        }
        a0.intoArray(ws, acc);
        a1.intoArray(ws, acc + ar);
        a2.intoArray(ws, acc + 2 * ar);
        a3.intoArray(ws, acc + 3 * ar);
    }

    /** Row x against keys y..y+3. */
    private static void tile1x4(float[] ws, int x, int y, int acc, int n) {
        int row = n * L;
        FloatVector a0 = FloatVector.fromArray(F, ws, acc), a1 = FloatVector.fromArray(F, ws, acc + L);
        FloatVector a2 = FloatVector.fromArray(F, ws, acc + 2 * L), a3 = FloatVector.fromArray(F, ws, acc + 3 * L);
        for (int j = 0; j < row; j += L) {
            FloatVector x0 = FloatVector.fromArray(F, ws, x + j);
            a0 = x0.fma(FloatVector.fromArray(F, ws, y + j), a0);
            a1 = x0.fma(FloatVector.fromArray(F, ws, y + row + j), a1);
            a2 = x0.fma(FloatVector.fromArray(F, ws, y + 2 * row + j), a2);
            a3 = x0.fma(FloatVector.fromArray(F, ws, y + 3 * row + j), a3);
        }
        a0.intoArray(ws, acc);
        a1.intoArray(ws, acc + L);
        a2.intoArray(ws, acc + 2 * L);
        a3.intoArray(ws, acc + 3 * L);
    }

    /** Row x against key y. */
    private static void tile1x1(float[] ws, int x, int y, int acc, int n) {
        int row = n * L;
        FloatVector a0 = FloatVector.fromArray(F, ws, acc);
        for (int j = 0; j < row; j += L) a0 = FloatVector.fromArray(F, ws, x + j).fma(FloatVector.fromArray(F, ws, y + j), a0);
        a0.intoArray(ws, acc);
    }
}
