package dev.onelayer.cli.markov;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.RunResult;
import dev.onelayer.model.markov.TrainConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files and the printed table every markov subcommand produces from its labelled runs:
 * {@code runs.csv} (one row per run: the measured loss next to the entropy rate and H(π) and both
 * gaps, the estimated kernel, the oracle losses on the same held-out set), {@code curves.csv}
 * (training loss of each step's fresh batch, one column per run), {@code loss.png/.svg} and
 * {@code result.json}.
 */
final class MarkovReport {

    private final String experiment;
    private final RunOutput out;
    private final List<String> labels = new ArrayList<>();
    private final List<RunResult> runs = new ArrayList<>();
    private final Map<String, Object> summary = Json.object();

    MarkovReport(String experiment, Path dir) {
        this.experiment = experiment;
        this.out = new RunOutput(dir);
    }

    RunOutput output() {
        return out;
    }

    void add(String label, RunResult r) {
        labels.add(label);
        runs.add(r);
    }

    /** An experiment-specific finding for result.json ("claims"). */
    void summary(String key, Object value) {
        summary.put(key, value);
    }

    /** A progress bar over the whole experiment, or periodic lines on stderr when not on a terminal. */
    static MarkovExperiments.Progress progress(Progress bar, PrintWriter err, String name, boolean quiet) {
        long[] lastPct = {-1};
        return (done, total, loss) -> {
            bar.update(done, loss);
            if (quiet || System.console() != null) return;
            long pct = 100 * done / Math.max(1, total);
            if (pct / 5 != lastPct[0] / 5) {
                lastPct[0] = pct;
                err.printf(Locale.ROOT, "markov %s: %d/%d steps (%d%%), loss %.4f%n", name, done, total, pct, loss);
                err.flush();
            }
        };
    }

    /** Writes every file, then prints one line per run unless quiet. */
    void write(TrainConfig base, double seconds, PrintWriter print, boolean quiet, String chartTitle) {
        Csv table = new Csv("run", "seed", "p", "q", "order", "tied", "full_model", "layers", "d", "window", "seq_len", "batch", "steps",
                "final_loss", "entropy_rate", "gap_to_entropy_rate", "unigram_entropy", "gap_to_unigram", "p_hat", "q_hat",
                "bayes_oracle_loss", "unigram_oracle_loss", "initial_loss", "lambda_min_initial", "lambda_min_final");
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            TrainConfig c = r.config();
            table.row(i, c.seed(), c.p(), c.q(), c.order(), c.tied() ? 1 : 0, c.architecture() == TrainConfig.Architecture.FULL ? 1 : 0,
                    c.layers(), c.d(), c.window(), c.seqLen(), c.batchSize(), c.steps(), r.finalLoss(), r.entropyRate(), r.gapToEntropyRate(),
                    r.unigramEntropy(), r.gapToUnigram(), r.result().pHat(), r.result().qHat(), r.result().bayesLoss(), r.result().unigramLoss(),
                    r.initial().loss(), r.lambdaMinInitial(), r.lambdaMinFinal());
        }
        out.csv("runs.csv", table);

        int maxSteps = 0;
        for (RunResult r : runs) maxSteps = Math.max(maxSteps, r.trainLoss().length);
        String[] cols = new String[runs.size() + 1];
        cols[0] = "step";
        for (int i = 0; i < runs.size(); i++) cols[i + 1] = "run" + i;
        Csv curves = new Csv(cols);
        double[] steps = new double[maxSteps];
        for (int s = 0; s < maxSteps; s++) {
            double[] row = new double[runs.size() + 1];
            row[0] = s + 1;
            steps[s] = s + 1;
            for (int i = 0; i < runs.size(); i++) row[i + 1] = s < runs.get(i).trainLoss().length ? runs.get(i).trainLoss()[s] : Double.NaN;
            curves.row(row);
        }
        out.csv("curves.csv", curves);

        if (maxSteps > 0) {
            List<Charts.Series> series = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) series.add(new Charts.Series(labels.get(i), steps, runs.get(i).trainLoss()));
            Map<String, Double> refs = new LinkedHashMap<>();
            for (RunResult r : runs) {
                String pq = String.format(Locale.ROOT, "(%.2g, %.2g)", r.config().p(), r.config().q());
                refs.putIfAbsent("entropy rate " + pq + " = " + fmt(r.entropyRate()), r.entropyRate());
                refs.putIfAbsent("H(pi) " + pq + " = " + fmt(r.unigramEntropy()), r.unigramEntropy());
            }
            if (refs.size() <= 4) {
                double[] ends = {1, maxSteps};
                for (Map.Entry<String, Double> e : refs.entrySet()) series.add(new Charts.Series(e.getKey(), ends, new double[] {e.getValue(), e.getValue()}));
            }
            out.chart("loss", Charts.lines(chartTitle, "step", "loss of the step's fresh batch (nats)", false, series));
        }

        Map<String, Object> json = Json.object();
        json.put("experiment", "markov " + experiment);
        json.put("base_config", configJson(base));
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            Map<String, Object> m = Json.object();
            m.put("run", i);
            m.put("label", labels.get(i));
            m.put("config", configJson(r.config()));
            m.put("final_loss", r.finalLoss());
            m.put("entropy_rate", r.entropyRate());
            m.put("gap_to_entropy_rate", r.gapToEntropyRate());
            m.put("unigram_entropy", r.unigramEntropy());
            m.put("gap_to_unigram", r.gapToUnigram());
            m.put("nearer", MarkovExperiments.regimeOf(r.finalLoss(), r.entropyRate(), r.unigramEntropy()).name().toLowerCase(Locale.ROOT));
            m.put("p_hat", r.result().pHat());
            m.put("q_hat", r.result().qHat());
            m.put("bayes_oracle_loss", r.result().bayesLoss());
            m.put("unigram_oracle_loss", r.result().unigramLoss());
            m.put("initial_loss", r.initial().loss());
            m.put("lambda_min_initial", r.lambdaMinInitial());
            rows.add(m);
        }
        json.put("runs", rows);
        json.put("claims", summary);
        Map<String, Object> timing = Json.object();
        long totalSteps = 0;
        for (RunResult r : runs) totalSteps += r.trainLoss().length;
        timing.put("seconds", seconds);
        timing.put("steps_per_second", seconds > 0 ? totalSteps / seconds : null);
        json.put("timing", timing);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!quiet) {
            for (int i = 0; i < runs.size(); i++) print.println(line(labels.get(i), runs.get(i)));
            for (Map.Entry<String, Object> e : summary.entrySet()) print.println("  " + e.getKey() + ": " + e.getValue());
            print.printf(Locale.ROOT, "markov %s: %d runs in %.1f s; wrote %s%n", experiment, runs.size(), seconds, out.dir());
            print.flush();
        }
    }

    /** The measured loss next to both references and the gaps, and the estimated kernel. */
    static String line(String label, RunResult r) {
        return String.format(Locale.ROOT,
                "%-28s loss %.4f | entropy rate %.4f (gap %+.4f) | H(pi) %.4f (gap %+.4f) | P^(1|0) %.3f (p %.3g, pi1 %.3f) | oracle %.4f",
                label, r.finalLoss(), r.entropyRate(), r.gapToEntropyRate(), r.unigramEntropy(), r.gapToUnigram(), r.result().pHat(),
                r.config().p(), r.config().chain().pi1(), r.result().bayesLoss());
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    static Map<String, Object> configJson(TrainConfig c) {
        Map<String, Object> m = Json.object();
        m.put("model", c.architecture().name().toLowerCase(Locale.ROOT));
        m.put("p", c.p());
        m.put("q", c.q());
        m.put("order", c.order());
        m.put("initial_law", c.initialLaw().name().toLowerCase(Locale.ROOT));
        m.put("d", c.d());
        m.put("layers", c.layers());
        m.put("seq_len", c.seqLen());
        m.put("batch", c.batchSize());
        m.put("steps", c.steps());
        m.put("tied", c.tied());
        m.put("window", c.window());
        m.put("init", c.init().name().toLowerCase(Locale.ROOT));
        m.put("init_std", c.initStd());
        m.put("lr", c.lr());
        m.put("beta1", c.beta1());
        m.put("beta2", c.beta2());
        m.put("eps", c.eps());
        m.put("weight_decay", c.weightDecay());
        m.put("warmup_fraction", c.warmupFraction());
        m.put("div_factor", c.divFactor());
        m.put("final_div_factor", c.finalDivFactor());
        m.put("eval_sequences", c.evalSequences());
        m.put("seed", c.seed());
        m.put("chunk", c.chunkSize());
        m.put("threads", c.threads());
        return m;
    }
}
