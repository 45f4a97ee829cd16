package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The general one-layer linear transformer reduces to y = V X A e_k, values and gradients. */
class GeneralLinearTransformerTest {

    @Test
    void embeddedReducedModelGivesTheSamePredictionsAndGradients() {
        int n = 5, t = 7;
        ScbTask task = new ScbTaskConfig(n, t, 2, "dirichlet", 1.0).build(6);
        ScbModel m = new ScbModel(n, t);
        Rng rng = Rng.seeded(1);
        rng.fillUniform(m.v, 0, m.v.length, -1, 1);
        rng.fillUniform(m.aT, 0, m.aT.length, -1, 1);
        ScbBatch b = new ScbBatch(23, t);
        task.sample(rng, b);
        GeneralLinearTransformer g = GeneralLinearTransformer.fromReduced(m);
        double[] yg = g.forward(b);
        float[] yr = m.forward(b);
        // float32 readout against float64: |y| <= N T, error (T + N) 2^-24 relative
        double tol = 4 * (t + n) * n * t * 0x1p-24;
        for (int i = 0; i < yg.length; i++) assertEquals(yg[i], yr[i], tol, "y[" + i + "]");

        double[] gKQ = new double[g.dim * g.dim], gPV = new double[n * g.dim];
        g.gradient(b, gKQ, gPV);
        float[] gV = new float[n * n], gAT = new float[n * t];
        m.gradient(b, gV, gAT);
        double gTol = 8 * (t + n) * n * t * 0x1p-24 * (1 + n * t);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(gPV[i * g.dim + j], gV[i * n + j], gTol, "dV");
        for (int p = 0; p < t; p++) for (int k = 0; k < n; k++) assertEquals(gKQ[(n + p) * g.dim + k], gAT[k * t + p], gTol, "dA");
    }

    @Test
    void otherBlocksChangeThePrediction() {
        int n = 4, t = 3;
        ScbTask task = new ScbTaskConfig(n, t, 1, "pmix", 2.0).build(2);
        ScbModel m = new ScbModel(n, t).uniform();
        ScbBatch b = new ScbBatch(8, t);
        task.sample(Rng.seeded(3), b);
        GeneralLinearTransformer g = GeneralLinearTransformer.fromReduced(m);
        double before = g.forward(b)[0];
        g.wKQ[b.tokens[0] * g.dim + b.queries[0]] += 1; // a token-token score term the reduced model does not have
        assertTrue(Math.abs(g.forward(b)[0] - before) > 1e-3);
    }

    @Test
    void generalGradientMatchesFiniteDifferences() {
        int n = 3, t = 4;
        ScbTask task = new ScbTaskConfig(n, t, 2, "dirichlet", 1.0).build(9);
        GeneralLinearTransformer g = new GeneralLinearTransformer(n, t);
        Rng rng = Rng.seeded(4);
        for (int i = 0; i < g.wKQ.length; i++) g.wKQ[i] = rng.uniform(-0.3, 0.3);
        for (int i = 0; i < g.wPV.length; i++) g.wPV[i] = rng.uniform(-0.3, 0.3);
        ScbBatch b = new ScbBatch(6, t);
        task.sample(rng, b);
        double[] gKQ = new double[g.wKQ.length], gPV = new double[g.wPV.length];
        g.gradient(b, gKQ, gPV);
        // the loss is quadratic in each single weight, so the central difference is exact up to
        // float64 rounding of the loss (~1e-16 / h)
        double h = 1e-3;
        for (double[][] pair : new double[][][] {{g.wKQ, gKQ}, {g.wPV, gPV}}) {
            double[] w = pair[0], grad = pair[1];
            for (int i = 0; i < w.length; i++) {
                double old = w[i];
                w[i] = old + h;
                double lp = loss(g, b);
                w[i] = old - h;
                double lm = loss(g, b);
                w[i] = old;
                assertEquals((lp - lm) / (2 * h), grad[i], 1e-9, "weight " + i);
            }
        }
    }

    private static double loss(GeneralLinearTransformer g, ScbBatch b) {
        double[] y = g.forward(b);
        double s = 0;
        for (int e = 0; e < b.batch; e++) {
            for (int i = 0; i < g.vocab; i++) {
                double d = (i == b.targets[e] ? 1 : 0) - y[e * g.vocab + i];
                s += 0.5 * d * d;
            }
        }
        return s / b.batch;
    }
}
