package dev.onelayer.kernel;

/**
 * Dense contractions and element-wise kernels over row-major {@code float[]} buffers.
 *
 * <p>Two implementations exist: {@link ScalarDenseOps} (plain Java loops) and the Vector API one
 * in {@code dev.onelayer.kernel.vector}. Callers normally go through the facade {@link Kernels},
 * which validates arguments and forwards to the implementation chosen once by
 * {@link KernelProvider}. Implementations trust their input: every index they touch has been
 * checked by the facade.
 *
 * <p>Conventions (BLAS, row-major): a matrix is {@code (array, offset, ld)} where element (i, j)
 * lives at {@code array[offset + i*ld + j]}. {@code op(X)} is X or its transpose. When
 * {@code beta == 0} the output is overwritten without being read, so NaN in it is ignored.
 *
 * <p>Determinism: for a given implementation and the same arguments every method produces the
 * same bits on every call, on every JIT tier and on any number of threads (reductions combine
 * partial sums in a fixed order).
 */
public interface DenseOps {

    /** A short name: {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} with op(A) m x k, op(B) k x n, C m x n.
     * If {@code transA}, A is stored k x m; if {@code transB}, B is stored n x k.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * {@code y = alpha * op(A) * x + beta * y}; A is stored m x n. Without transpose x has n
     * entries and y has m; with transpose x has m and y has n.
     */
    void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
              float[] x, int xOff, float beta, float[] y, int yOff);

    /** Rank-1 update {@code A += alpha * x * y^T}, A m x n. */
    void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff,
             float[] a, int aOff, int lda);

    /**
     * Rank-k update {@code C = alpha * A * A^T + beta * C} (or {@code A^T * A} when {@code trans}),
     * C n x n, both triangles written. Without transpose A is n x k; with transpose A is k x n.
     */
    void syrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
              float beta, float[] c, int cOff, int ldc);

    /** {@code sum_i x_i * y_i}. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code y += alpha * x}. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code y_i = (float) (y_i + alpha x_i)} with the product and the sum in float64 and one
     * rounding to float: an optimiser step whose rate is a double (the SCB optimisers' update,
     * scb.md 3). Every entry is that one expression, so all implementations give the same bits.
     * y may be x itself (same offset), never a shifted view.
     */
    void axpyWide(int n, double alpha, float[] x, int xOff, float[] y, int yOff);

    /**
     * One float32 Adam step (Kingma and Ba 2015, Alg. 1) on n entries, with the bias corrections
     * folded into {@code stepSize = lr / (1 - beta1^t)} and {@code invSqrtBc2 = 1 / sqrt(1 - beta2^t)}:
     * <pre>
     *   m = fma(beta1, m, (1 - beta1) g),   v = fma(beta2, v, (1 - beta2) (g g)),
     *   w = w - (stepSize m) / fma(sqrt(v), invSqrtBc2, eps)
     * </pre>
     * each operation rounded to float as written ({@code 1 - beta} in float; sqrt and the division
     * correctly rounded), so all implementations give the same bits. w, g, m and v must not overlap.
     */
    void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
              float beta1, float beta2, float stepSize, float invSqrtBc2, float eps);

    /** {@code x *= alpha}. */
    void scale(int n, float alpha, float[] x, int xOff);

    /** {@code sum_i x_i}. */
    float sum(int n, float[] x, int xOff);

    /** {@code sum_i |x_i|}. */
    float asum(int n, float[] x, int xOff);

    /** {@code max_i |x_i|}, 0 for n = 0. */
    float maxAbs(int n, float[] x, int xOff);

    /** Euclidean norm, scaled by the power of two of max|x_i| so that squares neither overflow nor underflow. */
    float nrm2(int n, float[] x, int xOff);

    /** Row-wise {@code y_ij = exp(x_ij - max_j x_ij) / sum_j exp(...)}; y may alias x. */
    void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /**
     * Backward of a row softmax {@code y = softmax_rows(x)}: {@code dx_ij = y_ij (dy_ij - D_i)}
     * with {@code D_i = sum_k y_ik dy_ik} (the Jacobian {@code diag(y) - y y^T} applied to dy,
     * in one pass per row); dx may alias dy (same offset and ld), not y.
     */
    void softmaxRowsBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                             float[] dx, int dxOff, int lddx);

    /** Row-wise {@code y_ij = x_ij - max_j x_ij - log sum_j exp(x_ij - max)}; y may alias x. */
    void logSoftmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /** {@code y = max(x, 0)}; y may alias x. */
    void relu(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code y_i = sum_j max(a_ij, 0) x_j} with A stored m x n (ReLU then a matrix-vector
     * product, fused so a one-hidden-layer readout {@code a^T ReLU(h)} reads h once and never
     * stores ReLU(h)); y must not overlap A or x.
     */
    void reluGemv(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@link #reluGemv} that also writes the ReLU's gate applied to x:
     * {@code g_ij = x_j [a_ij > 0]}, G m x n with row stride ldg, the derivative of y_i with
     * respect to a_ij (so a readout's backward needs no second pass over A); y gets the same bits
     * as reluGemv. G may be A itself (same offset and ldg == lda: the gate replaces A in place);
     * otherwise G and y must not overlap A, x or each other.
     */
    void reluGemvGate(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff,
                      float[] g, int gOff, int ldg);

    /** {@code dx = dy * [x > 0]}; dx may alias dy. */
    void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** GELU, tanh form: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}; y may alias x. */
    void gelu(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code dx = dy * gelu'(x)} for the tanh form; dx may alias dy. */
    void geluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** {@code z = x * y} element-wise; z may alias x or y. */
    void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);

    /** {@code z = x + y} element-wise; z may alias x or y. */
    void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);
}
