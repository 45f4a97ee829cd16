package dev.onelayer.kernel.vector;

import dev.onelayer.kernel.PositionalAttentionSpec;

/**
 * Offsets of form 3's lane layout in the workspace ({@link VectorPositionalLanes}; sizes in
 * {@link PositionalAttentionSpec#workspaceFloats}): per group of L sequences, the tokens
 * [T][width][L] (q, k, v, dOut, out or dq, dk, dv), the outer-product rows [T][outer][L] (KV, a block
 * of four rows of M, dM, dKV), the per-lane dP [T][T][L] and dC [outer][L].
 */
final class LaneLayout {

    private static final int L = Lanes.L;

    final int T, d, w, n, tok, row;
    final boolean complex;
    final int qT, kT, vT, gT, oT, dkT, dvT, kv, m, dm, dkv, dP, dC;

    LaneLayout(PositionalAttentionSpec sp, int off) {
        T = sp.seqLen();
        d = sp.d();
        w = sp.tokenWidth();
        n = sp.outerFloats();
        complex = sp.complex();
        tok = T * w * L;
        row = n * L;
        qT = off;
        kT = qT + tok;
        vT = kT + tok;
        gT = vT + tok;
        oT = gT + tok;
        dkT = oT + tok;
        dvT = dkT + tok;
        kv = dvT + tok;
        m = kv + T * row;
        dm = m + 4 * row;
        dkv = dm + T * row;
        dP = dkv + T * row;
        dC = dP + T * T * L;
    }
}
