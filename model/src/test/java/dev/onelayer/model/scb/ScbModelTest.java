package dev.onelayer.model.scb;

import dev.onelayer.model.core.GradCheck;
import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reduced readout, its gradients and the optimiser pieces. */
class ScbModelTest {

    /** The batch loss in float64 straight from the definition {@code y = V X A e_k}. */
    private static double naiveLoss(float[] v, float[] a, ScbBatch b, int n) {
        int t = b.seqLen;
        double total = 0;
        for (int e = 0; e < b.batch; e++) {
            double[] h = new double[n];
            for (int p = 0; p < t; p++) h[b.tokens[e * t + p]] += a[p * n + b.queries[e]];
            for (int i = 0; i < n; i++) {
                double y = 0;
                for (int j = 0; j < n; j++) y += (double) v[i * n + j] * h[j];
                double d = (i == b.targets[e] ? 1 : 0) - y;
                total += 0.5 * d * d;
            }
        }
        return total / b.batch;
    }

    @Test
    void readoutLossMatchesDefinition() {
        int n = 6, t = 11;
        ScbTask task = new ScbTaskConfig(n, t, 3, "dirichlet", 1.0).build(1);
        ScbModel model = new ScbModel(n, t);
        Rng rng = Rng.seeded(2);
        rng.fillUniform(model.v, 0, model.v.length, -1, 1);
        rng.fillUniform(model.aT, 0, model.aT.length, -1, 1);
        ScbBatch b = new ScbBatch(17, t);
        task.sample(rng, b);
        double exact = naiveLoss(model.v, model.attention(), b, n);
        // float32 readout: |h| <= T, |y| <= N T; relative error of order (T + N) 2^-24 per y, so of the loss
        assertEquals(exact, model.loss(b), 4 * (t + n) * 0x1p-24 * (1 + exact));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 5, t = 9;
        ScbTask task = new ScbTaskConfig(n, t, 2, "pmix", 2.0).build(3);
        ScbModel model = new ScbModel(n, t);
        Params params = new Params();
        params.add("V", n, n);
        params.add("A^T", n, t); // the model's layout
        float[] theta = params.values();
        Rng rng = Rng.seeded(4);
        rng.fillUniform(theta, 0, theta.length, -0.5, 1);
        ScbBatch b = new ScbBatch(13, t);
        task.sample(rng, b);
        Runnable load = () -> {
            System.arraycopy(theta, 0, model.v, 0, n * n);
            System.arraycopy(theta, n * n, model.aT, 0, n * t);
        };
        float[] gV = new float[n * n], gAT = new float[n * t];
        // The loss is quadratic in every single scalar (bilinear model, squared loss), so the
        // central difference has no truncation error; evaluated in float64, its rounding error is
        // ~1e-16/h. What remains is the float32 gradient: relative ~ (N + T) 2^-24.
        GradCheck.Report r = GradCheck.check(params, () -> {
            load.run();
            return naiveLoss(model.v, model.attention(), b, n);
        }, g -> {
            load.run();
            model.gradient(b, gV, gAT);
            System.arraycopy(gV, 0, g, 0, n * n);
            System.arraycopy(gAT, 0, g, n * n, n * t);
        }, 0.05, 1e-4, 1e-6);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void inverseHMatchesTheMatrix() {
        int n = 4;
        Rng rng = Rng.seeded(7);
        double[] mu = rng.dirichlet(n, 1.0);
        float[] g = new float[n * n];
        rng.fillUniform(g, 0, g.length, -1, 1);
        double s = 0.3, m = 1.7;
        double[] out = new double[n * n];
        ScbOptimizer.applyInverseH(g, n, mu, s, m, out);
        double big = 0;
        for (double x : out) big = Math.max(big, Math.abs(x));
        // (G H^-1) H == G with H = s (diag mu - mu mu^T) + m mu mu^T; float64 rounding of n products of size big*(s+m)
        double tol = 4 * n * 0x1p-52 * big * (s + m) + 0x1p-52;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    double h = (k == j ? s * mu[j] : 0) + (m - s) * mu[k] * mu[j];
                    acc += out[i * n + k] * h;
                }
                assertEquals(g[i * n + j], acc, tol);
            }
        }
    }

    @Test
    void pppdKeepsColumnsOnTheSimplex() {
        ScbTask task = new ScbTaskConfig(6, 20, 2, "pmix", 2.0).build(5);
        ScbModel model = new ScbModel(6, 20).uniform();
        ScbOptimizer opt = new ScbOptimizer(ScbOptimizerConfig.pppd(), 6, 20);
        ScbBatch b = new ScbBatch(32, 20);
        Rng rng = Rng.seeded(1);
        for (int step = 0; step < 50; step++) {
            task.sample(rng, b);
            opt.step(model, b);
        }
        assertEquals(50 * 32, opt.samples());
        for (float[] mat : new float[][] {model.v, model.attention()}) {
            int rows = mat.length / 6;
            for (int c = 0; c < 6; c++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    assertTrue(mat[r * 6 + c] >= 0);
                    s += mat[r * 6 + c];
                }
                assertEquals(1.0, s, rows * 2 * 0x1p-24);
            }
        }
    }

    /** A target outside [0, N) is rejected by name: the loss reads y_b at the target, which would be another example's entry. */
    @Test
    void targetOutsideTheVocabularyIsRejected() {
        ScbModel m = new ScbModel(5, 3).uniform();
        ScbBatch b = new ScbBatch(2, 3);
        b.targets[0] = 5;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.loss(b));
        assertTrue(e.getMessage().contains("targets[0]=5"), e.getMessage());
        b.targets[0] = 0;
        b.targets[1] = -1;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.gradient(b, new float[25], new float[15]));
    }
}
