package dev.onelayer.kernel;

/**
 * The dense-kernel facade: static methods, like {@link Math}, in front of the implementation
 * chosen once by {@link KernelProvider} (Vector API or scalar). Every method validates its
 * arguments and throws {@link IllegalArgumentException} naming the operand and dimension that do
 * not fit; the implementation behind it then runs without further checks.
 *
 * <p>Matrices are row-major {@code (array, offset, ld)} as in BLAS; see {@link DenseOps} for the
 * exact semantics of each operation.
 */
public final class Kernels {

    private static final DenseOps IMPL = KernelProvider.load(
            DenseOps.class, "dev.onelayer.kernel.vector.VectorDenseOps", new ScalarDenseOps());

    private Kernels() {
    }

    /** The implementation in use (the same object for the life of the JVM). */
    public static DenseOps implementation() {
        return IMPL;
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C}; see {@link DenseOps#gemm}. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        final String g = "gemm";
        Checks.nonNegative(g, "m", m);
        Checks.nonNegative(g, "n", n);
        Checks.nonNegative(g, "k", k);
        // Labels are built only on failure (Checks.fits first): small GEMMs are called in loops.
        if (transA) {
            if (!Checks.fits(a, aOff, k, m, lda)) Checks.matrix(g, "A^T (A stored k x m, k=" + k + ", m=" + m + ")", a, aOff, k, m, lda);
        } else if (!Checks.fits(a, aOff, m, k, lda)) {
            Checks.matrix(g, "A (m=" + m + ", k=" + k + ")", a, aOff, m, k, lda);
        }
        if (transB) {
            if (!Checks.fits(b, bOff, n, k, ldb)) Checks.matrix(g, "B^T (B stored n x k, n=" + n + ", k=" + k + ")", b, bOff, n, k, ldb);
        } else if (!Checks.fits(b, bOff, k, n, ldb)) {
            Checks.matrix(g, "B (k=" + k + ", n=" + n + ")", b, bOff, k, n, ldb);
        }
        if (!Checks.fits(c, cOff, m, n, ldc)) Checks.matrix(g, "C (m=" + m + ", n=" + n + ")", c, cOff, m, n, ldc);
        long cSpan = Checks.span(m, n, ldc);
        Checks.disjoint(g, "C", c, cOff, cSpan, "A", a, aOff, transA ? Checks.span(k, m, lda) : Checks.span(m, k, lda));
        Checks.disjoint(g, "C", c, cOff, cSpan, "B", b, bOff, transB ? Checks.span(n, k, ldb) : Checks.span(k, n, ldb));
        IMPL.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Contiguous {@code C = A * B} with A m x k, B k x n, C m x n. */
    public static void matmul(int m, int n, int k, float[] a, float[] b, float[] c) {
        gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
    }

    /** {@code y = alpha * op(A) * x + beta * y}, A stored m x n; see {@link DenseOps#gemv}. */
    public static void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                            float[] x, int xOff, float beta, float[] y, int yOff) {
        final String g = "gemv";
        Checks.nonNegative(g, "m", m);
        Checks.nonNegative(g, "n", n);
        if (!Checks.fits(a, aOff, m, n, lda)) Checks.matrix(g, "A (m=" + m + ", n=" + n + ")", a, aOff, m, n, lda);
        int xLen = trans ? m : n, yLen = trans ? n : m;
        if (!Checks.fits(x, xOff, 1, xLen, xLen)) Checks.vector(g, "x (" + (trans ? "m" : "n") + "=" + xLen + ")", x, xOff, xLen);
        if (!Checks.fits(y, yOff, 1, yLen, yLen)) Checks.vector(g, "y (" + (trans ? "n" : "m") + "=" + yLen + ")", y, yOff, yLen);
        Checks.disjoint(g, "y", y, yOff, yLen, "A", a, aOff, Checks.span(m, n, lda));
        Checks.disjoint(g, "y", y, yOff, yLen, "x", x, xOff, xLen);
        IMPL.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /** {@code A += alpha * x * y^T}, A m x n. */
    public static void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff,
                           float[] a, int aOff, int lda) {
        final String g = "ger";
        Checks.nonNegative(g, "m", m);
        Checks.nonNegative(g, "n", n);
        Checks.vector(g, "x (m=" + m + ")", x, xOff, m);
        Checks.vector(g, "y (n=" + n + ")", y, yOff, n);
        Checks.matrix(g, "A (m=" + m + ", n=" + n + ")", a, aOff, m, n, lda);
        long aSpan = Checks.span(m, n, lda);
        Checks.disjoint(g, "A", a, aOff, aSpan, "x", x, xOff, m);
        Checks.disjoint(g, "A", a, aOff, aSpan, "y", y, yOff, n);
        IMPL.ger(m, n, alpha, x, xOff, y, yOff, a, aOff, lda);
    }

