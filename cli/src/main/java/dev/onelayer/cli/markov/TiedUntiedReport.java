package dev.onelayer.cli.markov;

import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The runs, the estimate trace and the claims of experiments 1 and 2. */
final class TiedUntiedReport {

    /** The paper's closeness criterion for "reaches" a reference value, nats. */
    static final double CLAIM_TOL = 0.01;

    private TiedUntiedReport() {
    }

    static void add(MarkovExperiments.TiedVsUntied r, MarkovReport report) {
        for (boolean tied : new boolean[] {true, false}) {
            for (RunResult run : r.runs(tied)) report.add((tied ? "tied" : "untied") + " seed " + run.config().seed(), run);
        }
        double p = r.base().p(), er = r.entropyRate(), h = r.unigramEntropy();
        for (boolean tied : new boolean[] {true, false}) {
            String k = tied ? "tied" : "untied";
            double loss = r.meanFinalLoss(tied);
            report.summary(k + "_mean_final_loss", loss);
            report.summary(k + "_gap_to_entropy_rate", loss - er);
            report.summary(k + "_gap_to_unigram", loss - h);
            report.summary(k + "_mean_p_hat", r.meanPHat(tied));
            int reach = 0, stay = 0;
            for (RunResult run : r.runs(tied)) {
                if (Math.abs(run.gapToEntropyRate()) <= CLAIM_TOL) reach++;
                if (Math.abs(run.gapToUnigram()) <= CLAIM_TOL) stay++;
            }
            report.summary(k + "_runs_within_0.01_of_entropy_rate", reach + "/" + r.runs(tied).size());
            report.summary(k + "_runs_within_0.01_of_unigram", stay + "/" + r.runs(tied).size());
        }
        report.summary("entropy_rate", er);
        report.summary("unigram_entropy", h);
        report.summary("p", p);
        report.summary("pi1", r.pi1());

        // the paper's "est" plots: P̂(1 | previous 0) along the positions, one column per run
        List<RunResult> all = new ArrayList<>(r.tied());
        all.addAll(r.untied());
        int n = r.base().seqLen();
        String[] cols = new String[all.size() + 1];
        cols[0] = "position";
        for (int i = 0; i < all.size(); i++) cols[i + 1] = (i < r.tied().size() ? "tied_seed" : "untied_seed") + all.get(i).config().seed();
        Csv est = new Csv(cols);
        double[] pos = new double[n];
        for (int t = 0; t < n; t++) {
            double[] row = new double[all.size() + 1];
            row[0] = t;
            pos[t] = t;
            for (int i = 0; i < all.size(); i++) row[i + 1] = all.get(i).result().pHatByPosition()[t];
            est.row(row);
        }
        report.output().csv("est.csv", est);
        List<Charts.Series> series = new ArrayList<>();
        series.add(new Charts.Series("tied, seed " + r.tied().get(0).config().seed(), pos, r.tied().get(0).result().pHatByPosition()));
        series.add(new Charts.Series("untied, seed " + r.untied().get(0).config().seed(), pos, r.untied().get(0).result().pHatByPosition()));
        double[] ends = {0, n - 1};
        series.add(new Charts.Series(String.format(Locale.ROOT, "p = %.3g", p), ends, new double[] {p, p}));
        series.add(new Charts.Series(String.format(Locale.ROOT, "pi1 = %.3f", r.pi1()), ends, new double[] {r.pi1(), r.pi1()}));
        report.output().chart("est", Charts.lines(String.format(Locale.ROOT, "P^(1 | previous 0) along positions, (p, q) = (%.2g, %.2g)", p, r.base().q()),
                "position n", "mean P^(x_{n+1} = 1 | x_n = 0) over held-out sequences", false, series));
    }
}
