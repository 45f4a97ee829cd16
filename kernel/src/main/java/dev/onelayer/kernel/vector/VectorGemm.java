package dev.onelayer.kernel.vector;

import static dev.onelayer.kernel.vector.Lanes.F;
import static dev.onelayer.kernel.vector.Lanes.L;

import jdk.incubator.vector.FloatVector;

/**
 * GEMM {@code C = alpha op(A) op(B) + beta C} over row-major buffers with the Vector API, in the
 * Goto/BLIS layout: op(B) is packed per (NC x KC) block into column panels of width NR = 2L,
 * op(A) per (MC x KC) block into row panels of height MR = 6, and a 6 x 2L register block of C
 * (12 vector accumulators, 2 B vectors, 1 broadcast: 15 of AVX2's 16 registers) runs an
 * FMA chain over the KC depth. Packing is what makes the transposed cases fast: after it the
 * micro-kernel only sees unit-stride panels.
 *
 * <p>Blocking (why these sizes): a KC x NR panel of B is 16 KB at L = 8 and stays in the 32 KB
 * L1d while the kernel sweeps the MC x KC block of A (144 KB) held in the 512 KB L2; the KC x NC
 * block of B lives in L3.
 *
 * <p>Small problems (the models use d = 4..64) skip what does not pay: a non-transposed B is
 * read in place when m is small or B fits in 64 KB, A is read in place when it fits in 64 KB or
 * op(B) is a single column panel (the kernel then takes A's row and depth strides), and a transposed B whose packing would
 * cost more than packing op(A) is avoided by computing {@code C^T = op(B)^T op(A)^T}.
 *
 * <p>Determinism: every choice above and every block size depends only on the shapes, the
 * transpose flags and the lane count, never on timing or thread. Each C entry is
 * {@code c = fma(s_1, alpha, beta c)} (or {@code s_1 alpha} when beta is 0, without reading C),
 * then {@code c = fma(s_q, alpha, c)} for each later depth block q, where {@code s_q} is a
 * left-to-right FMA chain over that block; interior tiles (vector stores) and edge tiles (a
 * scratch tile and scalar stores) evaluate the same formula lane by lane.
 */
final class VectorGemm {

    /** Rows of the register block. */
    static final int MR = 6;
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /** Depth block. */
    static final int KC = 256;
    /** Rows of the packed A block (a multiple of MR). */
    static final int MC = 144;
    /** Columns of the packed B block (a multiple of NR for L up to 16). */
    static final int NC = 2048;

    /** B is read in place (not packed) when not transposed and m is at most this... */
    static final int DIRECT_B_MAX_M = 4 * MR;
    /** ...or when the whole of B has at most this many entries (64 KB: L1/L2 resident). */
    static final long DIRECT_B_MAX_KN = 64 * 64 * 4;

    /** A is read in place (not packed) when it has at most this many entries (64 KB). */
    static final long DIRECT_A_MAX_MK = 64 * 64 * 4;

    private static final int MODE_OVERWRITE = 0; // first depth block, beta == 0: C not read
    private static final int MODE_SCALE = 1;     // first depth block, beta != 0, 1
    private static final int MODE_ADD = 2;       // beta == 1 or a later depth block

