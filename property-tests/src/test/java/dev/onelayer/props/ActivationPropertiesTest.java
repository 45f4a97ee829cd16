package dev.onelayer.props;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import dev.onelayer.props.harness.Impls;
import org.junit.jupiter.api.Test;

/**
 * relu / reluBackward (exact) and GELU (tanh form) / its derivative against a float64 evaluation
 * of the same formula, on every implementation, with and without in-place aliasing.
 *
 * <p>The GELU bounds come from a running error analysis ({@link Shadow}) of the float evaluation
 * the kernels perform: the argument {@code sqrt(2/pi) (x + 0.044715 x^3)} (five roundings and
 * two float constants), tanh through {@code (1 - e)/(1 + e)} with a 2-ulp exp, then
 * {@code 0.5 x (1 + t)} (and for the derivative {@code 1 - t^2}, the polynomial and the final
 * products). Each rounding contributes u times the size of its own term, so the bound is a few
 * ulps of the terms, and in absolute terms a few u times |x| (where 1 + t cancels for negative x
 * the relative error of GELU itself is unbounded, but the absolute error stays below that).
 */
class ActivationPropertiesTest {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;
    /** The float constants the kernels use (as ScalarDenseOps / VectorDenseOps spell them). */
    private static final float GELU_C_FLOAT = 0.7978845608028654f, GELU_A_FLOAT = 0.044715f;
    /** The polynomial exp of the vector path: 2 ulp = 4u; it also bounds the scalar Math.tanh. */
    private static final double EXP_ERROR = 4 * Shadow.U;

    private static int[] dims(Gen g) {
        return new int[] {g.dim(700), g.dim(5), g.dim(5), g.dim(5)};
    }

