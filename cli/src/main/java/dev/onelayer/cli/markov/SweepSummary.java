package dev.onelayer.cli.markov;

import dev.onelayer.model.markov.MarkovExperiments.SweepRow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs of a depth or memory sweep into the report, with the mean final loss per setting. */
final class SweepSummary {

    private SweepSummary() {
    }

    static void add(List<SweepRow> rows, String what, MarkovReport report) {
        Map<Integer, double[]> mean = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            report.add(String.format(Locale.ROOT, "%s=%d seed %d", what, r.value(), r.seed()), r.run());
            double[] acc = mean.computeIfAbsent(r.value(), k -> new double[2]);
            acc[0] += r.run().finalLoss();
            acc[1]++;
        }
        SweepRow any = rows.get(0);
        for (Map.Entry<Integer, double[]> e : mean.entrySet()) {
            double loss = e.getValue()[0] / e.getValue()[1];
            report.summary(what + "=" + e.getKey(), String.format(Locale.ROOT, "mean final loss %.4f, gap to entropy rate %+.4f, gap to H(pi) %+.4f",
                    loss, loss - any.run().entropyRate(), loss - any.run().unigramEntropy()));
        }
    }
}
