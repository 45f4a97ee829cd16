package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis pieces on inputs with known answers. */
class AnalysisTest {

    @Test
    void spectrumOfAKnownRankTwoUpdateInsideTheSpan() {
        // Delta W = 3 u1 e1^T + 1 u2 e2^T (rows 4, cols 5): sigma = (3, 1, 0, ...), right vectors e1, e2.
        int rows = 4, cols = 5;
        double[] delta = new double[rows * cols];
        delta[0 * cols + 0] = 3;
        delta[1 * cols + 1] = 1;
        double[] init = new double[rows * cols];
        Rng rng = Rng.seeded(3);
        for (int i = 0; i < init.length; i++) init[i] = rng.normal();
        double[] span = new double[cols * 2]; // e1, e2 as columns
        span[0 * 2 + 0] = 1;
        span[1 * 2 + 1] = 1;
        MatrixSpectrum s = SpectraAnalysis.spectrum("wV", rows, cols, delta, init, span, 2, 0.1);
        assertEquals(3, s.sigma()[0], 1e-12);
        assertEquals(1, s.sigma()[1], 1e-12);
        assertEquals(0, s.ratio31(), 1e-12);
        assertEquals(1, s.topEnergy(), 1e-12);
        assertEquals(2, s.dominant());
        assertEquals(1, s.spanEnergy(), 1e-12);
        assertEquals(0, s.maxAngleDegrees(), 1e-6);
        assertTrue(s.initialRatio31() > 0);
        // A span orthogonal to the update holds none of its energy and sits at 90 degrees.
        double[] other = new double[cols * 2];
        other[2 * 2 + 0] = 1;
        other[3 * 2 + 1] = 1;
        MatrixSpectrum o = SpectraAnalysis.spectrum("wV", rows, cols, delta, init, other, 2, 0.1);
        assertEquals(0, o.spanEnergy(), 1e-12);
        assertEquals(90, o.anglesDegrees()[0], 1e-6);
    }

    @Test
    void pruningByContributionsEqualsZeroingRowsOfWO() {
        PatternTaskConfig c = PatternTaskConfig.small().withSizes(20, 30);
        PatternTask task = new PatternTask(c, 4);
        AttentionMlpModel model = new AttentionMlpModel(c.d(), c.seqLen(), new ModelConfig(8, 1, 1, 1, false), Rng.stream(4, Rng.INIT), 32);
        PatternData test = task.test();
        double[] contrib = model.neuronContributions(test);
        double[] f = model.outputs(test);
        int[] order = {5, 2, 7, 0, 1, 3, 4, 6};
        double[] viaContrib = Pruning.metrics(contrib, f, test.y(), 8, order, 3);
        Param wO = model.params().get("wO");
        float[] w = model.params().values();
        for (int k = 0; k < 3; k++) for (int t = 0; t < c.d(); t++) w[wO.offset() + order[k] * c.d() + t] = 0f;
        double[] fp = model.outputs(test);
        double num = 0, den = 0;
        for (int i = 0; i < f.length; i++) {
            num += (fp[i] - f[i]) * (fp[i] - f[i]);
            den += f[i] * f[i];
        }
        // F from the float32 forward and from summed contributions differ by rounding only (~1e-7
        // relative), which can flip at most a sample whose |F| is that small: allow one sample.
        assertEquals(AttentionMlpModel.error(fp, test.y()), viaContrib[0], 1.0 / test.n());
        assertEquals(AttentionMlpModel.hinge(fp, test.y()), viaContrib[1], 1e-6);
        assertEquals(Math.sqrt(num / den), viaContrib[2], 1e-4);
    }
}
