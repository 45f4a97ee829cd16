package dev.onelayer.model.lowrank;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claims of issue 8 with its thresholds, on the validated CI setting "T" (lowrank.md
 * "Validated settings": d 16, M 8, L 16, m 64, init_qk 0.1, init_o 0.01, lr 2, 1000 steps,
 * batch 64, n 1000/1000), seed 1. One trained model is shared by every assertion.
 */
class LowRankClaimsTest {

    /** Trained once per JVM (about 2-10 s on a loaded 2-core machine). */
    private static final class Fixture {
        static final TrainedRun RUN = Training.run(LowRankConfig.small(1));
        static final List<MatrixSpectrum> SPECTRA = SpectraAnalysis.of(RUN, 0.1);
        static final PruningResult PRUNING = Pruning.run(RUN, Pruning.defaultRates(), 20, 1);
    }

    private static MatrixSpectrum spectrum(String name) {
        for (MatrixSpectrum s : Fixture.SPECTRA) if (s.name().equals(name)) return s;
        throw new AssertionError(name);
    }

    @Test
    void trainsToBelowOnePercentTestError() {
        TrainedRun r = Fixture.RUN;
        assertTrue(r.finalTestError() < 0.01, "test error " + r.finalTestError());
        assertTrue(r.finalTrainError() < 0.01, "train error " + r.finalTrainError());
        assertEquals(0, r.curve().step()[0]);
        assertEquals(r.config().steps(), r.curve().step()[r.curve().last()]);
    }

    @Test
    void attentionOnRelevantTokensRisesByAtLeastPointOne() {
        TrainedRun r = Fixture.RUN;
        // starts near the relevant-token fraction alpha* = 0.3 (uniform attention at small init)
        assertEquals(0.3, r.initialAttention(), 0.05, "initial mass");
        assertTrue(r.finalAttention() - r.initialAttention() >= 0.1,
                String.format(Locale.ROOT, "mass %.3f -> %.3f", r.initialAttention(), r.finalAttention()));
    }

    @Test
    void updatesOfValueAndQueryAreLowRankUnlikeTheirInitialisation() {
        MatrixSpectrum v = spectrum("wV"), q = spectrum("wQ");
        String msg = String.format(Locale.ROOT, "V s3/s1=%.4f (init %.3f) span=%.3f; Q s3/s1=%.4f (init %.3f) top2=%.4f",
                v.ratio31(), v.initialRatio31(), v.spanEnergy(), q.ratio31(), q.initialRatio31(), q.topEnergy());
        assertTrue(v.ratio31() < 0.05, msg);
        assertTrue(q.ratio31() < 0.2, msg);
        assertTrue(v.initialRatio31() > 0.5 && q.initialRatio31() > 0.5, msg);
        assertTrue(q.topEnergy() >= 0.9, msg);
        assertTrue(v.spanEnergy() >= 0.9, "Delta W_V in span(mu_1, mu_2): " + msg);
    }

    @Test
    void outputRowNormsSplitIntoTwoGroups() {
        RowNormSplit s = Fixture.PRUNING.split();
        String msg = String.format(Locale.ROOT, "small fraction %.3f, mean ratio %.1f, gap %.4f", s.smallFraction(), s.meanRatio(), s.gapRatio());
        assertTrue(s.meanRatio() >= 10, msg);
        assertTrue(s.smallFraction() >= 0.03 && s.smallFraction() <= 0.5, msg);
    }

    @Test
    void pruningTheSmallGroupIsFreeWhileRandomPruningIsNot() {
        PruningResult p = Fixture.PRUNING;
        double rate = p.split().smallFraction();
        String msg = String.format(Locale.ROOT,
                "R=%.3f base err %.4f; magnitude err %.4f change %.5f hinge %.5f; random(20) err %.4f change %.4f (min %.4f) hinge %.5f",
                rate, p.baselineError(), p.magnitudeError(), p.magnitudeChange(), p.magnitudeHinge(), p.randomError(),
                p.randomChange(), p.randomChangeMin(), p.randomHinge());
        assertEquals(20, p.draws());
        assertTrue(Math.abs(p.magnitudeError() - p.baselineError()) < 0.01, msg);
        assertTrue(p.magnitudeChange() < 0.01, msg);
        assertTrue(p.randomChange() >= 0.5 * rate, msg);
        assertTrue(p.randomHinge() - p.baselineHinge() > p.magnitudeHinge() - p.baselineHinge(), msg);
        // the curves start at the unpruned model
        assertEquals(p.baselineError(), p.magnitude().error()[0]);
        assertEquals(0, p.random().change()[0]);
    }

    @Test
    void pastTheSmallGroupMagnitudePruningRemovesOneSignGroupFirst() {
        // The cliff of the notes: the large rows have two sub-levels by the sign of a, so the rows
        // ranked just past R all belong to one sign group (measured 1.00 / 0.00 / 1.00 on T seeds 1-3).
        PruningResult p = Fixture.PRUNING;
        int m = p.ascendingSigns().length, from = p.split().smallCount(), to = Math.min(m, from + m / 5);
        double share = p.positiveShare(from, to);
        assertTrue(share <= 0.1 || share >= 0.9, "share of a > 0 among ranks " + from + ".." + to + ": " + share);
    }

    @Test
    void largestFirstPruningHurtsMoreThanMagnitudePruningAtSixtyPercent() {
        PruningResult p = Fixture.PRUNING;
        int last = p.rates().length - 1;
        assertEquals(0.6, p.rates()[last], 1e-12);
        assertTrue(p.largest().error()[last] > p.magnitude().error()[last],
                "largest-first " + p.largest().error()[last] + " vs magnitude " + p.magnitude().error()[last]);
    }

    @Test
    void rankTwoLoraTrainingReachesBelowOnePercent() {
        LoraPoint r = LoraTraining.run(LowRankConfig.small(1), 2);
        assertTrue(r.testError() < 0.01, r.toString());
        assertEquals(2 * (3 * (16 + 16) + (64 + 16)), r.trainedScalars());
    }
}