    /** relu: {@code max(x, 0)} bit for bit (as Math.max, so -0 becomes +0). */
    @Test
    void reluIsExact() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("relu/" + ops.name(), ActivationPropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1];
                boolean alias = g.nextInt(4) == 0;
                int yOff = alias ? xOff : d[2];
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                if (n > 0) x[xOff + g.nextInt(n)] = -0f;
                float[] xBefore = x.clone(), y = alias ? x : Buffers.vector(g, g.dist(), yOff, n, g.dim(3));
                float[] yBefore = y.clone();
                ops.relu(n, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) same("relu x=" + xBefore[xOff + i], y[yOff + i], Math.max(xBefore[xOff + i], 0f));
                Buffers.assertOnlyViewChanged("relu y", yBefore, y, yOff, 1, n, n);
                if (!alias) Buffers.assertUnchanged("relu x", xBefore, x);
            });
        }
    }

    /** reluBackward: {@code dy} where {@code x > 0}, else +0, bit for bit; dx may be dy itself. */
    @Test
    void reluBackwardIsExact() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("reluBackward/" + ops.name(), ActivationPropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1], dyOff = d[2];
                boolean alias = g.nextInt(4) == 0;
                int dxOff = alias ? dyOff : d[3];
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                if (n > 0) x[xOff + g.nextInt(n)] = -0f;
                if (n > 0) x[xOff + g.nextInt(n)] = 0f;
                float[] dy = Buffers.vector(g, g.dist(), dyOff, n, g.dim(3));
                float[] dyBefore = dy.clone(), xBefore = x.clone();
                float[] dx = alias ? dy : Buffers.vector(g, g.dist(), dxOff, n, g.dim(3));
                float[] dxBefore = dx.clone();
                ops.reluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
                for (int i = 0; i < n; i++) {
                    same("reluBackward x=" + x[xOff + i], dx[dxOff + i], x[xOff + i] > 0f ? dyBefore[dyOff + i] : 0f);
                }
                Buffers.assertOnlyViewChanged("reluBackward dx", dxBefore, dx, dxOff, 1, n, n);
                Buffers.assertUnchanged("reluBackward x", xBefore, x);
                if (!alias) Buffers.assertUnchanged("reluBackward dy", dyBefore, dy);
            });
        }
    }

    /** The tanh argument and tanh, shadowed (the association of ScalarDenseOps; see the class comment). */
    private static Shadow tanhOf(Shadow v) {
        Shadow c = Shadow.constant(SQRT_2_OVER_PI, GELU_C_FLOAT), a = Shadow.constant(GELU_A, GELU_A_FLOAT);
        Shadow arg = c.mul(v.add(a.mul(v).mul(v).mul(v)));
        return Shadow.tanh(arg, EXP_ERROR);
    }

    /** {@code 0.5 x (1 + tanh(...))}. */
    static Shadow gelu(float x) {
        Shadow v = Shadow.of(x), one = Shadow.withError(1, 0);
        return v.half().mul(one.add(tanhOf(v)));
    }

    /** {@code dy (0.5 (1 + t) + 0.5 x sqrt(2/pi) (1 + 3a x^2) (1 - t^2))}. */
    static Shadow geluBackward(float x, float dy) {
        Shadow v = Shadow.of(x), one = Shadow.withError(1, 0), t = tanhOf(v);
        Shadow c = Shadow.constant(SQRT_2_OVER_PI, GELU_C_FLOAT), a3 = Shadow.constant(3 * GELU_A, 3f * GELU_A_FLOAT);
        Shadow dt = c.mul(one.add(a3.mul(v).mul(v))).mul(one.sub(t.mul(t)));
        Shadow grad = one.add(t).half().add(v.half().mul(dt));
        return Shadow.of(dy).mul(grad);
    }

    @Test
    void geluMatchesFloat64Formula() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("gelu/" + ops.name(), ActivationPropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1];
                boolean alias = g.nextInt(4) == 0;
                int yOff = alias ? xOff : d[2];
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                float[] xBefore = x.clone(), y = alias ? x : Buffers.vector(g, g.dist(), yOff, n, g.dim(3));
                float[] yBefore = y.clone();
                ops.gelu(n, x, xOff, y, yOff);
                for (int i = 0; i < n; i++) {
                    Shadow ref = gelu(xBefore[xOff + i]);
                    check("gelu x=" + xBefore[xOff + i], y[yOff + i], ref);
                }
                Buffers.assertOnlyViewChanged("gelu y", yBefore, y, yOff, 1, n, n);
                if (!alias) Buffers.assertUnchanged("gelu x", xBefore, x);
            });
        }
    }

    @Test
    void geluBackwardMatchesFloat64Formula() {
        for (DenseOps ops : Impls.dense()) {
            Harness.forAll("geluBackward/" + ops.name(), ActivationPropertiesTest::dims, (d, g) -> {
                int n = d[0], xOff = d[1], dyOff = d[2];
                boolean alias = g.nextInt(4) == 0;
                int dxOff = alias ? dyOff : d[3];
                float[] x = Buffers.vector(g, g.dist(), xOff, n, g.dim(3));
                float[] dy = Buffers.vector(g, g.dist(), dyOff, n, g.dim(3));
                float[] dyBefore = dy.clone(), xBefore = x.clone();
                float[] dx = alias ? dy : Buffers.vector(g, g.dist(), dxOff, n, g.dim(3));
                float[] dxBefore = dx.clone();
                ops.geluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
                for (int i = 0; i < n; i++) {
                    Shadow ref = geluBackward(x[xOff + i], dyBefore[dyOff + i]);
                    check("geluBackward x=" + x[xOff + i] + " dy=" + dyBefore[dyOff + i], dx[dxOff + i], ref);
                }
                Buffers.assertOnlyViewChanged("geluBackward dx", dxBefore, dx, dxOff, 1, n, n);
                Buffers.assertUnchanged("geluBackward x", xBefore, x);
                if (!alias) Buffers.assertUnchanged("geluBackward dy", dyBefore, dy);
            });
        }
    }

    private static void check(String what, float got, Shadow ref) {
        double err = Math.abs(got - ref.v);
        if (!(err <= ref.e)) {
            throw new AssertionError(what + ": got " + got + ", float64 " + ref.v + ", error " + err + " > bound " + ref.e
                    + " (" + (ref.e / Math.max(Math.abs(ref.v), Double.MIN_NORMAL) / Shadow.U) + " u relative)");
        }
    }

    private static void same(String what, float got, float want) {
        if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want)) {
            throw new AssertionError(what + ": got " + got + ", want " + want);
        }
    }
}