    /** {@code C = alpha * A A^T + beta * C} (or {@code A^T A}); see {@link DenseOps#syrk}. */
    public static void syrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
                            float beta, float[] c, int cOff, int ldc) {
        final String g = "syrk";
        Checks.nonNegative(g, "n", n);
        Checks.nonNegative(g, "k", k);
        if (trans) Checks.matrix(g, "A (stored k x n, k=" + k + ", n=" + n + ")", a, aOff, k, n, lda);
        else Checks.matrix(g, "A (n=" + n + ", k=" + k + ")", a, aOff, n, k, lda);
        Checks.matrix(g, "C (n=" + n + ")", c, cOff, n, n, ldc);
        Checks.disjoint(g, "C", c, cOff, Checks.span(n, n, ldc), "A", a, aOff,
                trans ? Checks.span(k, n, lda) : Checks.span(n, k, lda));
        IMPL.syrk(trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    }

    /** {@code sum_i x_i y_i}. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vector("dot", "x", x, xOff, n);
        Checks.vector("dot", "y", y, yOff, n);
        return IMPL.dot(n, x, xOff, y, yOff);
    }

    /** Dot product of two whole arrays of equal length. */
    public static float dot(float[] x, float[] y) {
        if (x == null || y == null) throw new IllegalArgumentException("dot: " + (x == null ? "x" : "y") + " is null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("dot: x has " + x.length + " floats but y has " + y.length);
        }
        return IMPL.dot(x.length, x, 0, y, 0);
    }

    /** {@code y += alpha * x}. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vector("axpy", "x", x, xOff, n);
        Checks.vector("axpy", "y", y, yOff, n);
        // y may be x itself (same offset), never a shifted view of it: the result would depend on
        // the order elements are read and written, i.e. on the implementation and vector width.
        if (xOff != yOff) Checks.disjoint("axpy", "y", y, yOff, n, "x", x, xOff, n);
        IMPL.axpy(n, alpha, x, xOff, y, yOff);
    }

    /** {@code y_i = (float) (y_i + alpha x_i)} in float64, one rounding per entry; see {@link DenseOps#axpyWide}. */
    public static void axpyWide(int n, double alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vector("axpyWide", "x", x, xOff, n);
        Checks.vector("axpyWide", "y", y, yOff, n);
        if (xOff != yOff) Checks.disjoint("axpyWide", "y", y, yOff, n, "x", x, xOff, n);
        IMPL.axpyWide(n, alpha, x, xOff, y, yOff);
    }

    /** One float32 Adam step on w with gradient g and moments m, v; see {@link DenseOps#adam}. */
    public static void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                            float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        final String k = "adam";
        Checks.vector(k, "w", w, wOff, n);
        Checks.vector(k, "g", g, gOff, n);
        Checks.vector(k, "m", m, mOff, n);
        Checks.vector(k, "v", v, vOff, n);
        Checks.disjoint(k, "w", w, wOff, n, "g", g, gOff, n);
        Checks.disjoint(k, "w", w, wOff, n, "m", m, mOff, n);
        Checks.disjoint(k, "w", w, wOff, n, "v", v, vOff, n);
        Checks.disjoint(k, "m", m, mOff, n, "g", g, gOff, n);
        Checks.disjoint(k, "m", m, mOff, n, "v", v, vOff, n);
        Checks.disjoint(k, "v", v, vOff, n, "g", g, gOff, n);
        // the hyperparameters, once per call: a NaN here would turn every weight NaN at once
        Checks.unitInterval(k, "beta1", beta1);
        Checks.unitInterval(k, "beta2", beta2);
        Checks.finite(k, "stepSize", stepSize);
        Checks.positive(k, "invSqrtBc2", invSqrtBc2);
        Checks.positive(k, "eps", eps);
        IMPL.adam(n, w, wOff, g, gOff, m, mOff, v, vOff, beta1, beta2, stepSize, invSqrtBc2, eps);
    }

    /** {@code x *= alpha}. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        Checks.vector("scale", "x", x, xOff, n);
        IMPL.scale(n, alpha, x, xOff);
    }

    /** {@code sum_i x_i}. */
    public static float sum(int n, float[] x, int xOff) {
        Checks.vector("sum", "x", x, xOff, n);
        return IMPL.sum(n, x, xOff);
    }

    /** {@code sum_i |x_i|}. */
    public static float asum(int n, float[] x, int xOff) {
        Checks.vector("asum", "x", x, xOff, n);
        return IMPL.asum(n, x, xOff);
    }

    /** {@code max_i |x_i|} (0 when n = 0). */
    public static float maxAbs(int n, float[] x, int xOff) {
        Checks.vector("maxAbs", "x", x, xOff, n);
        return IMPL.maxAbs(n, x, xOff);
    }

    /** Euclidean norm {@code sqrt(sum_i x_i^2)}, computed without overflow. */
    public static float nrm2(int n, float[] x, int xOff) {
        Checks.vector("nrm2", "x", x, xOff, n);
        return IMPL.nrm2(n, x, xOff);
    }

    /** Row-wise, max-subtracted softmax of a rows x cols matrix; y may be x itself. */
    public static void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        rowsCheck("softmaxRows", rows, cols, x, xOff, ldx, y, yOff, ldy);
        IMPL.softmaxRows(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    /**
     * Backward of a row softmax: {@code dx_ij = y_ij (dy_ij - sum_k y_ik dy_ik)}; dx may be dy
     * itself (same offset and ld) but must not overlap y. See {@link DenseOps#softmaxRowsBackward}.
     */
    public static void softmaxRowsBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                           float[] dx, int dxOff, int lddx) {
        final String g = "softmaxRowsBackward";
        rowsCheck(g, rows, cols, dy, dyOff, lddy, dx, dxOff, lddx);
        if (!Checks.fits(y, yOff, rows, cols, ldy)) Checks.matrix(g, "y (" + rows + "x" + cols + ")", y, yOff, rows, cols, ldy);
        Checks.disjoint(g, "dx", dx, dxOff, Checks.span(rows, cols, lddx), "y", y, yOff, Checks.span(rows, cols, ldy));
        IMPL.softmaxRowsBackward(rows, cols, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
    }

    /** Row-wise, max-subtracted log-softmax of a rows x cols matrix; y may be x itself. */
    public static void logSoftmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        rowsCheck("logSoftmaxRows", rows, cols, x, xOff, ldx, y, yOff, ldy);
        IMPL.logSoftmaxRows(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    private static void rowsCheck(String g, int rows, int cols, float[] x, int xOff, int ldx,
                                  float[] y, int yOff, int ldy) {
        Checks.nonNegative(g, "rows", rows);
        Checks.nonNegative(g, "cols", cols);
        if (!Checks.fits(x, xOff, rows, cols, ldx)) Checks.matrix(g, "x (" + rows + "x" + cols + ")", x, xOff, rows, cols, ldx);
        if (!Checks.fits(y, yOff, rows, cols, ldy)) Checks.matrix(g, "y (" + rows + "x" + cols + ")", y, yOff, rows, cols, ldy);
        if (x == y && !(xOff == yOff && ldx == ldy)) {
            Checks.disjoint(g, "y", y, yOff, Checks.span(rows, cols, ldy), "x", x, xOff, Checks.span(rows, cols, ldx));
        }
    }

    /** {@code y = max(x, 0)}. */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        unary("relu", n, x, xOff, y, yOff);
        IMPL.relu(n, x, xOff, y, yOff);
    }

    /** {@code y_i = sum_j max(A_ij, 0) x_j}, A stored m x n; see {@link DenseOps#reluGemv}. */
    public static void reluGemv(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        final String g = "reluGemv";
        Checks.nonNegative(g, "m", m);
        Checks.nonNegative(g, "n", n);
        if (!Checks.fits(a, aOff, m, n, lda)) Checks.matrix(g, "A (m=" + m + ", n=" + n + ")", a, aOff, m, n, lda);
        if (!Checks.fits(x, xOff, 1, n, n)) Checks.vector(g, "x (n=" + n + ")", x, xOff, n);
        if (!Checks.fits(y, yOff, 1, m, m)) Checks.vector(g, "y (m=" + m + ")", y, yOff, m);
        Checks.disjoint(g, "y", y, yOff, m, "A", a, aOff, Checks.span(m, n, lda));
        Checks.disjoint(g, "y", y, yOff, m, "x", x, xOff, n);
        IMPL.reluGemv(m, n, a, aOff, lda, x, xOff, y, yOff);
    }

    /**
     * {@code y_i = sum_j max(A_ij, 0) x_j} and {@code G_ij = x_j [A_ij > 0]}; see
     * {@link DenseOps#reluGemvGate}.
     */
    public static void reluGemvGate(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff,
                                    float[] g, int gOff, int ldg) {
        final String w = "reluGemvGate";
        Checks.nonNegative(w, "m", m);
        Checks.nonNegative(w, "n", n);
        if (!Checks.fits(a, aOff, m, n, lda)) Checks.matrix(w, "A (m=" + m + ", n=" + n + ")", a, aOff, m, n, lda);
        if (!Checks.fits(g, gOff, m, n, ldg)) Checks.matrix(w, "G (m=" + m + ", n=" + n + ")", g, gOff, m, n, ldg);
        if (!Checks.fits(x, xOff, 1, n, n)) Checks.vector(w, "x (n=" + n + ")", x, xOff, n);
        if (!Checks.fits(y, yOff, 1, m, m)) Checks.vector(w, "y (m=" + m + ")", y, yOff, m);
        long spanA = Checks.span(m, n, lda), spanG = Checks.span(m, n, ldg);
        Checks.disjoint(w, "y", y, yOff, m, "A", a, aOff, spanA);
        Checks.disjoint(w, "y", y, yOff, m, "x", x, xOff, n);
        if (!(g == a && gOff == aOff && ldg == lda)) Checks.disjoint(w, "G", g, gOff, spanG, "A", a, aOff, spanA);
        Checks.disjoint(w, "G", g, gOff, spanG, "x", x, xOff, n);
        Checks.disjoint(w, "G", g, gOff, spanG, "y", y, yOff, m);
        IMPL.reluGemvGate(m, n, a, aOff, lda, x, xOff, y, yOff, g, gOff, ldg);
    }

    /** {@code dx = dy * [x > 0]}. */
    public static void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        binary("reluBackward", n, x, xOff, dy, dyOff, dx, dxOff);
        IMPL.reluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    /** GELU in its tanh form (GPT-2's {@code gelu_new}). */
    public static void gelu(int n, float[] x, int xOff, float[] y, int yOff) {
        unary("gelu", n, x, xOff, y, yOff);
        IMPL.gelu(n, x, xOff, y, yOff);
    }

    /** {@code dx = dy * gelu'(x)}. */
    public static void geluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        binary("geluBackward", n, x, xOff, dy, dyOff, dx, dxOff);
        IMPL.geluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    /** {@code z = x * y} element-wise. */
    public static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        binary("mul", n, x, xOff, y, yOff, z, zOff);
        IMPL.mul(n, x, xOff, y, yOff, z, zOff);
    }

    /** {@code z = x + y} element-wise. */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        binary("add", n, x, xOff, y, yOff, z, zOff);
        IMPL.add(n, x, xOff, y, yOff, z, zOff);
    }

    /** Element-wise output may alias an input only exactly (same offset), never partially. */
    private static void unary(String g, int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.vector(g, "x", x, xOff, n);
        Checks.vector(g, "y", y, yOff, n);
        if (xOff != yOff) Checks.disjoint(g, "y", y, yOff, n, "x", x, xOff, n);
    }

    private static void binary(String g, int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        Checks.vector(g, "first input", x, xOff, n);
        Checks.vector(g, "second input", y, yOff, n);
        Checks.vector(g, "output", z, zOff, n);
        if (zOff != xOff) Checks.disjoint(g, "output", z, zOff, n, "first input", x, xOff, n);
        if (zOff != yOff) Checks.disjoint(g, "output", z, zOff, n, "second input", y, yOff, n);
    }
}
