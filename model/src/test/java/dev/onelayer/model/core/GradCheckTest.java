package dev.onelayer.model.core;

import dev.onelayer.model.train.Model;
import dev.onelayer.model.train.ModelCheck;
import dev.onelayer.model.train.toy.LinearRegression;
import dev.onelayer.model.train.toy.RegressionBatch;
import dev.onelayer.model.train.toy.RegressionTask;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GradCheckTest {

    static final double U = 0x1p-24;
    static final int D_IN = 4, D_OUT = 3, N = 6;
    static final double H = 0.05;

    static double gamma(int k) {
        return k * U / (1 - k * U);
    }

    /**
     * Error bound for the toy model. The loss is quadratic, so the central difference has no
     * truncation error; what is left is float32 rounding. Residuals r = fl(Wx + b − y) are off by
     * at most γ_{dIn+2}·a with a = Σ|W x| + |b| + |y| (evaluated at |θ| + h to cover the
     * perturbation), the float64 loss L = Σr²/(n·dOut) then by δL ≤ Σ(2|r|δr + δr²)/(n·dOut), so
     * the difference quotient by δL/h; the analytic gradient (2/(n·dOut))·Σᵢ rᵢxᵢ by
     * (2/(n·dOut))·Σᵢ(δrᵢ|xᵢ| + γ_{n+2}|rᵢxᵢ|). The returned atol is the largest sum of both.
     */
    static double atol(LinearRegression model, RegressionBatch b) {
        float[] v = model.params().values();
        Param w = model.params().get("W"), bias = model.params().get("b");
        double dl = 0;
        double[] gW = new double[D_OUT * D_IN], gB = new double[D_OUT];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D_OUT; j++) {
                double a = Math.abs(v[bias.offset() + j]) + H + Math.abs(b.y[i * D_OUT + j]), r = v[bias.offset() + j] - b.y[i * D_OUT + j];
                double sx = 0;
                for (int k = 0; k < D_IN; k++) {
                    double x = b.x[i * D_IN + k];
                    a += (Math.abs(v[w.offset() + j * D_IN + k]) + H) * Math.abs(x);
                    r += v[w.offset() + j * D_IN + k] * x;
                    sx += Math.abs(x);
                }
                double dr = gamma(D_IN + 2) * a;
                double rAbs = Math.abs(r) + H * (sx + 1);
                dl += 2 * rAbs * dr + dr * dr;
                for (int k = 0; k < D_IN; k++) {
                    double x = Math.abs(b.x[i * D_IN + k]);
                    gW[j * D_IN + k] += dr * x + gamma(N + 2) * rAbs * x;
                }
                gB[j] += dr + gamma(N + 2) * rAbs;
            }
        }
        dl /= N * D_OUT;
        double worst = 0;
        for (double g : gW) worst = Math.max(worst, g);
        for (double g : gB) worst = Math.max(worst, g);
        return dl / H + 2.0 / (N * D_OUT) * worst;
    }

    static RegressionBatch batch(long seed) {
        RegressionTask task = new RegressionTask(D_IN, D_OUT, 0.3, Rng.stream(seed, "task"));
        RegressionBatch b = task.newBatch(N);
        task.sample(Rng.stream(seed, "data"), b);
        return b;
    }

    @Test
    void toyModelGradientMatchesCentralDifferences() {
        for (long seed = 1; seed <= 3; seed++) {
            LinearRegression model = new LinearRegression(D_IN, D_OUT, Rng.stream(seed, "init"));
            RegressionBatch b = batch(seed);
            double atol = atol(model, b);
            GradCheck.Report r = ModelCheck.gradCheck(model, b, H, 0, atol);
            assertTrue(r.passed(), r + " atol=" + atol);
            assertEquals(D_IN * D_OUT + D_OUT, r.checked());
            assertTrue(atol < 1e-3, "bound " + atol + " should be far below the O(1) gradients");
        }
    }

    /** The checker must catch a wrong backward and name where: drop the factor 2 on b's gradient. */
    @Test
    void wrongGradientIsCaughtAndLocated() {
        LinearRegression inner = new LinearRegression(D_IN, D_OUT, Rng.stream(1, "init"));
        Model<RegressionBatch> broken = new Model<>() {
            public Params params() {
                return inner.params();
            }

            public double forward(RegressionBatch b, int s, int e, Workspace ws) {
                return inner.forward(b, s, e, ws);
            }

            public void backward(RegressionBatch b, int s, int e, Workspace ws, float scale, float[] grad) {
                float[] tmp = new float[grad.length];
                inner.backward(b, s, e, ws, scale, tmp);
                Param bias = inner.params().get("b");
                for (int i = 0; i < grad.length; i++) grad[i] += i >= bias.offset() ? tmp[i] / 2 : tmp[i];
            }
        };
        RegressionBatch b = batch(1);
        GradCheck.Report r = ModelCheck.gradCheck(broken, b, H, 0, atol(inner, b));
        assertFalse(r.passed(), r.toString());
        assertTrue(r.label().startsWith("b["), r.toString());
    }

    @Test
    void sampledCheckTouchesEveryTensorAndStillCatchesTheBug() {
        LinearRegression model = new LinearRegression(D_IN, D_OUT, Rng.stream(4, "init"));
        RegressionBatch b = batch(4);
        GradCheck.Report r = ModelCheck.gradCheckSample(model, b, H, 0, atol(model, b), 2, Rng.seeded(1));
        assertTrue(r.passed(), r.toString());
        assertEquals(2 + 2, r.checked()); // two of W's 12 scalars, two of b's 3
    }
}
