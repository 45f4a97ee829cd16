package dev.onelayer.model.scb;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SoftmaxScbModelTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 4, t = 5;
        ScbTask task = new ScbTaskConfig(n, t, 2, "dirichlet", 1.0).build(3);
        SoftmaxScbModel m = new SoftmaxScbModel(n, t);
        Rng rng = Rng.seeded(6);
        for (int i = 0; i < m.v.length; i++) m.v[i] = rng.uniform(-1, 1);
        for (int i = 0; i < m.w.length; i++) m.w[i] = rng.uniform(-1, 1);
        ScbBatch b = new ScbBatch(9, t);
        task.sample(rng, b);
        double[] gV = new double[n * n], gW = new double[t * n];
        m.loss(b, gV, gW);
        // float64 throughout: central difference truncation h^2/6 |L'''| (|L'''| <= a few for these
        // O(1) weights) ~ 1e-11 at h = 1e-5, rounding 1e-16/h ~ 1e-11
        double h = 1e-5;
        for (double[][] pair : new double[][][] {{m.v, gV}, {m.w, gW}}) {
            double[] p = pair[0], g = pair[1];
            for (int i = 0; i < p.length; i++) {
                double old = p[i];
                p[i] = old + h;
                double lp = m.loss(b, null, null);
                p[i] = old - h;
                double lm = m.loss(b, null, null);
                p[i] = old;
                assertEquals((lp - lm) / (2 * h), g[i], 1e-8, "parameter " + i);
            }
        }
    }

    @Test
    void mapsAreColumnStochastic() {
        SoftmaxScbModel m = new SoftmaxScbModel(3, 4);
        Rng rng = Rng.seeded(2);
        for (int i = 0; i < m.v.length; i++) m.v[i] = rng.normal();
        for (int i = 0; i < m.w.length; i++) m.w[i] = rng.normal();
        for (double[] map : new double[][] {m.attentionMap(), m.valueMap()}) {
            int rows = map.length / 3;
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int r = 0; r < rows; r++) s += map[r * 3 + c];
                assertEquals(1.0, s, 1e-14);
            }
        }
    }

    @Test
    void softmaxAndLinearFindTheSameAttentionPattern() {
        SoftmaxComparisonExperiment.Config d = SoftmaxComparisonExperiment.Config.defaults();
        SoftmaxComparisonExperiment.Result r = SoftmaxComparisonExperiment.run(
                new SoftmaxComparisonExperiment.Config(d.task(), 64, 100_000, 50_000, d.lr(), 4096, 1));
        int last = r.samples().length - 1;
        String msg = "support matches linear=" + r.linearSupportMatches() + " softmax=" + r.softmaxSupportMatches() + "; squared loss linear="
                + r.linearSquaredLoss()[last] + " softmax=" + r.softmaxSquaredLoss()[last] + " start=" + r.softmaxSquaredLoss()[0]
                + " L*=" + r.linearOptimalSquaredLoss();
        System.out.println("SCB softmax vs linear at 1e5 samples: " + msg);
        // the paper's "similar attention patterns": both put their top-Q weights on A*'s support for every query
        assertEquals(10, r.linearSupportMatches(), msg);
        assertEquals(10, r.softmaxSupportMatches(), msg);
        // "similar final loss": the softmax model closes most of the gap the linear model closes
        double closed = (r.softmaxSquaredLoss()[0] - r.softmaxSquaredLoss()[last]) / (r.linearSquaredLoss()[0] - r.linearOptimalSquaredLoss());
        org.junit.jupiter.api.Assertions.assertTrue(closed > 0.5, "softmax closed only " + closed + " of the gap: " + msg);
    }
}
