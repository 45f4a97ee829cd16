package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Tolerance;

/**
 * One generated GEMM problem {@code C = alpha op(A) op(B) + beta C}: operands as padded views
 * (offsets, leading dimensions larger than the column count), and its float64 reference.
 *
 * <p>Dimensions, as the harness shrinks them: {@code m, n, k, padA, padB, padC, offA, offB, offC}.
 */
final class GemmCase {

    final boolean transA, transB;
    final int m, n, k, aOff, bOff, cOff, lda, ldb, ldc;
    final float alpha, beta;
    final float[] a, b, c0;

    /** Dimension generator: mostly up to 70 (the suite stays fast), one case in eight up to 150. */
    static int[] dims(Gen g) {
        return dims(g, g.nextInt(8) == 0 ? 150 : 70);
    }

    /** Smaller shapes for the algebraic properties, which run three products per case: up to 40, one in eight up to 90. */
    static int[] smallDims(Gen g) {
        return dims(g, g.nextInt(8) == 0 ? 90 : 40);
    }

    private static int[] dims(Gen g, int max) {
        return new int[] {g.dim(max), g.dim(max), g.dim(max), pad(g), pad(g), pad(g), g.dim(5), g.dim(5), g.dim(5)};
    }

    /** Zero half of the time (contiguous rows), otherwise 1..19 extra floats per row. */
    static int pad(Gen g) {
        return g.nextBoolean() ? 0 : g.dim(1, 19);
    }

    GemmCase(int[] d, Gen g, boolean transA, boolean transB) {
        this(d, g, transA, transB, g.coefficient(), g.coefficient());
    }

    GemmCase(int[] d, Gen g, boolean transA, boolean transB, float alpha, float beta) {
        this.transA = transA;
        this.transB = transB;
        m = d[0];
        n = d[1];
        k = d[2];
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        lda = aCols + d[3];
        ldb = bCols + d[4];
        ldc = n + d[5];
        aOff = d[6];
        bOff = d[7];
        cOff = d[8];
        this.alpha = alpha;
        this.beta = beta;
        a = Buffers.matrix(g, g.dist(), aOff, aRows, aCols, lda, g.dim(3));
        b = Buffers.matrix(g, g.dist(), bOff, bRows, bCols, ldb, g.dim(3));
        c0 = Buffers.matrix(g, g.dist(), cOff, m, n, ldc, g.dim(3));
        if (beta == 0f) {
            // beta == 0 means C is write-only: NaN and infinity in it must not leak into the result.
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) c0[cOff + i * ldc + j] = (i + j) % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The same operands and C with other coefficients. */
    GemmCase(GemmCase o, float alpha, float beta) {
        transA = o.transA;
        transB = o.transB;
        m = o.m;
        n = o.n;
        k = o.k;
        aOff = o.aOff;
        bOff = o.bOff;
        cOff = o.cOff;
        lda = o.lda;
        ldb = o.ldb;
        ldc = o.ldc;
        this.alpha = alpha;
        this.beta = beta;
        a = o.a;
        b = o.b;
        c0 = o.c0;
    }

    /** Element (i, p) of op(A). */
    double opA(int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    /** Element (p, j) of op(B). */
    double opB(int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    double cIn(int i, int j) {
        return c0[cOff + i * ldc + j];
    }

    /** Runs the kernel on a fresh copy of C and returns that copy. */
    float[] run(DenseOps ops) {
        float[] c = c0.clone();
        ops.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        return c;
    }

    float got(float[] c, int i, int j) {
        return c[cOff + i * ldc + j];
    }

    /** {@code sum_p op(A)_ip op(B)_pj} in float64 (exact products, 53-bit sums). */
    double dotRef(int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) s += opA(i, p) * opB(p, j);
        return s;
    }

    double absDotRef(int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) s += Math.abs(opA(i, p) * opB(p, j));
        return s;
    }

    /** The float64 reference of element (i, j); with beta == 0 the old C is not read. */
    double ref(int i, int j) {
        double r = (double) alpha * dotRef(i, j);
        return beta == 0f ? r : r + (double) beta * cIn(i, j);
    }

    /**
     * Bound on element (i, j): a k-term accumulation of |alpha| |A||B|, plus three extra roundings
     * (alpha times the sum or times an A entry, beta times C, the final add) over the size
     * |alpha| sum|a b| + |beta c|.
     */
    double bound(int i, int j) {
        double size = Math.abs((double) alpha) * absDotRef(i, j) + (beta == 0f ? 0 : Math.abs((double) beta * cIn(i, j)));
        return Tolerance.sumBound(k, 3, size);
    }

    /** Checks every element against the reference, and that nothing outside C and no input changed. */
    void checkAgainstReference(String what, float[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                Tolerance.check(what + " C[" + i + "," + j + "]", got(c, i, j), ref(i, j), bound(i, j));
            }
        }
        Buffers.assertOnlyViewChanged(what + " C", c0, c, cOff, m, n, ldc);
    }

    @Override
    public String toString() {
        return "gemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + k
                + ", alpha=" + alpha + ", beta=" + beta + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ")";
    }
}
