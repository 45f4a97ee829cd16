package dev.onelayer.cli.lowrank;

import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.lowrank.LowRankConfig;
import dev.onelayer.model.lowrank.Pruning;
import dev.onelayer.model.lowrank.PruningResult;
import dev.onelayer.model.lowrank.TrainedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code onelayer lowrank prune} (issue 8 experiment 3): for seeds seed..seed+n-1, trains, splits
 * W_O's row norms into two groups and prunes rows smallest-first (magnitude), at random (mean of
 * --draws masks) and largest-first over rates 0..60%, reporting test error, test hinge loss and
 * relative output change; curves are averaged over seeds with the across-seed standard deviation.
 * Writes pruning.csv (mean curves), pruning_seeds.csv (per seed), row_norms.csv, result.json,
 * pruning.png, pruning_change.png and row_norms.png (+ .svg).
 */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Magnitude vs random vs largest-first pruning of W_O's rows (neurons).")
public final class LowRankPrune implements Runnable {

    @Mixin
    TrainingOptions options;

    @Mixin
    LowRankOptions lowrank;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds seed..seed+N-1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--draws", paramLabel = "N", defaultValue = "20", description = "Random masks per rate (default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--max-rate", paramLabel = "R", defaultValue = "0.6", description = "Largest pruning rate, in steps of 0.05 (default: ${DEFAULT-VALUE}).")
    double maxRate;

    @Spec
    CommandSpec spec;

    private static final String[] ORDERS = {"magnitude", "random", "largest"};
    private static final String[] METRICS = {"error", "hinge", "change"};

    @Override
    public void run() {
        LowRankConfig base = lowrank.config(options, LowRankOptions.Preset.pruning);
        if (seeds < 1) throw new UsageException("--seeds must be at least 1, got " + seeds);
        if (draws < 1) throw new UsageException("--draws must be at least 1, got " + draws);
        if (!(maxRate >= 0 && maxRate <= 1)) throw new UsageException("--max-rate must be in [0, 1], got " + maxRate);
        Path dir = options.validate("lowrank-prune");
        String preset = lowrank.presetName(LowRankOptions.Preset.pruning);
        int nRates = (int) Math.floor(maxRate / 0.05 + 1e-9) + 1;
        double[] rates = new double[nRates];
        for (int i = 0; i < nRates; i++) rates[i] = Math.round(i * 5) / 100.0;

        List<PruningResult> results = new ArrayList<>();
        List<TrainedRun> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            TrainedRun run = Runs.train("lowrank prune seed " + (base.seed() + s), base.withSeed(base.seed() + s), options.quiet());
            runs.add(run);
            results.add(Pruning.run(run, rates, draws, base.seed() + s));
        }

        RunOutput out = new RunOutput(dir);
        // Per seed: rate x order x metric (random: the mean over draws and its sd).
        Csv perSeed = new Csv("seed", "rate", "small_fraction", "magnitude_error", "magnitude_hinge", "magnitude_change",
                "random_error", "random_error_sd", "random_hinge", "random_change", "largest_error", "largest_hinge", "largest_change");
        for (int s = 0; s < seeds; s++) {
            PruningResult p = results.get(s);
            for (int i = 0; i < nRates; i++) {
                perSeed.row(base.seed() + s, rates[i], p.split().smallFraction(), p.magnitude().error()[i], p.magnitude().hinge()[i],
                        p.magnitude().change()[i], p.random().error()[i], p.random().errorSd()[i], p.random().hinge()[i],
                        p.random().change()[i], p.largest().error()[i], p.largest().hinge()[i], p.largest().change()[i]);
            }
        }
        out.csv("pruning_seeds.csv", perSeed);

        double[][][] mean = new double[3][3][nRates], sd = new double[3][3][nRates];
        for (int o = 0; o < 3; o++) {
            for (int m = 0; m < 3; m++) {
                for (int i = 0; i < nRates; i++) {
                    double[] v = new double[seeds];
                    for (int s = 0; s < seeds; s++) v[s] = metric(curve(results.get(s), o), m)[i];
                    mean[o][m][i] = Arrays.stream(v).average().orElse(Double.NaN);
                    double ss = 0;
                    for (double x : v) ss += (x - mean[o][m][i]) * (x - mean[o][m][i]);
                    sd[o][m][i] = seeds > 1 ? Math.sqrt(ss / (seeds - 1)) : 0;
                }
            }
        }
        List<String> cols = new ArrayList<>(List.of("rate"));
        for (String o : ORDERS) for (String m : METRICS) {
            cols.add(o + "_" + m);
            cols.add(o + "_" + m + "_sd");
        }
        Csv meanCsv = new Csv(cols.toArray(new String[0]));
        for (int i = 0; i < nRates; i++) {
            double[] row = new double[cols.size()];
            row[0] = rates[i];
            int c = 1;
            for (int o = 0; o < 3; o++) for (int m = 0; m < 3; m++) {
                row[c++] = mean[o][m][i];
                row[c++] = sd[o][m][i];
            }
            meanCsv.row(row);
        }
        out.csv("pruning.csv", meanCsv);

        PruningResult first = results.get(0);
        double[] sorted = first.split().norms().clone();
        Arrays.sort(sorted);
        Csv norms = new Csv("rank", "row_norm", "small_group", "a_sign");
        double threshold = 0;
        for (int j = 0; j < sorted.length; j++) if (j < first.split().smallCount()) threshold = sorted[j];
        for (int j = 0; j < sorted.length; j++) norms.row(j + 1, sorted[j], sorted[j] <= threshold ? 1 : 0, first.ascendingSigns()[j]);
        out.csv("row_norms.csv", norms);

        double meanR = results.stream().mapToDouble(p -> p.split().smallFraction()).average().orElse(Double.NaN);
        double[] pct = new double[nRates];
        for (int i = 0; i < nRates; i++) pct[i] = 100 * rates[i];
        double top = 0;
        for (int o = 0; o < 3; o++) for (double v : mean[o][0]) top = Math.max(top, v);
        String title = "lowrank: pruning W_O rows (" + preset + ", " + seeds + " seed" + (seeds > 1 ? "s" : "") + ", random = mean of " + draws + ")";
        List<Charts.Series> errSeries = new ArrayList<>();
        for (int o = 0; o < 3; o++) {
            errSeries.add(new Charts.Series(ORDERS[o] + " (mean)", pct, mean[o][0]));
            if (seeds > 1) errSeries.add(new Charts.Series(ORDERS[o] + " + sd", pct, plus(mean[o][0], sd[o][0])));
        }
        errSeries.add(new Charts.Series("small-group fraction R (mean)", new double[] {100 * meanR, 100 * meanR}, new double[] {0, Math.max(top, 0.01)}));
        org.knowm.xchart.XYChart errChart = Charts.lines(title, "pruning rate (%)", "test error", false, errSeries);
        // One colour per order; the mean + sd line dashed in the same colour, R dotted grey.
        java.awt.Color[] colours = {new java.awt.Color(0, 90, 200), new java.awt.Color(0, 150, 60), new java.awt.Color(200, 30, 30)};
        for (int o = 0; o < 3; o++) {
            style(errChart, ORDERS[o] + " (mean)", colours[o], new java.awt.BasicStroke(2.5f));
            style(errChart, ORDERS[o] + " + sd", colours[o], new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        style(errChart, "small-group fraction R (mean)", java.awt.Color.GRAY, new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
        out.chart("pruning", errChart);
        List<Charts.Series> chSeries = new ArrayList<>();
        for (int o = 0; o < 3; o++) chSeries.add(new Charts.Series(ORDERS[o], pct, mean[o][2]));
        chSeries.add(new Charts.Series("small-group fraction R (mean)", new double[] {100 * meanR, 100 * meanR}, new double[] {0, 1}));
        out.chart("pruning_change", Charts.lines(title, "pruning rate (%)", "||F_pruned - F|| / ||F||", false, chSeries));
        double[] rank = new double[sorted.length];
        for (int j = 0; j < rank.length; j++) rank[j] = j + 1;
        out.chart("row_norms", Charts.lines("lowrank: sorted row norms of W_O (seed " + base.seed() + ")", "row (sorted)", "||W_O row||", true,
                List.of(new Charts.Series("row norm", rank, sorted))));

        Map<String, Object> json = Json.object();
        json.put("experiment", "lowrank prune");
        Map<String, Object> cfg = LowRankOptions.json(base, preset);
        cfg.put("seeds", seeds);
        cfg.put("draws", draws);
        cfg.put("rates", rates);
        json.put("config", cfg);
        List<Object> per = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            PruningResult p = results.get(s);
            Map<String, Object> o = Json.object();
            o.put("seed", base.seed() + s);
            o.put("test_error", runs.get(s).finalTestError());
            o.put("small_fraction", p.split().smallFraction());
            o.put("mean_ratio", p.split().meanRatio());
            o.put("gap_ratio", p.split().gapRatio());
            o.put("baseline_error", p.baselineError());
            o.put("baseline_hinge", p.baselineHinge());
            o.put("magnitude_error", p.magnitudeError());
            o.put("magnitude_hinge", p.magnitudeHinge());
            o.put("magnitude_change", p.magnitudeChange());
            o.put("random_error", p.randomError());
            o.put("random_error_sd", p.randomErrorSd());
            o.put("random_hinge", p.randomHinge());
            o.put("random_change", p.randomChange());
            o.put("random_change_min", p.randomChangeMin());
            int m = p.ascendingSigns().length, from = p.split().smallCount(), to = Math.min(m, from + Math.max(1, m / 5));
            o.put("positive_share_next_fifth_past_R", p.positiveShare(from, to));
            per.add(o);
        }
        Map<String, Object> res = Json.object();
        res.put("per_seed", per);
        res.put("mean_small_fraction", meanR);
        json.put("result", res);
        Map<String, Object> claims = Json.object();
        claims.put("split", "a constant fraction of W_O rows large, the rest small (issue: 2-means mean ratio >= 10, small fraction 3%-50%)");
        claims.put("magnitude", "pruning the small rows barely changes generalization (issue: < 1 point error, < 1% output change)");
        claims.put("random", "random pruning of the same fraction hurts more (issue: output change >= R/2, hinge increase above magnitude's)");
        claims.put("largest", "pruning a fraction R of the large rows gives error Omega(R)");
        json.put("paper", claims);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            PrintWriter w = spec.commandLine().getOut();
            w.printf("lowrank prune: %d seed(s), preset %s; wrote %s%n", seeds, preset, dir);
            for (int s = 0; s < seeds; s++) {
                PruningResult p = results.get(s);
                double r = p.split().smallFraction();
                w.printf("seed %d (test error %.2f%%):%n", base.seed() + s, 100 * runs.get(s).finalTestError());
                Runs.claim(w, false, "row-norm split: small fraction, mean ratio", Runs.f("%.3f, %.1f", r, p.split().meanRatio()), "3%-50%, >= 10");
                Runs.claim(w, false, "magnitude at R: d(error), output change", Runs.f("%+.2f pt, %.4f", 100 * (p.magnitudeError() - p.baselineError()),
                        p.magnitudeChange()), "< 1 pt, < 0.01");
                Runs.claim(w, false, "random at R: d(error), output change", Runs.f("%+.2f pt, %.3f (R/2 = %.3f)", 100 * (p.randomError() - p.baselineError()),
                        p.randomChange(), r / 2), ">= magnitude, >= R/2");
                int m = p.ascendingSigns().length, from = p.split().smallCount(), to = Math.min(m, from + Math.max(1, m / 5));
                Runs.claim(w, false, "next rows past R: share with a > 0", Runs.f("%.2f (ranks %d-%d of %d)", p.positiveShare(from, to), from + 1, to, m),
                        "cliff: one sign group goes first (notes)");
                Runs.claim(w, false, "d(hinge) random vs magnitude", Runs.f("%.4f vs %.4f", p.randomHinge() - p.baselineHinge(),
                        p.magnitudeHinge() - p.baselineHinge()), "random > magnitude");
            }
            w.println("mean test error by rate (magnitude / random / largest-first):");
            for (int i = 0; i < nRates; i++) {
                w.printf("  %4.0f%%  %6.2f%%  %6.2f%%  %6.2f%%%n", pct[i], 100 * mean[0][0][i], 100 * mean[1][0][i], 100 * mean[2][0][i]);
            }
            w.flush();
        }
    }

    private static void style(org.knowm.xchart.XYChart chart, String name, java.awt.Color colour, java.awt.BasicStroke stroke) {
        org.knowm.xchart.XYSeries series = chart.getSeriesMap().get(name);
        if (series == null) return; // dropped by Charts.lines (no finite points)
        series.setLineColor(colour);
        series.setLineStyle(stroke);
    }

    private static PruningResult.Curve curve(PruningResult p, int order) {
        return order == 0 ? p.magnitude() : order == 1 ? p.random() : p.largest();
    }

    private static double[] metric(PruningResult.Curve c, int m) {
        return m == 0 ? c.error() : m == 1 ? c.hinge() : c.change();
    }

    private static double[] plus(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }
}
