package dev.onelayer.cli.lowrank;

import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.lowrank.LowRankConfig;
import dev.onelayer.model.lowrank.MatrixSpectrum;
import dev.onelayer.model.lowrank.RankScaling;
import dev.onelayer.model.lowrank.SpectraAnalysis;
import dev.onelayer.model.lowrank.TrainedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code onelayer lowrank spectra} (issue 8 experiment 2): singular values of Delta W for W_Q,
 * W_K, W_V, W_O after training, effective ranks, energy and principal angles to span(mu_1, mu_2);
 * with {@code --ks}, the number of dominant singular values for k relevant patterns per class.
 * Writes spectra.csv, rank_scaling.csv (with --ks), result.json and spectra.png/.svg.
 */
@Command(name = "spectra", mixinStandardHelpOptions = true, description = "Spectra of the weight updates Delta W (low rank = number of relevant patterns).")
public final class LowRankSpectra implements Runnable {

    @Mixin
    TrainingOptions options;

    @Mixin
    LowRankOptions lowrank;

    @Option(names = "--ks", split = ",", paramLabel = "K", description = "Also train with k relevant patterns per class for each k (e.g. 1,2,3).")
    int[] ks;

    @Option(names = "--rel-tol", paramLabel = "X", defaultValue = "0.1", description = "A singular value is dominant above X * sigma_1 (default: ${DEFAULT-VALUE}).")
    double relTol;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LowRankConfig config = lowrank.config(options, LowRankOptions.Preset.small);
        if (!(relTol > 0 && relTol < 1)) throw new UsageException("--rel-tol must be in (0, 1), got " + relTol);
        if (ks != null) {
            for (int k : ks) {
                try {
                    config.task().withRelevantPerClass(k);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--ks " + k + ": " + e.getMessage());
                }
            }
        }
        Path dir = options.validate("lowrank-spectra");
        String preset = lowrank.presetName(LowRankOptions.Preset.small);
        TrainedRun run = Runs.train("lowrank spectra", config, options.quiet());
        List<MatrixSpectrum> spectra = SpectraAnalysis.of(run, relTol);

        RunOutput out = new RunOutput(dir);
        int n = spectra.get(0).sigma().length;
        List<String> cols = new ArrayList<>(List.of("index"));
        for (MatrixSpectrum s : spectra) cols.add("delta_" + s.name());
        for (MatrixSpectrum s : spectra) cols.add("init_" + s.name());
        Csv csv = new Csv(cols.toArray(new String[0]));
        for (int i = 0; i < n; i++) {
            double[] row = new double[cols.size()];
            row[0] = i + 1;
            for (int j = 0; j < spectra.size(); j++) {
                row[1 + j] = spectra.get(j).sigma()[i];
                row[1 + spectra.size() + j] = spectra.get(j).initialSigma()[i];
            }
            csv.row(row);
        }
        out.csv("spectra.csv", csv);
        List<Charts.Series> series = new ArrayList<>();
        double[] idx = new double[n];
        for (int i = 0; i < n; i++) idx[i] = i + 1;
        for (MatrixSpectrum s : spectra) series.add(new Charts.Series("Delta " + label(s.name()), idx, normalised(s.sigma())));
        series.add(new Charts.Series("random init W_Q", idx, normalised(spectra.get(0).initialSigma())));
        series.add(new Charts.Series("random init W_V", idx, normalised(spectra.get(2).initialSigma())));
        out.chart("spectra", Charts.lines("lowrank: singular values of Delta W / sigma_1 (" + preset + ", k="
                + config.task().relevantPerClass() + ", seed " + config.seed() + ")", "index i", "sigma_i / sigma_1", true, series));

        List<RankScaling.Point> scaling = null;
        if (ks != null && ks.length > 0) {
            scaling = RankScaling.run(config, ks, relTol);
            Csv rs = new Csv("k", "test_error", "dominant_wQ", "dominant_wK", "dominant_wV", "dominant_wO",
                    "effective_rank_wQ", "effective_rank_wK", "effective_rank_wV", "effective_rank_wO",
                    "span_energy_wQ", "span_energy_wK", "span_energy_wV", "span_energy_wO");
            for (RankScaling.Point p : scaling) {
                double[] row = new double[14];
                row[0] = p.k();
                row[1] = p.testError();
                for (int j = 0; j < 4; j++) {
                    MatrixSpectrum s = p.spectra().get(j);
                    row[2 + j] = s.dominant();
                    row[6 + j] = s.effectiveRank();
                    row[10 + j] = s.spanEnergy();
                }
                rs.row(row);
            }
            out.csv("rank_scaling.csv", rs);
        }

