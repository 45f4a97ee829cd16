package dev.onelayer.cli.markov;

import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.MarkovExperiments.GridCell;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * Experiment 3 (the reference code's (p, q) heat maps): one run per cell, q̂ = mean P̂(0 | previous
 * 1). The paper, with tying: q̂ ≈ q when p + q &lt; 1 and ≈ q/(p+q) when p + q &gt; 1; untied q̂ ≈ q.
 * Writes {@code grid.csv} and heat maps {@code qhat_tied}, {@code qhat_untied} (rows p, columns q).
 */
@Command(name = "grid", mixinStandardHelpOptions = true, description = "Experiment 3: the (p, q) grid of q-hat, tied and untied (tied: q-hat ~ q if p+q<1, ~ q/(p+q) if p+q>1).")
public final class GridCommand extends ExperimentCommand {

    @Option(names = "--ps", paramLabel = "P1,P2", split = ",", defaultValue = "0.2,0.4,0.5,0.6,0.8,1.0",
            description = "Values of p (default: ${DEFAULT-VALUE}).")
    double[] ps;

    @Option(names = "--qs", paramLabel = "Q1,Q2", split = ",", defaultValue = "0.2,0.4,0.6,0.8,1.0",
            description = "Values of q (default: ${DEFAULT-VALUE}).")
    double[] qs;

    @Option(names = "--tying", paramLabel = "WHICH", defaultValue = "both", description = "both, tied or untied (default: ${DEFAULT-VALUE}).")
    Tying tying;

    @Override
    String name() {
        return "grid";
    }

    @Override
    TrainConfig defaults() {
        return TrainConfig.paper(0.5, 0.5, true);
    }

    @Override
    long totalSteps(TrainConfig base, long[] seeds) {
        return (long) ps.length * qs.length * tying.heads().length * base.steps();
    }

    @Override
    void execute(TrainConfig base, long[] seeds, MarkovExperiments.Progress progress, MarkovReport report) {
        for (double[] a : new double[][] {ps, qs}) {
            for (double v : a) {
                if (!(v > 0 && v <= 1)) throw new UsageException("--ps and --qs values must be in (0, 1], got " + v);
            }
        }
        Csv csv = new Csv("p", "q", "tied", "q_hat", "q_hat_bigram", "q_hat_unigram", "q_hat_predicted_tied", "nearer_unigram",
                "matches_prediction", "final_loss", "entropy_rate", "unigram_entropy");
        long done = 0, per = (long) ps.length * qs.length * base.steps();
        for (boolean tied : tying.heads()) {
            long offset = done;
            MarkovExperiments.Grid g = MarkovExperiments.grid(base, ps, qs, tied, (d, t, l) -> progress.onStep(offset + d, totalSteps(base, seeds), l));
            done += per;
            double[] heat = new double[ps.length * qs.length];
            int matches = 0, regular = 0;
            for (int i = 0; i < ps.length; i++) {
                for (int j = 0; j < qs.length; j++) {
                    GridCell c = g.cell(i, j);
                    heat[i * qs.length + j] = c.qHat();
                    boolean unigram = c.regime() == MarkovExperiments.Regime.UNIGRAM;
                    // the prediction: tied and p + q > 1 -> unigram; otherwise bigram (p + q = 1: both coincide)
                    boolean predictedUnigram = tied && c.p() + c.q() > 1;
                    boolean decidable = Math.abs(c.p() + c.q() - 1) > 1e-9;
                    boolean match = !decidable || unigram == predictedUnigram;
                    if (decidable) {
                        regular++;
                        if (match) matches++;
                    }
                    csv.row(c.p(), c.q(), tied ? 1 : 0, c.qHat(), c.qHatBigram(), c.qHatUnigram(), c.qHatPredictedTied(), unigram ? 1 : 0,
                            match ? 1 : 0, c.run().finalLoss(), c.run().entropyRate(), c.run().unigramEntropy());
                    report.add(String.format(Locale.ROOT, "%s (%.2g, %.2g)", tied ? "tied" : "untied", c.p(), c.q()), c.run());
                }
            }
            String k = tied ? "tied" : "untied";
            report.summary(k + "_cells_matching_prediction", matches + "/" + regular + " (cells with p + q = 1 excluded: both predictions coincide)");
            report.output().chart("qhat_" + k, Charts.labelledHeatmap("q-hat = mean P(0 | previous 1), " + k
                    + (tied ? " (theory: q if p+q<1, q/(p+q) if p+q>1)" : " (theory: q)"), "q", "p", labels(ps), labels(qs), heat));
        }
        report.output().csv("grid.csv", csv);
    }

    /** Axis labels: the values as given (shortest exact decimal), so distinct values never share a label. */
    private static java.util.List<String> labels(double[] v) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (double x : v) out.add(java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString());
        return out;
    }
}
