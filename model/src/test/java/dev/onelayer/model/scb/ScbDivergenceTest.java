package dev.onelayer.model.scb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.NonFiniteException;
import org.junit.jupiter.api.Test;

/**
 * A diverging SCB run stops with the step and the parameter named ({@link NonFiniteException}), in
 * the linear model's optimisers and in the softmax model's Adam, instead of training on NaN.
 */
class ScbDivergenceTest {

    private static final int N = 6, T = 20;
    private final ScbTask task = new ScbTaskConfig(N, T, 2, "pmix", 2.0).build(5);

    private ScbBatch batch(long seed) {
        ScbBatch b = new ScbBatch(16, T);
        task.sample(Rng.stream(seed, Rng.DATA), b);
        return b;
    }

    @Test
    void aNonFiniteValueEntryStopsTheNextStepAndIsNamed() {
        ScbModel model = new ScbModel(N, T).uniform();
        ScbOptimizer opt = new ScbOptimizer(ScbOptimizerConfig.sgd(0.1), N, T);
        opt.step(model, batch(1));
        model.v[2 * N + 3] = Float.NaN;
        float[] before = model.v.clone();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> opt.step(model, batch(2)));
        assertEquals(1, e.step());
        assertEquals("parameter V[2][3]", e.where());
        assertEquals(1, opt.steps());
        // the failing step changed nothing (V holds the same bits, NaN included)
        for (int i = 0; i < before.length; i++) assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(model.v[i]));
    }

    @Test
    void aHugeLearningRateDivergesWithTheStepNamed() {
        ScbModel model = new ScbModel(N, T).uniform();
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> ScbRun.curve(task, model, ScbOptimizerConfig.sgd(1e15), 16, 16 * 50, 16 * 10, 3));
        assertTrue(e.step() >= 1 && e.step() < 50, e.getMessage());
        assertTrue(e.getMessage().startsWith("non-finite value at step " + e.step()), e.getMessage());
    }

    @Test
    void theSoftmaxModelsAdamNamesANonFiniteW() {
        FloatSoftmaxScbModel model = new FloatSoftmaxScbModel(N, T);
        FloatSoftmaxAdam adam = new FloatSoftmaxAdam(model, 0.01);
        ScbBatch b = batch(4);
        adam.step(b);
        model.wT[b.queries[0] * T + 7] = Float.POSITIVE_INFINITY; // W[7][q_0]: read by example 0
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> adam.step(b));
        assertEquals(1, e.step());
        assertEquals("parameter W[7][" + b.queries[0] + "]", e.where());
    }

    @Test
    void theEndOfARunChecksTheLastUpdate() {
        ScbModel model = new ScbModel(N, T).uniform();
        model.aT[0] = Float.NaN; // A[0][0] before the run: the start is reported
        // a query-0 example may or may not be drawn; either the first loss or the end-of-run check names A[0][0]
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> ScbRun.samplesToLoss(task, model, ScbOptimizerConfig.sgd(1e-9), 16, 16, -1, 1));
        assertEquals("parameter A[0][0]", e.where());
    }
}