    private VectorGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        if (transB && (transA ? 0L : (long) m * k) + (long) m * n < (long) n * k) {
            // Transposed B costs a scalar packing pass over its n x k entries. When op(A) is
            // much smaller, compute C^T = op(B)^T op(A)^T instead: B becomes the in-place
            // left operand, only A^T (m x k, or nothing for TT) is packed, and C is written
            // through the scalar edge path with swapped strides (m n scalar updates).
            blocked(false, !transA, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, beta, c, cOff, 1, ldc);
        } else {
            blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 1);
        }
    }

    /** The blocked product with C entry (i, j) at {@code cOff + i * csr + j * csc}. */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int csr, int csc) {
        // op(B) = B is read in place when its panels would not be reused enough to repay
        // packing: few row panels of A, or a B block small enough to stay in L1/L2 anyway.
        boolean directB = !transB && (m <= DIRECT_B_MAX_M || (long) k * n <= DIRECT_B_MAX_KN);
        // Likewise op(A) is read in place when all of A is small (it then stays in L1/L2), or
        // when op(B) has a single column panel: every packed A entry would then be read once,
        // so packing would only add a pass over A (the models' n = d <= 2L products with long
        // k or many rows, e.g. a weight gradient over a batch's tokens).
        boolean directA = (long) m * k <= DIRECT_A_MAX_MK || n <= NR;
        GemmWorkspace ws = GemmWorkspace.get(Math.min(m, MC), Math.min(n, NC), Math.min(k, KC));
        float[] pa = ws.a, pb = ws.b, tile = ws.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // Full panels read from B in place start here; the rest (if any) are packed.
                int packFrom = directB ? nc - nc % NR : 0;
                if (packFrom < nc) packB(transB, b, bOff, ldb, pc, kc, jc + packFrom, nc - packFrom, pb);
                int mode = pc > 0 || beta == 1f ? MODE_ADD : beta == 0f ? MODE_OVERWRITE : MODE_SCALE;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (!directA) packA(transA, a, aOff, lda, ic, mc, pc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int w = Math.min(NR, nc - jr);
                        float[] bs;
                        int bIdx, bStride;
                        if (jr < packFrom) {
                            bs = b;
                            bIdx = bOff + pc * ldb + jc + jr;
                            bStride = ldb;
                        } else {
                            bs = pb;
                            bIdx = (jr - packFrom) * kc;
                            bStride = w > L ? NR : L;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int h = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * csr + (jc + jr) * csc;
                            float[] as;
                            int aIdx, aRs, aPs;
                            if (!directA) {
                                as = pa;
                                aIdx = ir * kc;
                                aRs = 1;
                                aPs = MR;
                            } else if (!transA) {
                                as = a;
                                aIdx = aOff + (ic + ir) * lda + pc;
                                aRs = lda;
                                aPs = 1;
                            } else {
                                as = a;
                                aIdx = aOff + pc * lda + ic + ir;
                                aRs = 1;
                                aPs = lda;
                            }
                            if (w > L) {
                                kernel6x2(kc, as, aIdx, aRs, aPs, bs, bIdx, bStride, c, cIdx, csr, csc, h, w, alpha, beta, mode, tile);
                            } else {
                                kernel6x1(kc, as, aIdx, aRs, aPs, bs, bIdx, bStride, c, cIdx, csr, csc, h, w, alpha, beta, mode, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /** C = beta C (alpha == 0 or k == 0); beta == 0 writes zeros without reading C. */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, ci, ci + n, 0f);
            else for (int j = 0; j < n; j++) c[ci + j] *= beta;
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into panels: panel jr (width NR, or L for a last panel of
     * at most L columns) starts at jr*kc and holds, for each p, its columns contiguously. Columns
     * past nc are zero so the kernel needs no column tail.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int w = Math.min(NR, nc - jr);
            int pw = w > L ? NR : L;
            int dst = jr * kc;
            if (!transB) {
                int src = bOff + pc * ldb + jc + jr;
                if (w == pw) {
                    if (pw == NR) {
                        for (int p = 0; p < kc; p++) {
                            int s = src + p * ldb, d = dst + p * NR;
                            FloatVector.fromArray(F, b, s).intoArray(pb, d);
                            FloatVector.fromArray(F, b, s + L).intoArray(pb, d + L);
                        }
                    } else {
                        for (int p = 0; p < kc; p++) FloatVector.fromArray(F, b, src + p * ldb).intoArray(pb, dst + p * L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb, d = dst + p * pw;
                        for (int j = 0; j < w; j++) pb[d + j] = b[s + j];
                        for (int j = w; j < pw; j++) pb[d + j] = 0f;
                    }
                }
            } else {
                // op(B)(p, j) = B[j, p]: stored row j is contiguous along p. Four rows at a
                // time keep four sequential read streams and write 4 adjacent floats per p.
                int src = bOff + (jc + jr) * ldb + pc;
                int j = 0;
                for (; j + 4 <= w; j += 4) {
                    if (pw == NR) packRows4(b, src + j * ldb, ldb, kc, pb, dst + j, NR);
                    else packRows4(b, src + j * ldb, ldb, kc, pb, dst + j, L);
                }
                for (; j < w; j++) {
                    int sj = src + j * ldb;
                    for (int p = 0; p < kc; p++) pb[dst + p * pw + j] = b[sj + p];
                }
                for (; j < pw; j++) {
                    for (int p = 0; p < kc; p++) pb[dst + p * pw + j] = 0f;
                }
            }
        }
    }

    /** Four stored rows of B (from s, row stride ldb) into four adjacent packed columns. */
    private static void packRows4(float[] b, int s, int ldb, int kc, float[] pb, int d, int stride) {
        int s1 = s + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
        for (int p = 0; p < kc; p++) {
            int dp = d + p * stride;
            pb[dp] = b[s + p];
            pb[dp + 1] = b[s1 + p];
            pb[dp + 2] = b[s2 + p];
            pb[dp + 3] = b[s3 + p];
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-row panels: panel ir starts at ir*kc and holds,
     * for each p, its MR rows contiguously; rows past mc are zero.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int h = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (!transA) {
                for (int r = 0; r < h; r++) {
                    int s = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) pa[dst + p * MR + r] = a[s + p];
                }
            } else {
                // op(A)(i, p) = A[p, i]: the MR rows of a panel are contiguous in stored row p.
                int s = aOff + pc * lda + ic + ir;
                if (h == MR) {
                    for (int p = 0; p < kc; p++) {
                        int sp = s + p * lda, d = dst + p * MR;
                        pa[d] = a[sp];
                        pa[d + 1] = a[sp + 1];
                        pa[d + 2] = a[sp + 2];
                        pa[d + 3] = a[sp + 3];
                        pa[d + 4] = a[sp + 4];
                        pa[d + 5] = a[sp + 5];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        for (int r = 0; r < h; r++) pa[dst + p * MR + r] = a[s + p * lda + r];
                    }
                }
            }
            for (int r = h; r < MR; r++) {
                for (int p = 0; p < kc; p++) pa[dst + p * MR + r] = 0f;
            }
        }
    }

    /** 6 x 2L block: 12 independent FMA chains, enough to cover 2 pipes x 4-cycle latency. */
    private static void kernel6x2(int kc, float[] pa, int aIdx, int aRs, int aPs, float[] pb, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, int csc, int h, int w,
                                  float alpha, float beta, int mode, float[] tile) {
        // Row i of the block is read at r_i + p * aPs; rows past h repeat row h - 1 (computed,
        // never stored), so a short block needs neither padding nor reads outside A.
        int r1 = aIdx + Math.min(1, h - 1) * aRs, r2 = aIdx + Math.min(2, h - 1) * aRs;
        int r3 = aIdx + Math.min(3, h - 1) * aRs, r4 = aIdx + Math.min(4, h - 1) * aRs;
        int r5 = aIdx + Math.min(5, h - 1) * aRs;
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bp = bIdx + p * bStride, o = p * aPs;
            FloatVector b0 = FloatVector.fromArray(F, pb, bp);
            FloatVector b1 = FloatVector.fromArray(F, pb, bp + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[aIdx + o]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[r1 + o]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[r2 + o]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[r3 + o]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, pa[r4 + o]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, pa[r5 + o]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (h == MR && w == NR && csc == 1) {
            // Written out rather than through a helper taking vectors: a helper call that C2
            // declines to inline boxes its vector argument (seen as B/op under -prof gc).
            if (mode == MODE_OVERWRITE) {
                c00.mul(alpha).intoArray(c, cIdx);
                c01.mul(alpha).intoArray(c, cIdx + L);
                c10.mul(alpha).intoArray(c, cIdx + ldc);
                c11.mul(alpha).intoArray(c, cIdx + ldc + L);
                c20.mul(alpha).intoArray(c, cIdx + 2 * ldc);
                c21.mul(alpha).intoArray(c, cIdx + 2 * ldc + L);
                c30.mul(alpha).intoArray(c, cIdx + 3 * ldc);
                c31.mul(alpha).intoArray(c, cIdx + 3 * ldc + L);
                c40.mul(alpha).intoArray(c, cIdx + 4 * ldc);
                c41.mul(alpha).intoArray(c, cIdx + 4 * ldc + L);
                c50.mul(alpha).intoArray(c, cIdx + 5 * ldc);
                c51.mul(alpha).intoArray(c, cIdx + 5 * ldc + L);
            } else {
                FloatVector va = FloatVector.broadcast(F, alpha);
                FloatVector vb = FloatVector.broadcast(F, mode == MODE_SCALE ? beta : 1f);
                c00.fma(va, FloatVector.fromArray(F, c, cIdx).mul(vb)).intoArray(c, cIdx);
                c01.fma(va, FloatVector.fromArray(F, c, cIdx + L).mul(vb)).intoArray(c, cIdx + L);
                c10.fma(va, FloatVector.fromArray(F, c, cIdx + ldc).mul(vb)).intoArray(c, cIdx + ldc);
                c11.fma(va, FloatVector.fromArray(F, c, cIdx + ldc + L).mul(vb)).intoArray(c, cIdx + ldc + L);
                c20.fma(va, FloatVector.fromArray(F, c, cIdx + 2 * ldc).mul(vb)).intoArray(c, cIdx + 2 * ldc);
                c21.fma(va, FloatVector.fromArray(F, c, cIdx + 2 * ldc + L).mul(vb)).intoArray(c, cIdx + 2 * ldc + L);
                c30.fma(va, FloatVector.fromArray(F, c, cIdx + 3 * ldc).mul(vb)).intoArray(c, cIdx + 3 * ldc);
                c31.fma(va, FloatVector.fromArray(F, c, cIdx + 3 * ldc + L).mul(vb)).intoArray(c, cIdx + 3 * ldc + L);
                c40.fma(va, FloatVector.fromArray(F, c, cIdx + 4 * ldc).mul(vb)).intoArray(c, cIdx + 4 * ldc);
                c41.fma(va, FloatVector.fromArray(F, c, cIdx + 4 * ldc + L).mul(vb)).intoArray(c, cIdx + 4 * ldc + L);
                c50.fma(va, FloatVector.fromArray(F, c, cIdx + 5 * ldc).mul(vb)).intoArray(c, cIdx + 5 * ldc);
                c51.fma(va, FloatVector.fromArray(F, c, cIdx + 5 * ldc + L).mul(vb)).intoArray(c, cIdx + 5 * ldc + L);
            }
        } else {
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR);
            c41.intoArray(tile, 4 * NR + L);
            c50.intoArray(tile, 5 * NR);
            c51.intoArray(tile, 5 * NR + L);
            updateEdge(tile, NR, h, w, alpha, beta, mode, c, cIdx, ldc, csc);
        }
    }

    /** 6 x L block for a last column panel of at most L columns. */
    private static void kernel6x1(int kc, float[] pa, int aIdx, int aRs, int aPs, float[] pb, int bIdx, int bStride,
                                  float[] c, int cIdx, int ldc, int csc, int h, int w,
                                  float alpha, float beta, int mode, float[] tile) {
        // Row i of the block is read at r_i + p * aPs; rows past h repeat row h - 1 (computed,
        // never stored), so a short block needs neither padding nor reads outside A.
        int r1 = aIdx + Math.min(1, h - 1) * aRs, r2 = aIdx + Math.min(2, h - 1) * aRs;
        int r3 = aIdx + Math.min(3, h - 1) * aRs, r4 = aIdx + Math.min(4, h - 1) * aRs;
        int r5 = aIdx + Math.min(5, h - 1) * aRs;
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F), c4 = FloatVector.zero(F), c5 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int o = p * aPs;
            FloatVector b0 = FloatVector.fromArray(F, pb, bIdx + p * bStride);
            c0 = FloatVector.broadcast(F, pa[aIdx + o]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, pa[r1 + o]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, pa[r2 + o]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, pa[r3 + o]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, pa[r4 + o]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, pa[r5 + o]).fma(b0, c5);
        }
        if (h == MR && w == L && csc == 1) {
            // Written out rather than through a helper taking vectors: a helper call that C2
            // declines to inline boxes its vector argument (seen as B/op under -prof gc).
            if (mode == MODE_OVERWRITE) {
                c0.mul(alpha).intoArray(c, cIdx);
                c1.mul(alpha).intoArray(c, cIdx + ldc);
                c2.mul(alpha).intoArray(c, cIdx + 2 * ldc);
                c3.mul(alpha).intoArray(c, cIdx + 3 * ldc);
                c4.mul(alpha).intoArray(c, cIdx + 4 * ldc);
                c5.mul(alpha).intoArray(c, cIdx + 5 * ldc);
            } else {
                FloatVector va = FloatVector.broadcast(F, alpha);
                FloatVector vb = FloatVector.broadcast(F, mode == MODE_SCALE ? beta : 1f);
                c0.fma(va, FloatVector.fromArray(F, c, cIdx).mul(vb)).intoArray(c, cIdx);
                c1.fma(va, FloatVector.fromArray(F, c, cIdx + ldc).mul(vb)).intoArray(c, cIdx + ldc);
                c2.fma(va, FloatVector.fromArray(F, c, cIdx + 2 * ldc).mul(vb)).intoArray(c, cIdx + 2 * ldc);
                c3.fma(va, FloatVector.fromArray(F, c, cIdx + 3 * ldc).mul(vb)).intoArray(c, cIdx + 3 * ldc);
                c4.fma(va, FloatVector.fromArray(F, c, cIdx + 4 * ldc).mul(vb)).intoArray(c, cIdx + 4 * ldc);
                c5.fma(va, FloatVector.fromArray(F, c, cIdx + 5 * ldc).mul(vb)).intoArray(c, cIdx + 5 * ldc);
            }
        } else {
            c0.intoArray(tile, 0);
            c1.intoArray(tile, L);
            c2.intoArray(tile, 2 * L);
            c3.intoArray(tile, 3 * L);
            c4.intoArray(tile, 4 * L);
            c5.intoArray(tile, 5 * L);
            updateEdge(tile, L, h, w, alpha, beta, mode, c, cIdx, ldc, csc);
        }
    }

    /** The h x w valid part of an accumulator tile (row stride ts) into C. */
    private static void updateEdge(float[] tile, int ts, int h, int w, float alpha, float beta, int mode,
                                   float[] c, int cIdx, int ldc, int csc) {
        for (int r = 0; r < h; r++) {
            int t = r * ts, ci = cIdx + r * ldc;
            for (int j = 0; j < w; j++) {
                float v = tile[t + j];
                int at = ci + j * csc;
                // Lane-wise the same formulas as the vector stores (times 1 is exact).
                if (mode == MODE_OVERWRITE) c[at] = v * alpha;
                else c[at] = Math.fma(v, alpha, c[at] * (mode == MODE_SCALE ? beta : 1f));
            }
        }
    }
}
