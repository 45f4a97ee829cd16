package dev.onelayer.cli.icar;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.icar.PeOnlyExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code onelayer icar pe-only}: issue 6 experiment 4 (Fig 6, {@code pe_only.py}). d = 1 complex,
 * lambda = exp(i theta / mu), only the positional matrix is learned (full-batch SGD from zeros
 * until the normalised loss is below 1e-3); for each mu the heatmap of P and the profile of row
 * T-2, expected to go from oscillating (mu = 50) to monotone (mu = 300).
 */
@Command(name = "pe-only", mixinStandardHelpOptions = true, description = "Exp 4: PE-only d=1, mu sweep: positional rows from oscillating (mu=50) to monotone (mu=300).")
public final class PeOnlyCommand implements Runnable {

    /** Row T-2 end values read off the repo's saved results (icar.md section 4), by mu. */
    private static final Map<Double, Double> REPO_ROW_END = Map.of(50.0, 0.33, 100.0, 0.24, 200.0, 0.18, 300.0, 0.13);

    @Mixin
    TrainingOptions options;

    @Option(names = "--mu", split = ",", defaultValue = "50,100,200,300", description = "Angle divisors mu, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Double> mus;

    @Option(names = "--seq-len", defaultValue = "30", description = "T (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--n", defaultValue = "1000", description = "Fixed sequences, full batch (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--lr", description = "SGD learning rate on the sum over rows (default: 0.5/(T-1), the repo's 0.5 on a mean over rows).")
    Double lr;

    @Option(names = "--loss-stop", defaultValue = "1e-3", description = "Stop once the normalised loss is below this (default: ${DEFAULT-VALUE}).")
    double lossStop;

    @Spec
    CommandSpec spec;

    static final long DEFAULT_STEPS = 100_000;

    @Override
    public void run() {
        Path dir = options.validate("icar-pe-only");
        int maxSteps = IcarIo.intSteps(options.steps(DEFAULT_STEPS));
        if (seqLen < 3) throw new UsageException("--seq-len must be at least 3, got " + seqLen);
        IcarIo.positive("--n", n);
        if (mus.isEmpty()) throw new UsageException("--mu needs at least one value");
        for (double mu : mus) IcarIo.positiveFinite("--mu", mu);
        double rate = lr != null ? lr : 0.5 / (seqLen - 1);
        IcarIo.positiveFinite("--lr", rate);
        if (!(lossStop >= 0)) throw new UsageException("--loss-stop must be >= 0, got " + lossStop);

        RunOutput out = new RunOutput(dir);
        PrintWriter w = spec.commandLine().getOut();
        String[] header = new String[mus.size() + 1];
        header[0] = "t_prime";
        for (int i = 0; i < mus.size(); i++) header[i + 1] = "mu" + fmtMu(mus.get(i));
        Csv profiles = new Csv(header);
        List<PeOnlyExperiment.Result> results = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        for (double mu : mus) {
            PeOnlyExperiment.Config cfg = new PeOnlyExperiment.Config(mu, seqLen, n, rate, maxSteps, lossStop, options.seed(), options.threads());
            Csv curve = new Csv("step", "loss", "lr");
            PeOnlyExperiment.Result r;
            try (Progress p = Progress.start("pe-only mu=" + fmtMu(mu), maxSteps, options.quiet())) {
                r = PeOnlyExperiment.run(cfg, IcarIo.recorder(p, curve, 10, 1));
            }
            results.add(r);
            out.csv("curve-mu" + fmtMu(mu) + ".csv", curve);
            IcarIo.matrix(out, "positional-mu" + fmtMu(mu), "P, PE-only, mu=" + fmtMu(mu) + " (rows 0..T-2, t' <= r+1)", seqLen - 1, seqLen,
                    IcarIo.causalRows(r.positional(), seqLen));
            Map<String, Object> m = Json.object();
            m.put("mu", mu);
            m.put("steps", r.steps());
            m.put("normalised_loss", r.normalisedLoss());
            m.put("reached_loss_stop", r.normalisedLoss() < lossStop);
            m.put("turning_points", r.turningPoints());
            m.put("row_end", r.lastRow()[r.lastRow().length - 1]);
            m.put("repo_row_end", REPO_ROW_END.getOrDefault(mu, Double.NaN));
            m.put("newest_weight", r.newestWeight());
            m.put("last_row", r.lastRow());
            m.put("train_seconds", r.trainSeconds());
            rows.add(m);
        }
        List<Charts.Series> series = new ArrayList<>();
        double[] xs = new double[seqLen - 1];
        for (int s = 0; s < xs.length; s++) {
            xs[s] = s;
            double[] row = new double[mus.size() + 1];
            row[0] = s;
            for (int i = 0; i < mus.size(); i++) row[i + 1] = results.get(i).lastRow()[s];
            profiles.row(row);
        }
        for (int i = 0; i < mus.size(); i++) series.add(new Charts.Series("mu=" + fmtMu(mus.get(i)), xs, results.get(i).lastRow()));
        out.csv("profiles.csv", profiles);
        out.chart("profiles", Charts.lines("PE-only: row T-2 of P against t' (the repo's tril(P) view)", "t'", "p_{T-2, t'}", false, series));

        Map<String, Object> json = Json.object();
        json.put("experiment", "icar pe-only");
        Map<String, Object> c = Json.object();
        c.put("mu", mus);
        c.put("seq_len", seqLen);
        c.put("n", n);
        c.put("optimizer", "full-batch sgd, constant lr, P from zeros");
        c.put("lr", rate);
        c.put("max_steps", maxSteps);
        c.put("loss_stop", lossStop);
        c.put("seed", options.seed());
        json.put("config", c);
        json.put("result", rows);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            w.printf(Locale.ROOT, "PE-only d=1, T=%d, %d fixed sequences, SGD lr %.4g, stop below %.0e%n", seqLen, n, rate, lossStop);
            w.println("  prediction (repo Fig 6): mu=50 oscillates, mu=300 monotone; row T-2 ends near 0.33/0.24/0.18/0.13 for mu=50/100/200/300");
            for (PeOnlyExperiment.Result r : results) {
                double mu = r.config().mu(), end = r.lastRow()[r.lastRow().length - 1], repo = REPO_ROW_END.getOrDefault(mu, Double.NaN);
                w.printf(Locale.ROOT, "  mu=%-5s %6d steps (%.1f s) loss %.2e  turning points %d (%s)  row end %.3f  repo %.2f  gap %+.3f%n",
                        fmtMu(mu), r.steps(), r.trainSeconds(), r.normalisedLoss(), r.turningPoints(),
                        r.turningPoints() == 0 ? "monotone" : "oscillating", end, repo, end - repo);
            }
            w.println("wrote " + dir);
            w.flush();
        }
    }

    private static String fmtMu(double mu) {
        return mu == Math.rint(mu) ? Long.toString((long) mu) : Double.toString(mu);
    }
}