        Map<String, Object> json = Json.object();
        json.put("experiment", "lowrank spectra");
        json.put("config", LowRankOptions.json(config, preset));
        Map<String, Object> res = Json.object();
        res.put("final_test_error", run.finalTestError());
        res.put("rel_tol", relTol);
        for (MatrixSpectrum s : spectra) res.put(s.name(), summary(s));
        if (scaling != null) {
            List<Object> pts = new ArrayList<>();
            for (RankScaling.Point p : scaling) {
                Map<String, Object> o = Json.object();
                o.put("k", p.k());
                o.put("test_error", p.testError());
                for (MatrixSpectrum s : p.spectra()) o.put(s.name(), summary(s));
                pts.add(o);
            }
            res.put("rank_scaling", pts);
        }
        json.put("result", res);
        Map<String, Object> claims = Json.object();
        claims.put("rank", "Delta W_Q, W_K, W_V low rank, rank = number of label-relevant patterns (2); right singular vectors in span(mu_1, mu_2)");
        claims.put("issue_thresholds", "sigma3/sigma1: Delta W_V < 0.05, Delta W_Q < 0.2, W_init > 0.5; top-2 energy of Delta W_Q >= 0.9; Delta W_V >= 90% in span");
        json.put("paper", claims);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            PrintWriter w = spec.commandLine().getOut();
            w.printf("lowrank spectra: test error %.2f%% after %d steps (%.1f s); wrote %s%n", 100 * run.finalTestError(), config.steps(), run.seconds(), dir);
            for (MatrixSpectrum s : spectra) {
                Runs.claim(w, false, "Delta " + label(s.name()) + " sigma3/sigma1 (init)", Runs.f("%.4f (%.3f)", s.ratio31(), s.initialRatio31()),
                        s.name().equals("wV") ? "< 0.05 (init > 0.5)" : s.name().equals("wQ") ? "< 0.2 (init > 0.5)" : "low rank (not quantified)");
                Runs.claim(w, false, "  top-" + Math.min(2 * config.task().relevantPerClass(), s.sigma().length) + " energy, dominant count, eff. rank",
                        Runs.f("%.4f, %d, %.2f", s.topEnergy(), s.dominant(), s.effectiveRank()), "rank 2 = number of relevant patterns");
                Runs.claim(w, false, "  energy in relevant span, principal angles", Runs.f("%.3f, %s deg", s.spanEnergy(), angles(s)),
                        s.name().equals("wV") ? ">= 0.9" : "in span(mu_1, mu_2)");
            }
            if (scaling != null) {
                for (RankScaling.Point p : scaling) {
                    Runs.claim(w, false, "k=" + p.k() + " dominant counts Q,K,V,O", Runs.f("%d,%d,%d,%d (err %.2f%%)", p.of("wQ").dominant(),
                            p.of("wK").dominant(), p.of("wV").dominant(), p.of("wO").dominant(), 100 * p.testError()), "2k = " + 2 * p.k());
                }
            }
            w.flush();
        }
    }

    private static String angles(MatrixSpectrum s) {
        StringBuilder b = new StringBuilder();
        for (double a : s.anglesDegrees()) b.append(b.length() == 0 ? "" : "/").append(Runs.f("%.1f", a));
        return b.toString();
    }

    static String label(String name) {
        return "W_" + name.substring(1);
    }

    private static double[] normalised(double[] s) {
        double[] r = new double[s.length];
        for (int i = 0; i < s.length; i++) r[i] = s[0] > 0 ? s[i] / s[0] : Double.NaN;
        return r;
    }

    private static Map<String, Object> summary(MatrixSpectrum s) {
        Map<String, Object> o = Json.object();
        o.put("sigma_1", s.sigma()[0]);
        o.put("sigma3_over_sigma1", s.ratio31());
        o.put("init_sigma3_over_sigma1", s.initialRatio31());
        o.put("top_energy", s.topEnergy());
        o.put("effective_rank", s.effectiveRank());
        o.put("stable_rank", s.stableRank());
        o.put("dominant", s.dominant());
        o.put("span_energy", s.spanEnergy());
        List<Object> angles = new ArrayList<>();
        for (double a : s.anglesDegrees()) angles.add(a);
        o.put("principal_angles_degrees", angles);
        return o;
    }
}
