package dev.onelayer.kernel;

/**
 * Plain-Java implementation of {@link DenseOps}: the fallback when the Vector API is unavailable,
 * and the baseline the benchmarks compare against. Loops are written in the order that keeps
 * the innermost access contiguous; every sum runs left to right.
 */
public final class ScalarDenseOps implements DenseOps {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        scaleOutput(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!transB) {
                // C[i,:] += alpha * sum_p A[i,p] * B[p,:]  (axpy over contiguous rows of B)
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
                }
            } else {
                // C[i,j] += alpha * dot(A[i,:], B[j,:])  (B^T rows are contiguous)
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    if (transA) {
                        for (int p = 0; p < k; p++) s += a[aOff + p * lda + i] * b[bj + p];
                    } else {
                        int ai = aOff + i * lda;
                        for (int p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
                    }
                    c[ci + j] += alpha * s;
                }
            }
        }
    }

    static void scaleOutput(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
        }
    }

    @Override
    public void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                     float[] x, int xOff, float beta, float[] y, int yOff) {
        if (!trans) {
            for (int i = 0; i < m; i++) {
                float s = dot(n, a, aOff + i * lda, x, xOff);
                y[yOff + i] = (beta == 0f ? 0f : beta * y[yOff + i]) + alpha * s;
            }
        } else {
            scaleOutput(1, n, beta, y, yOff, n);
            for (int i = 0; i < m; i++) axpy(n, alpha * x[xOff + i], a, aOff + i * lda, y, yOff);
        }
    }

    @Override
    public void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff,
                    float[] a, int aOff, int lda) {
        for (int i = 0; i < m; i++) axpy(n, alpha * x[xOff + i], y, yOff, a, aOff + i * lda);
    }

    @Override
    public void syrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float beta, float[] c, int cOff, int ldc) {
        gemm(trans, !trans, n, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc);
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[xOff + i] * y[yOff + i];
        return s;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void axpyWide(int n, double alpha, float[] x, int xOff, float[] y, int yOff) {
        axpyWideRange(n, alpha, x, xOff, y, yOff);
    }

    /** The scalar {@link #axpyWide} loop, also the vector implementation's tail (same expression, same bits). */
    public static void axpyWideRange(int n, double alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = (float) (y[yOff + i] + alpha * x[xOff + i]);
    }

    @Override
    public void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        adamRange(n, w, wOff, g, gOff, m, mOff, v, vOff, beta1, beta2, stepSize, invSqrtBc2, eps);
    }

    /** The scalar {@link #adam} loop, also the vector implementation's tail (same expressions, same bits). */
    public static void adamRange(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                                 float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = Math.fma(beta1, m[mOff + i], c1 * gi);
            float vi = Math.fma(beta2, v[vOff + i], c2 * (gi * gi));
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            // the float sqrt as a double sqrt rounded to float: correctly rounded (53 >= 2 * 24 + 2 bits)
            w[wOff + i] -= stepSize * mi / Math.fma((float) Math.sqrt(vi), invSqrtBc2, eps);
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) x[xOff + i] *= alpha;
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[xOff + i];
        return s;
    }

    @Override
    public float asum(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += Math.abs(x[xOff + i]);
        return s;
    }

    @Override
    public float maxAbs(int n, float[] x, int xOff) {
        float m = 0f;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(x[xOff + i]));
        return m;
    }

    @Override
    public float nrm2(int n, float[] x, int xOff) {
        float max = maxAbs(n, x, xOff);
        if (max == 0f || !Float.isFinite(max)) return max;
        // Scale by the power of two 2^-e of max's exponent: exact, and unlike 1/max it stays
        // finite when max is subnormal (1/max overflowed to infinity there).
        int e = Math.getExponent(max);
        float inv = Math.scalb(1f, -e);
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i] * inv;
            s += v * v;
        }
        return (float) Math.scalb(Math.sqrt(s), e);
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            float max = rowMax(cols, x, xr);
            float s = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[xr + j] - max);
                y[yr + j] = e;
                s += e;
            }
            float inv = 1f / s;
            for (int j = 0; j < cols; j++) y[yr + j] *= inv;
        }
    }

    @Override
    public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            float max = rowMax(cols, x, xr);
            float s = 0f;
            for (int j = 0; j < cols; j++) s += (float) Math.exp(x[xr + j] - max);
            float shift = max + (float) Math.log(s);
            for (int j = 0; j < cols; j++) y[yr + j] = x[xr + j] - shift;
        }
    }

    private static float rowMax(int cols, float[] x, int off) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[off + j]);
        return max;
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    @Override
    public void softmaxRowsBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                    float[] dx, int dxOff, int lddx) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * ldy, dyr = dyOff + r * lddy, dxr = dxOff + r * lddx;
            float dsum = dot(cols, y, yr, dy, dyr);
            for (int j = 0; j < cols; j++) dx[dxr + j] = y[yr + j] * (dy[dyr + j] - dsum);
        }
    }

    @Override
    public void reluGemv(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < m; i++) {
            int r = aOff + i * lda;
            float s = 0f;
            for (int j = 0; j < n; j++) s += Math.max(a[r + j], 0f) * x[xOff + j];
            y[yOff + i] = s;
        }
    }

    @Override
    public void reluGemvGate(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff,
                             float[] g, int gOff, int ldg) {
        reluGemv(m, n, a, aOff, lda, x, xOff, y, yOff); // reads all of A before G (possibly A) is written
        for (int i = 0; i < m; i++) {
            int r = aOff + i * lda, gr = gOff + i * ldg;
            for (int j = 0; j < n; j++) g[gr + j] = a[r + j] > 0f ? x[xOff + j] : 0f;
        }
    }

    @Override
    public void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    /** sqrt(2/pi), the GELU tanh-form constant. */
    static final float GELU_C = 0.7978845608028654f;
    static final float GELU_A = 0.044715f;

    @Override
    public void gelu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float t = (float) Math.tanh(GELU_C * (v + GELU_A * v * v * v));
            y[yOff + i] = 0.5f * v * (1f + t);
        }
    }

    @Override
    public void geluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float t = (float) Math.tanh(GELU_C * (v + GELU_A * v * v * v));
            float dt = GELU_C * (1f + 3f * GELU_A * v * v) * (1f - t * t);
            dx[dxOff + i] = dy[dyOff + i] * (0.5f * (1f + t) + 0.5f * v * dt);
        }
    }

    @Override
    public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = x[xOff + i] * y[yOff + i];
    }

    @Override
    public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
    }
}
