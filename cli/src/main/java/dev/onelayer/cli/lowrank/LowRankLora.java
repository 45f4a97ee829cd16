package dev.onelayer.cli.lowrank;

import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.lowrank.LoraPoint;
import dev.onelayer.model.lowrank.LoraTraining;
import dev.onelayer.model.lowrank.LowRankConfig;
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
 * {@code onelayer lowrank lora} (issue 8 experiment 4): training with every Delta W restricted to
 * rank r (W = W_init + B A) against the unrestricted run; writes lora.csv, result.json and
 * lora.png/.svg.
 */
@Command(name = "lora", mixinStandardHelpOptions = true, description = "Train with rank-r (LoRA-style) weight updates; test error against r.")
public final class LowRankLora implements Runnable {

    @Mixin
    TrainingOptions options;

    @Mixin
    LowRankOptions lowrank;

    @Option(names = "--ranks", split = ",", paramLabel = "R", defaultValue = "1,2,4,8", description = "Ranks to train (default: ${DEFAULT-VALUE}).")
    int[] ranks;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LowRankConfig config = lowrank.config(options, LowRankOptions.Preset.small);
        for (int r : ranks) if (r < 1) throw new UsageException("--ranks must all be >= 1, got " + r);
        Path dir = options.validate("lowrank-lora");
        String preset = lowrank.presetName(LowRankOptions.Preset.small);
        long t0 = System.nanoTime();
        List<LoraPoint> points = LoraTraining.sweep(config, ranks);
        double seconds = (System.nanoTime() - t0) / 1e9;

        RunOutput out = new RunOutput(dir);
        Csv csv = new Csv("rank", "train_error", "test_error", "test_hinge", "trained_scalars");
        for (LoraPoint p : points) csv.row(p.rank(), p.trainError(), p.testError(), p.testHinge(), p.trainedScalars());
        out.csv("lora.csv", csv);
        int n = points.size() - 1;
        double[] r = new double[n], err = new double[n], hinge = new double[n], fullErr = new double[2], fullX = new double[2];
        for (int i = 0; i < n; i++) {
            r[i] = points.get(i + 1).rank();
            err[i] = points.get(i + 1).testError();
            hinge[i] = points.get(i + 1).testHinge();
        }
        fullX[0] = r.length > 0 ? r[0] : 1;
        fullX[1] = r.length > 0 ? r[n - 1] : 1;
        fullErr[0] = fullErr[1] = points.get(0).testError();
        out.chart("lora", Charts.lines("lowrank: rank-r updates (" + preset + ", seed " + config.seed() + ")", "rank r", "value", false, List.of(
                new Charts.Series("test error", r, err), new Charts.Series("test hinge loss", r, hinge),
                new Charts.Series("full-rank test error", fullX, fullErr))));

        Map<String, Object> json = Json.object();
        json.put("experiment", "lowrank lora");
        Map<String, Object> cfg = LowRankOptions.json(config, preset);
        cfg.put("ranks", ranks);
        cfg.put("lora", "W = W_init + B A on W_Q, W_K, W_V, W_O; B = 0, A ~ N(0, 1/cols); same rates, batches, steps");
        json.put("config", cfg);
        List<Object> pts = new ArrayList<>();
        for (LoraPoint p : points) {
            Map<String, Object> o = Json.object();
            o.put("rank", p.rank() == 0 ? "full" : p.rank());
            o.put("train_error", p.trainError());
            o.put("test_error", p.testError());
            o.put("test_hinge", p.testHinge());
            o.put("trained_scalars", p.trainedScalars());
            pts.add(o);
        }
        Map<String, Object> res = Json.object();
        res.put("points", pts);
        res.put("seconds", seconds);
        json.put("result", res);
        Map<String, Object> claims = Json.object();
        claims.put("lora", "not an experiment of the paper; its low-rank result motivates LoRA: rank 2 (= relevant patterns) should suffice");
        json.put("paper", claims);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            PrintWriter w = spec.commandLine().getOut();
            w.printf("lowrank lora: %d runs in %.1f s; wrote %s%n", points.size(), seconds, dir);
            for (LoraPoint p : points) {
                Runs.claim(w, false, (p.rank() == 0 ? "full-rank" : "rank " + p.rank()) + " test error (trained scalars)",
                        Runs.f("%.2f%% (%d)", 100 * p.testError(), p.trainedScalars()), p.rank() == 0 ? "near 0" : "near 0 once r >= 2 (implied)");
            }
            w.flush();
        }
    }
}
