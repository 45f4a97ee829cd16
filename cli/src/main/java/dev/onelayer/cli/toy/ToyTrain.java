package dev.onelayer.cli.toy;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.optim.Sgd;
import dev.onelayer.model.train.EvalMetrics;
import dev.onelayer.model.train.MetricsListener;
import dev.onelayer.model.train.StepMetrics;
import dev.onelayer.model.train.TrainResult;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;
import dev.onelayer.model.train.toy.LinearRegression;
import dev.onelayer.model.train.toy.RegressionBatch;
import dev.onelayer.model.train.toy.RegressionTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code onelayer toy train} (also {@code onelayer train-toy}): fits {@code ŷ = Wx + b} to
 * {@code y = W*x + b* + σε} with SGD through the {@link Trainer}, and writes
 * {@code curves.csv}, {@code result.json} and {@code loss.png}/{@code loss.svg}.
 *
 * <p>The loss is the mean squared error per output, so the best achievable expected loss is the
 * noise variance σ²; result.json reports it as {@code noise_floor} next to the final losses, and
 * the relative parameter error {@code ‖W − W*‖_F / ‖W*‖_F}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train the toy linear regression; writes curves.csv, result.json, loss.png/.svg.")
public final class ToyTrain implements Runnable {

    static final long DEFAULT_STEPS = 500;

    @Mixin
    TrainingOptions options;

    @Option(names = "--d-in", paramLabel = "N", defaultValue = "16", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int dIn;

    @Option(names = "--d-out", paramLabel = "N", defaultValue = "4", description = "Output dimension (default: ${DEFAULT-VALUE}).")
    int dOut;

    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0.1", description = "Label noise standard deviation (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.1", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--eval-every", paramLabel = "K", description = "Held-out evaluation every K steps (default: steps/50, at least 1).")
    Integer evalEvery;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Path dir = options.validate("toy");
        long steps = options.steps(DEFAULT_STEPS);
        if (dIn < 1 || dOut < 1) throw new UsageException("--d-in and --d-out must be at least 1, got " + dIn + " and " + dOut);
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UsageException("--noise must be finite and >= 0, got " + noise);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new UsageException("--lr must be finite and > 0, got " + lr);
        if (evalEvery != null && evalEvery < 1) throw new UsageException("--eval-every must be at least 1, got " + evalEvery);
        int every = evalEvery != null ? evalEvery : (int) Math.max(1, steps / 50);
        int threads = options.threads();
        long seed = options.seed();

        // Chunks of 16 fix the summation order, so the result does not depend on --threads.
        TrainerConfig config = new TrainerConfig(seed, steps, batch, Math.min(batch, 16), threads, every, 512, 0, 0, null);
        RegressionTask task = new RegressionTask(dIn, dOut, noise, Rng.stream(seed, Rng.TASK));
        LinearRegression model = new LinearRegression(dIn, dOut, Rng.stream(seed, Rng.INIT));
        Trainer<RegressionBatch> trainer = new Trainer<>(model, task, new Sgd(), Schedule.constant(lr), config);

        Csv curves = new Csv("step", "loss", "lr", "grad_norm", "eval_loss");
        List<double[]> evals = new ArrayList<>();
        long t0 = System.nanoTime();
        TrainResult result;
        try (Progress progress = Progress.start("toy", steps, options.quiet())) {
            trainer.listener(new MetricsListener() {
                @Override
                public void onStep(StepMetrics m) {
                    curves.row(m.step() + 1, m.loss(), m.lr(), m.gradNorm(), Double.NaN);
                    progress.update(m.step() + 1, m.loss());
                }

                @Override
                public void onEval(EvalMetrics m) {
                    evals.add(new double[] {m.step(), m.evalLoss()});
                }
            });
            result = trainer.run();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        // Merge held-out losses into the curve rows of the same step (step 0 has no training row).
        Csv table = new Csv("step", "loss", "lr", "grad_norm", "eval_loss");
        double[] stepCol = curves.column("step"), loss = curves.column("loss"), lrs = curves.column("lr"), gn = curves.column("grad_norm");
        java.util.Map<Long, Double> evalAt = new java.util.HashMap<>();
        for (double[] e : evals) evalAt.put((long) e[0], e[1]);
        for (int i = 0; i < stepCol.length; i++) {
            table.row(stepCol[i], loss[i], lrs[i], gn[i], evalAt.getOrDefault((long) stepCol[i], Double.NaN));
        }

        RunOutput out = new RunOutput(dir);
        out.csv("curves.csv", table);
        double[] evalSteps = new double[evals.size()], evalLoss = new double[evals.size()];
        for (int i = 0; i < evals.size(); i++) {
            evalSteps[i] = evals.get(i)[0];
            evalLoss[i] = evals.get(i)[1];
        }
        List<Charts.Series> series = new ArrayList<>();
        series.add(new Charts.Series("train loss", stepCol, loss));
        series.add(new Charts.Series("held-out loss", evalSteps, evalLoss));
        if (noise > 0 && stepCol.length > 0) {
            double[] ends = {stepCol[0], stepCol[stepCol.length - 1]};
            series.add(new Charts.Series("noise floor σ²", ends, new double[] {noise * noise, noise * noise}));
        }
        out.chart("loss", Charts.lines("toy linear regression (dIn=" + dIn + ", dOut=" + dOut + ")", "step", "MSE per output", true, series));

        Map<String, Object> json = Json.object();
        json.put("experiment", "toy");
        Map<String, Object> cfg = Json.object();
        cfg.put("seed", seed);
        cfg.put("steps", steps);
        cfg.put("threads", threads);
        cfg.put("d_in", dIn);
        cfg.put("d_out", dOut);
        cfg.put("noise", noise);
        cfg.put("batch", batch);
        cfg.put("chunk", config.chunkSize());
        cfg.put("optimizer", "sgd");
        cfg.put("lr", lr);
        cfg.put("eval_every", every);
        cfg.put("eval_batch", config.evalBatchSize());
        json.put("config", cfg);
        Map<String, Object> res = Json.object();
        res.put("steps", result.steps());
        res.put("final_loss", result.finalLoss());
        res.put("final_eval_loss", result.finalEvalLoss());
        res.put("noise_floor", noise * noise);
        res.put("relative_weight_error", relativeError(model.params().get("W"), model.params().values(), task.wStar()));
        res.put("seconds", seconds);
        res.put("steps_per_second", seconds > 0 ? result.steps() / seconds : Double.NaN);
        json.put("result", res);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "toy: %d steps in %.2f s (%.0f steps/s), final loss %.4g, held-out %.4g (noise floor %.4g); wrote %s%n",
                    result.steps(), seconds, result.steps() / Math.max(seconds, 1e-9), result.finalLoss(),
                    result.finalEvalLoss(), noise * noise, dir);
            spec.commandLine().getOut().flush();
        }
    }

    private static double relativeError(Param w, float[] values, float[] target) {
        double num = 0, den = 0;
        for (int i = 0; i < target.length; i++) {
            double d = values[w.offset() + i] - (double) target[i];
            num += d * d;
            den += (double) target[i] * target[i];
        }
        return Math.sqrt(num / den);
    }
}
