package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.kernel.PositionalOuter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The banded products of form 3 ({@link PositionalOuter.Bands}) with the Vector API.
 *
 * <p>{@link #rows} and {@link #cols} run the lanes along the outer-product rows (d^2 or 2 d^2
 * floats, padded to whole vectors with zeros) and block four rows of the result with two vectors
 * each, so every loaded row of X feeds eight FMAs; a row whose band ends earlier than its block's
 * last row gets weight 0 there (an exact no-op on finite data). {@link #dots} runs the lanes along
 * the keys s over the transposed KV, so each dP entry is an FMA chain over the outer-product index
 * in order, with no horizontal sum; lanes past a row's band are computed and dropped.
 *
 * <p>Needs the lane count to divide {@link PositionalAttentionSpec#ROW_ALIGN}; otherwise
 * {@link #SUPPORTED} is false and the caller uses the scalar products.
 */
final class VectorPositionalBands implements PositionalOuter.Bands {

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    static final boolean SUPPORTED = PositionalAttentionSpec.ROW_ALIGN % L == 0;
    static final VectorPositionalBands INSTANCE = new VectorPositionalBands();

    private VectorPositionalBands() {
    }

    @Override
    public boolean transposed() {
        return true;
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
                for (int s = 0, x = xOff + j; s <= h3; s++, x += ld) {
                    FloatVector g0 = FloatVector.broadcast(F, s <= h0 ? p[p0 + s] : 0f);
                    FloatVector g1 = FloatVector.broadcast(F, s <= h1 ? p[p1 + s] : 0f);
                    FloatVector g2 = FloatVector.broadcast(F, s <= h2 ? p[p2 + s] : 0f);
                    FloatVector g3 = FloatVector.broadcast(F, p[p3 + s]);
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
                for (int s = 0, x = xOff + j; s <= h3; s++, x += ld) {
                    FloatVector xa = FloatVector.fromArray(F, ws, x);
                    a0 = xa.fma(FloatVector.broadcast(F, s <= h0 ? p[p0 + s] : 0f), a0);
                    a1 = xa.fma(FloatVector.broadcast(F, s <= h1 ? p[p1 + s] : 0f), a1);
                    a2 = xa.fma(FloatVector.broadcast(F, s <= h2 ? p[p2 + s] : 0f), a2);
                    a3 = xa.fma(FloatVector.broadcast(F, p[p3 + s]), a3);
                }
                a0.intoArray(ws, y + j);
                a1.intoArray(ws, y + ld + j);
                a2.intoArray(ws, y + 2 * ld + j);
                a3.intoArray(ws, y + 3 * ld + j);
            }
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
        int T = sp.seqLen(), ld = sp.outerLd();
        int s = 0;
        for (; s + 4 <= T; s += 4) {
            // Rows s..s+3 of the result read column s..s+3 of P, contiguous in each row t of P.
            int l0 = sp.first(s), l1 = sp.first(s + 1), l2 = sp.first(s + 2), l3 = sp.first(s + 3);
            int y = yOff + s * ld;
            int j = 0;
            for (; j + 2 * L <= ld; j += 2 * L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int t = l0, x = xOff + l0 * ld + j; t < T; t++, x += ld) {
                    int pc = t * T + s;
                    FloatVector g0 = FloatVector.broadcast(F, p[pc]);
                    FloatVector g1 = FloatVector.broadcast(F, t >= l1 ? p[pc + 1] : 0f);
                    FloatVector g2 = FloatVector.broadcast(F, t >= l2 ? p[pc + 2] : 0f);
                    FloatVector g3 = FloatVector.broadcast(F, t >= l3 ? p[pc + 3] : 0f);
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
                for (int t = l0, x = xOff + l0 * ld + j; t < T; t++, x += ld) {
                    int pc = t * T + s;
                    FloatVector xa = FloatVector.fromArray(F, ws, x);
                    a0 = xa.fma(FloatVector.broadcast(F, p[pc]), a0);
                    a1 = xa.fma(FloatVector.broadcast(F, t >= l1 ? p[pc + 1] : 0f), a1);
                    a2 = xa.fma(FloatVector.broadcast(F, t >= l2 ? p[pc + 2] : 0f), a2);
                    a3 = xa.fma(FloatVector.broadcast(F, t >= l3 ? p[pc + 3] : 0f), a3);
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
