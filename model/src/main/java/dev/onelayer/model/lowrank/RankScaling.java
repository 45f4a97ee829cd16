package dev.onelayer.model.lowrank;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 8 experiment 2, k-pattern variant: train with k = 1, 2, ... label-relevant patterns per
 * class and count the dominant singular values of each Delta W (notes section 4: "the rank is set
 * by the number of label-relevant patterns", i.e. 2k).
 */
public final class RankScaling {

    /** One k: its run's spectra (dominant counts inside) and final test error. */
    public record Point(int k, List<MatrixSpectrum> spectra, double testError) {
        public MatrixSpectrum of(String name) {
            for (MatrixSpectrum s : spectra) if (s.name().equals(name)) return s;
            throw new IllegalArgumentException("RankScaling.Point: no matrix " + name);
        }
    }

    private RankScaling() {
    }

    public static List<Point> run(LowRankConfig base, int[] ks, double relTol) {
        if (base == null || ks == null || ks.length == 0) throw new IllegalArgumentException("RankScaling.run: need a config and at least one k");
        List<Point> out = new ArrayList<>();
        for (int k : ks) {
            TrainedRun r = Training.run(base.withTask(base.task().withRelevantPerClass(k)));
            out.add(new Point(k, SpectraAnalysis.of(r, relTol), r.finalTestError()));
        }
        return out;
    }
}
