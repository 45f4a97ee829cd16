package dev.onelayer.model.scb;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The experiments spread independent runs over threads: tiny instances give the same numbers on 1
 * and 2 threads, and the listener hears every run exactly once.
 */
class ScbExperimentThreadsTest {

    private static final ScbTaskConfig TASK = new ScbTaskConfig(3, 6, 1, "pmix", 2.0);

    private static RunListener counting(AtomicInteger n) {
        return label -> n.incrementAndGet();
    }

    @Test
    void recoveryDoesNotDependOnThreads() {
        RecoveryExperiment.Config c = new RecoveryExperiment.Config(TASK, 8, 800, 160, new double[] {0.1, 0.3}, 2, 4);
        AtomicInteger heard = new AtomicInteger();
        RecoveryExperiment.Result one = RecoveryExperiment.run(c), two = RecoveryExperiment.run(c, counting(heard), 2);
        assertEquals(RecoveryExperiment.runs(c), heard.get());
        assertEquals(one.methods(), two.methods());
        for (int m = 0; m < one.methods().size(); m++) {
            for (int s = 0; s < 2; s++) {
                ScbCurve a = one.curves().get(m).get(s), b = two.curves().get(m).get(s);
                assertArrayEquals(a.samples(), b.samples());
                assertArrayEquals(a.distV(), b.distV());
                assertArrayEquals(a.distA(), b.distA());
                assertArrayEquals(a.excess(), b.excess());
            }
        }
        assertEquals(one.summaries(), two.summaries());
    }

    @Test
    void sweepsDoNotDependOnThreads() {
        int[] ts = {4, 8};
        PlateauExperiment.Config p = new PlateauExperiment.Config(TASK, ts, 8, 2, 1, ScbOptimizerConfig.pppdVn(), 0.2, 0.5, 20_000);
        AtomicInteger heard = new AtomicInteger();
        PlateauExperiment.Result p1 = PlateauExperiment.run(p), p2 = PlateauExperiment.run(p, counting(heard), 2);
        assertEquals(PlateauExperiment.runs(p), heard.get());
        assertArrayEquals(p1.samples(), p2.samples());
        assertArrayEquals(p1.corrSamples(), p2.corrSamples());

        TransferExperiment.Config t = new TransferExperiment.Config(TASK, ts, 0.8, 8, 2, 1, ScbOptimizerConfig.pppdVn(), 0.2, 20_000);
        heard.set(0);
        TransferExperiment.Result t1 = TransferExperiment.run(t), t2 = TransferExperiment.run(t, counting(heard), 2);
        assertEquals(TransferExperiment.runs(t), heard.get());
        assertArrayEquals(t1.scratch(), t2.scratch());
        assertArrayEquals(t1.transfer(), t2.transfer());
        assertArrayEquals(t1.initialCorrMedian(), t2.initialCorrMedian());

        StageTwoExperiment.Config s = new StageTwoExperiment.Config(TASK, new int[] {2, 3}, new int[] {1, 2}, 8, 2, 1,
                ScbOptimizerConfig.pppd(), 0.2, 0.9, 20_000);
        heard.set(0);
        StageTwoExperiment.Result s1 = StageTwoExperiment.run(s), s2 = StageTwoExperiment.run(s, counting(heard), 2);
        assertEquals(StageTwoExperiment.runs(s), heard.get());
        assertArrayEquals(s1.medians(), s2.medians());
    }
}
