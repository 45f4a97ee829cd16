package dev.onelayer.kernel.vector;

import static dev.onelayer.kernel.vector.Lanes.F;
import static dev.onelayer.kernel.vector.Lanes.L;

import dev.onelayer.kernel.DenseOps;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API implementation of {@link DenseOps}. Loops are a vector body (several independent
 * accumulators where a reduction would otherwise serialise on FMA latency) followed by a scalar
 * tail; masked tails are avoided because JDK 17 emulates them with blends. Reductions combine
 * the accumulators and then the lanes in a fixed order ({@link Lanes#sum}).
 */
public final class VectorDenseOps implements DenseOps {

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                     float[] x, int xOff, float beta, float[] y, int yOff) {
        if (!trans) {
            VectorGemv.rowsTimesX(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        } else {
            VectorGemv.xTimesRows(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        }
    }

    @Override
    public void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff,
                    float[] a, int aOff, int lda) {
        VectorGemv.ger(m, n, alpha, x, xOff, y, yOff, a, aOff, lda);
    }

    @Override
    public void syrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemm(trans, !trans, n, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc);
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return dotImpl(n, x, xOff, y, yOff);
    }

    /** Dot product with four accumulators (FMA latency 4 x throughput 2 wants several chains). */
    static float dotImpl(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        float s;
        if (n >= 2 * L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            int bound4 = n - 4 * L;
            for (; i <= bound4; i += 4 * L) {
                s0 = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), s0);
                s1 = FloatVector.fromArray(F, x, xOff + i + L).fma(FloatVector.fromArray(F, y, yOff + i + L), s1);
                s2 = FloatVector.fromArray(F, x, xOff + i + 2 * L).fma(FloatVector.fromArray(F, y, yOff + i + 2 * L), s2);
                s3 = FloatVector.fromArray(F, x, xOff + i + 3 * L).fma(FloatVector.fromArray(F, y, yOff + i + 3 * L), s3);
            }
            for (; i <= n - L; i += L) {
                s0 = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), s0);
            }
            s = Lanes.sum(s0.add(s1).add(s2.add(s3)));
        } else {
            s = 0f;
        }
        for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        axpyImpl(n, alpha, x, xOff, y, yOff);
    }

    static void axpyImpl(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    @Override
    public void axpyWide(int n, double alpha, float[] x, int xOff, float[] y, int yOff) {
        VectorUpdates.axpyWide(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void adam(int n, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        VectorUpdates.adam(n, w, wOff, g, gOff, m, mOff, v, vOff, beta1, beta2, stepSize, invSqrtBc2, eps);
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) x[xOff + i] *= alpha;
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        int i = 0;
        float s = 0f;
        if (n >= L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                s0 = s0.add(FloatVector.fromArray(F, x, xOff + i));
                s1 = s1.add(FloatVector.fromArray(F, x, xOff + i + L));
            }
            for (; i <= n - L; i += L) s0 = s0.add(FloatVector.fromArray(F, x, xOff + i));
            s = Lanes.sum(s0.add(s1));
        }
        for (; i < n; i++) s += x[xOff + i];
        return s;
    }

    @Override
    public float asum(int n, float[] x, int xOff) {
        int i = 0;
        float s = 0f;
        if (n >= L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                s0 = s0.add(FloatVector.fromArray(F, x, xOff + i).abs());
                s1 = s1.add(FloatVector.fromArray(F, x, xOff + i + L).abs());
            }
            for (; i <= n - L; i += L) s0 = s0.add(FloatVector.fromArray(F, x, xOff + i).abs());
            s = Lanes.sum(s0.add(s1));
        }
        for (; i < n; i++) s += Math.abs(x[xOff + i]);
        return s;
    }

    @Override
    public float maxAbs(int n, float[] x, int xOff) {
        int i = 0;
        float m = 0f;
        if (n >= L) {
            FloatVector vm = FloatVector.zero(F);
            for (int bound = F.loopBound(n); i < bound; i += L) vm = vm.max(FloatVector.fromArray(F, x, xOff + i).abs());
            m = Lanes.max(vm);
        }
        for (; i < n; i++) m = Math.max(m, Math.abs(x[xOff + i]));
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
        int i = 0;
        float s = 0f;
        if (n >= L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                FloatVector v0 = FloatVector.fromArray(F, x, xOff + i).mul(inv);
                FloatVector v1 = FloatVector.fromArray(F, x, xOff + i + L).mul(inv);
                s0 = v0.fma(v0, s0);
                s1 = v1.fma(v1, s1);
            }
            for (; i <= n - L; i += L) {
                FloatVector v0 = FloatVector.fromArray(F, x, xOff + i).mul(inv);
                s0 = v0.fma(v0, s0);
            }
            s = Lanes.sum(s0.add(s1));
        }
        for (; i < n; i++) {
            float v = x[xOff + i] * inv;
            s = Math.fma(v, v, s);
        }
        return (float) Math.scalb(Math.sqrt(s), e);
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            float max = rowMax(cols, x, xr);
            float s = expShiftedInto(cols, x, xr, max, y, yr);
            scale(cols, 1f / s, y, yr);
        }
    }

    @Override
    public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            float max = rowMax(cols, x, xr);
            float s = expSum(cols, x, xr, max);
            float shift = max + (float) Math.log(s);
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, x, xr + j).sub(shift).intoArray(y, yr + j);
            }
            for (; j < cols; j++) y[yr + j] = x[xr + j] - shift;
        }
    }

    private static float rowMax(int cols, float[] x, int off) {
        int j = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (cols >= L) {
            FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int bound = F.loopBound(cols); j < bound; j += L) vm = vm.max(FloatVector.fromArray(F, x, off + j));
            max = Lanes.max(vm);
        }
        for (; j < cols; j++) max = Math.max(max, x[off + j]);
        return max;
    }

    /** Writes exp(x - max) into y and returns its sum. */
    private static float expShiftedInto(int cols, float[] x, int xr, float max, float[] y, int yr) {
        int j = 0;
        float s = 0f;
        if (cols >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector e = Lanes.expNonPositive(FloatVector.fromArray(F, x, xr + j).sub(max));
                e.intoArray(y, yr + j);
                acc = acc.add(e);
            }
            s = Lanes.sum(acc);
        }
        for (; j < cols; j++) {
            float e = ScalarMath.expNonPositive(x[xr + j] - max);
            y[yr + j] = e;
            s += e;
        }
        return s;
    }

    private static float expSum(int cols, float[] x, int xr, float max) {
        int j = 0;
        float s = 0f;
        if (cols >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                acc = acc.add(Lanes.expNonPositive(FloatVector.fromArray(F, x, xr + j).sub(max)));
            }
            s = Lanes.sum(acc);
        }
        for (; j < cols; j++) s += ScalarMath.expNonPositive(x[xr + j] - max);
        return s;
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    @Override
    public void softmaxRowsBackward(int rows, int cols, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                    float[] dx, int dxOff, int lddx) {
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * ldy, dyr = dyOff + r * lddy, dxr = dxOff + r * lddx;
            // D = y . dy, read completely before dx (which may be dy) is written.
            float dsum = dotImpl(cols, y, yr, dy, dyr);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector yv = FloatVector.fromArray(F, y, yr + j);
                yv.mul(FloatVector.fromArray(F, dy, dyr + j).sub(dsum)).intoArray(dx, dxr + j);
            }
            for (; j < cols; j++) dx[dxr + j] = y[yr + j] * (dy[dyr + j] - dsum);
        }
    }

    @Override
    public void reluGemv(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
        VectorGemv.reluRowsTimesX(m, n, a, aOff, lda, x, xOff, y, yOff);
    }

    @Override
    public void reluGemvGate(int m, int n, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff,
                             float[] g, int gOff, int ldg) {
        VectorGemv.reluRowsTimesXGate(m, n, a, aOff, lda, x, xOff, y, yOff, g, gOff, ldg);
    }

    @Override
    public void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            var pos = FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(F).blend(FloatVector.fromArray(F, dy, dyOff + i), pos).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    private static final float GELU_C = 0.7978845608028654f;
    private static final float GELU_A = 0.044715f;

    @Override
    public void gelu(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            FloatVector u = v.mul(v).mul(GELU_A).fma(v, v).mul(GELU_C);
            FloatVector t = Lanes.tanh(u);
            v.mul(0.5f).mul(t.add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            float t = ScalarMath.tanh(GELU_C * Math.fma(GELU_A * v * v, v, v));
            y[yOff + i] = 0.5f * v * (1f + t);
        }
    }

    @Override
    public void geluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            FloatVector v2 = v.mul(v);
            FloatVector t = Lanes.tanh(v2.mul(GELU_A).fma(v, v).mul(GELU_C));
            FloatVector dt = v2.mul(3f * GELU_A).add(1f).mul(GELU_C).mul(t.neg().fma(t, FloatVector.broadcast(F, 1f)));
            FloatVector g = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(dt));
            FloatVector.fromArray(F, dy, dyOff + i).mul(g).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            float t = ScalarMath.tanh(GELU_C * Math.fma(GELU_A * v * v, v, v));
            float dt = GELU_C * (1f + 3f * GELU_A * v * v) * Math.fma(-t, t, 1f);
            dx[dxOff + i] = dy[dyOff + i] * (0.5f * (1f + t) + 0.5f * v * dt);
        }
    }

    @Override
    public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(FloatVector.fromArray(F, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = x[xOff + i] * y[yOff + i];
    }

    @Override
    public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).add(FloatVector.fromArray(F, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
    }
}
