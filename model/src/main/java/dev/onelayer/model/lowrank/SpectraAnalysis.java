package dev.onelayer.model.lowrank;

import dev.onelayer.model.analysis.PrincipalAngles;
import dev.onelayer.model.analysis.Spectra;
import dev.onelayer.model.analysis.Svd;
import dev.onelayer.model.core.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 8 experiment 2 on one trained run: singular values of Delta W for W_Q, W_K, W_V, W_O,
 * effective ranks, and how much of each update lies in the label-relevant directions (notes
 * section 4 "Low rank": sigma_1, sigma_2 dominate and the right singular vectors lie in
 * span(mu_1, mu_2); with k relevant patterns per class the rank should be 2k).
 */
public final class SpectraAnalysis {

    /** Matrices in the order reported. */
    public static final List<String> MATRICES = List.of("wQ", "wK", "wV", "wO");

    private SpectraAnalysis() {
    }

    /** Spectra of every Delta W; {@code relTol} decides {@link MatrixSpectrum#dominant()} (e.g. 0.1). */
    public static List<MatrixSpectrum> of(TrainedRun run, double relTol) {
        if (run == null) throw new IllegalArgumentException("SpectraAnalysis.of: run is null");
        if (!(relTol > 0 && relTol < 1)) throw new IllegalArgumentException("SpectraAnalysis.of: relTol=" + relTol + " must be in (0, 1)");
        PatternTask task = run.task();
        int d = task.config().d(), r = 2 * task.config().relevantPerClass();
        double[] relevant = task.relevantBasis(); // d x r, orthonormal columns
        double[] valueSpan = valueImage(run, relevant, d, r);
        List<MatrixSpectrum> out = new ArrayList<>();
        for (String name : MATRICES) {
            Param p = run.model().params().get(name);
            double[] span = name.equals("wO") ? valueSpan : relevant;
            out.add(spectrum(name, p.rows(), p.cols(), run.delta(name), run.initial(name), span, r, relTol));
        }
        return out;
    }

    static MatrixSpectrum spectrum(String name, int rows, int cols, double[] delta, double[] init, double[] span, int r, double relTol) {
        Svd svd = Svd.of(rows, cols, delta);
        double[] s = svd.singularValues(), s0 = Svd.of(rows, cols, init).singularValues();
        int top = Math.min(r, s.length);
        double[] v = svd.v(); // cols x k
        int k = svd.size();
        double[] vTop = new double[cols * top];
        for (int t = 0; t < cols; t++) for (int j = 0; j < top; j++) vTop[t * top + j] = v[t * k + j];
        double[] angles = PrincipalAngles.between(cols, top, vTop, r, span);
        for (int i = 0; i < angles.length; i++) angles[i] = Math.toDegrees(angles[i]);
        return new MatrixSpectrum(name, s, s0, ratio31(s), ratio31(s0), Spectra.energyFraction(s, top),
                Spectra.entropyEffectiveRank(s), Spectra.stableRank(s), Spectra.thresholdRank(s, relTol),
                spanEnergy(rows, cols, delta, span, r), angles);
    }

    private static double ratio31(double[] s) {
        return s.length >= 3 && s[0] > 0 ? s[2] / s[0] : Double.NaN;
    }

    /** ||A P||_F^2 / ||A||_F^2 with P the orthogonal projector onto span (cols x r, any basis). */
    static double spanEnergy(int rows, int cols, double[] a, double[] span, int r) {
        Svd basis = Svd.of(cols, r, span);
        int rank = basis.rank(1e-9);
        double[] q = basis.u(); // cols x min(cols, r)
        int qc = basis.size();
        double inside = 0, total = 0;
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < cols; t++) total += a[i * cols + t] * a[i * cols + t];
            for (int j = 0; j < rank; j++) {
                double c = 0;
                for (int t = 0; t < cols; t++) c += a[i * cols + t] * q[t * qc + j];
                inside += c * c;
            }
        }
        return total == 0 ? 1 : inside / total;
    }

    /** W_V^final mu_j for the relevant patterns, as a d x r matrix. */
    private static double[] valueImage(TrainedRun run, double[] relevant, int d, int r) {
        Param wv = run.model().params().get("wV");
        float[] w = run.model().params().values();
        double[] out = new double[d * r];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < r; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) s += w[wv.offset() + i * d + t] * relevant[t * r + j];
                out[i * r + j] = s;
            }
        }
        return out;
    }
}
