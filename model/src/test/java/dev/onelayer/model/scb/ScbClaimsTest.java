package dev.onelayer.model.scb;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's claims with the thresholds of issue 7 (checked by an independent implementation,
 * scb.md "Validated settings"), each on 3 seeds (seeds 1-3: task and data).
 */
class ScbClaimsTest {

    /** The runs are independent and the results do not depend on the thread count; 2 halves the wall time on 2 cores. */
    private static final int THREADS = 2;

    @Test
    void pppdRecoversPAndAWhereSgdDoesNot() {
        RecoveryExperiment.Result r = RecoveryExperiment.run(RecoveryExperiment.Config.issueDefault(3), RunListener.NONE, THREADS);
        StringBuilder all = new StringBuilder();
        for (int m = 0; m < r.methods().size(); m++) {
            all.append(r.methods().get(m)).append(':');
            for (ScbCurve c : r.curves().get(m)) all.append(String.format(" (%.3f, %.3f)", c.finalDistV(), c.finalDistA()));
            all.append("; ");
        }
        System.out.println("SCB recovery at 4e5 samples, (dV, dA) per seed: " + all);
        assertEquals("PPPD", r.methods().get(0));
        List<ScbCurve> pppd = r.curves().get(0);
        for (ScbCurve c : pppd) {
            assertTrue(c.finalDistV() < 0.1 && c.finalDistA() < 0.1, "PPPD must reach < 0.1 on both: " + all);
            assertTrue(c.finalDistV() < c.distV()[0] / 10 && c.finalDistA() < c.distA()[0] / 10, "PPPD must have moved: " + all);
        }
        for (int m = 1; m < r.methods().size(); m++) {
            double[] dA = r.curves().get(m).stream().mapToDouble(ScbCurve::finalDistA).sorted().toArray();
            // the issue's SGD threshold, on the seed median (single seeds with a near-deterministic
            // P can dip below it; see package-info): SGD stays above 0.15 on A
            assertTrue(dA[dA.length / 2] > 0.15, r.methods().get(m) + " seed-median dA must stay > 0.15: " + all);
            for (int s = 0; s < dA.length; s++) {
                // and on every seed, worse on A than PPPD
                assertTrue(r.curves().get(m).get(s).finalDistA() > pppd.get(s).finalDistA(), "SGD beats PPPD on A: " + all);
            }
        }
    }

    @Test
    void plateauGrowsWithT() {
        PlateauExperiment.Result p = PlateauExperiment.run(PlateauExperiment.Config.notesDefault(3), RunListener.NONE, THREADS);
        String msg = "T=" + Arrays.toString(p.config().seqLens()) + " medians=" + Arrays.toString(p.medians()) + " exponent=" + p.exponent();
        System.out.println("SCB plateau (PPPD-vn, 20% of the loss gap): " + msg);
        int[] ts = p.config().seqLens();
        assertTrue(ts.length >= 4 && ts[ts.length - 1] >= 16 * ts[0], "sweep too small: " + msg);
        for (long[] row : p.samples()) for (long x : row) assertTrue(x > 0, "a run did not close 20% of the gap: " + msg);
        for (int i = 1; i < ts.length; i++) assertTrue(p.medians()[i] > p.medians()[i - 1], "not monotone: " + msg);
        assertTrue(p.exponent() >= 0.15 && p.exponent() <= 1, "exponent outside [0.15, 1]: " + msg);
    }

    @Test
    void transferShortensThePlateauMoreAsTGrows() {
        TransferExperiment.Result t = TransferExperiment.run(TransferExperiment.Config.notesDefault(3), RunListener.NONE, THREADS);
        String msg = "T=" + Arrays.toString(t.config().seqLens()) + " scratch=" + Arrays.toString(t.scratchMedian()) + " transfer="
                + Arrays.toString(t.transferMedian()) + " ratio=" + Arrays.toString(t.ratio()) + " exponents scratch="
                + t.scratchExponent() + " transfer=" + t.transferExponent() + " initial corr=" + Arrays.toString(t.initialCorrMedian());
        System.out.println("SCB transfer (PPPD-vn, rho=0.8): " + msg);
        int last = t.ratio().length - 1;
        assertEquals(400, t.config().seqLens()[last]);
        for (double c : t.initialCorrMedian()) assertTrue(c < 0.6, "transfer start already correlated: " + msg);
        for (long[] row : t.transfer()) for (long x : row) assertTrue(x > 0, "a transfer run did not close 20% of the gap: " + msg);
        assertTrue(t.ratio()[last] >= 1.5, "ratio at T=400 below 1.5: " + msg);
        // "more so as T grows": the ratio grows at every step of the sweep
        for (int i = 1; i <= last; i++) assertTrue(t.ratio()[i] > t.ratio()[i - 1], "ratio does not grow with T: " + msg);
        assertTrue(t.transferExponent() < t.scratchExponent(), "transfer exponent not below scratch: " + msg);
    }

    @Test
    void anActuallyPretrainedModelTransfersToo() {
        // The experiment's other mode: V0 is the V of a model trained for 1e5 samples on the upstream
        // task P_pre = 0.2 P + 0.8 R, not the analytic matrix. Same claims, on T = 25, 100, 400.
        TransferExperiment.Config c = new TransferExperiment.Config(ScbTaskConfig.recoveryDefault(), new int[] {25, 100, 400}, 0.8, 64, 3, 1,
                ScbOptimizerConfig.pppdVn(), 0.2, 2_000_000).withPretraining(100_000);
        TransferExperiment.Result t = TransferExperiment.run(c, RunListener.NONE, THREADS);
        String msg = "T=" + Arrays.toString(c.seqLens()) + " scratch=" + Arrays.toString(t.scratchMedian()) + " transfer="
                + Arrays.toString(t.transferMedian()) + " ratio=" + Arrays.toString(t.ratio()) + " exponents scratch="
                + t.scratchExponent() + " transfer=" + t.transferExponent() + " initial corr=" + Arrays.toString(t.initialCorrMedian());
        System.out.println("SCB transfer from a pretrained model (PPPD-vn, rho=0.8, 1e5 pretraining samples): " + msg);
        // The pretrained V learns P_pre, so its correlation with P is that of the analytic start,
        // corr(P_pre, P); it must have learned something (> 0) and start below the level the analytic
        // test requires (0.6, "below any threshold used": the plateau's corr threshold is 0.9).
        for (double x : t.initialCorrMedian()) assertTrue(x > 0 && x < 0.6, "pretrained start's correlation outside (0, 0.6): " + msg);
        for (long[] row : t.transfer()) for (long x : row) assertTrue(x > 0, "a transfer run did not close 20% of the gap: " + msg);
        assertTrue(t.ratio()[2] >= 1.5, "ratio at T=400 below 1.5: " + msg);
        for (int i = 1; i < 3; i++) assertTrue(t.ratio()[i] > t.ratio()[i - 1], "ratio does not grow with T: " + msg);
        assertTrue(t.transferExponent() < t.scratchExponent(), "transfer exponent not below scratch: " + msg);
    }
}
