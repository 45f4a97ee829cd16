package dev.onelayer.cli.scb;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.scb.ScbTaskConfig;
import dev.onelayer.model.scb.SoftmaxComparisonExperiment;
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
 * {@code onelayer scb softmax}: experiment 4 ({@link SoftmaxComparisonExperiment}), the linear model
 * trained by PPPD and the softmax model by Adam on the same data. Writes {@code loss_curves.csv},
 * {@code attention.csv} and {@code value.csv} (true, linear and softmax maps), heatmaps
 * {@code attention_true/linear/softmax} (T x N) and {@code value_true/linear/softmax} (N x N), the
 * {@code loss} chart and {@code result.json}.
 */
@Command(name = "softmax", mixinStandardHelpOptions = true, description = {"Softmax vs linear transformer on SCB: attention and value heatmaps, loss curves (paper figure p.9).",
                "--steps: samples = steps x batch (default: 4e5 samples); both models see the same batches."})
public final class ScbSoftmax implements Runnable {

    static final long DEFAULT_SAMPLES = 400_000;

    @Mixin
    TrainingOptions options;

    @Mixin
    ScbTaskOptions taskOptions;

    @Option(names = "--seq-len", paramLabel = "T", defaultValue = "50", description = "Context length T (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.01",
            description = "Adam step size of the softmax model (betas 0.9, 0.999) (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--eval-every", paramLabel = "SAMPLES", defaultValue = "16000",
            description = "Samples between loss-curve points (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--eval-size", paramLabel = "N", defaultValue = "4096",
            description = "Fixed evaluation examples for the softmax model's loss (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ScbTaskConfig task = taskOptions.task(seqLen, "--seq-len");
        int batch = taskOptions.batch;
        long steps = options.steps(Math.max(1, DEFAULT_SAMPLES / batch));
        ScbArgs.atLeast("--steps", steps, 1);
        long budget = ScbArgs.samples(steps, batch);
        ScbArgs.atLeast("--eval-every", evalEvery, batch);
        ScbArgs.atLeast("--eval-size", evalSize, 1);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new UsageException("--lr must be finite and > 0, got " + lr);
        ScbArgs.threads(options);
        Path dir = options.validate("scb-softmax");

        SoftmaxComparisonExperiment.Config config = new SoftmaxComparisonExperiment.Config(task, batch, budget, evalEvery, lr, evalSize,
                options.seed());
        long t0 = System.nanoTime();
        SoftmaxComparisonExperiment.Result r;
        try (Progress progress = Progress.start("scb softmax", SoftmaxComparisonExperiment.runs(config), "points", options.quiet())) {
            long[] done = {0};
            r = SoftmaxComparisonExperiment.run(config, label -> progress.update(++done[0], label));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = task.vocab(), t = task.seqLen();

        RunOutput out = new RunOutput(dir);
        Csv curves = new Csv("samples", "linear_squared_loss", "softmax_squared_loss", "softmax_cross_entropy", "optimal_squared_loss");
        double[] x = new double[r.samples().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.samples()[i];
            curves.row(x[i], r.linearSquaredLoss()[i], r.softmaxSquaredLoss()[i], r.softmaxCrossEntropy()[i], r.linearOptimalSquaredLoss());
        }
        out.csv("loss_curves.csv", curves);
        Csv att = new Csv("position", "query", "true", "linear", "softmax");
        for (int p = 0; p < t; p++) {
            for (int k = 0; k < n; k++) att.row(p, k, r.trueAttention()[p * n + k], r.linearAttention()[p * n + k], r.softmaxAttention()[p * n + k]);
        }
        out.csv("attention.csv", att);
        Csv val = new Csv("row", "column", "true", "linear", "softmax");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) val.row(i, j, r.trueValue()[i * n + j], r.linearValue()[i * n + j], r.softmaxValue()[i * n + j]);
        }
        out.csv("value.csv", val);

        String sizes = String.format(Locale.ROOT, "N=%d, T=%d, Q=%d, seed %d", n, t, task.sparsity(), options.seed());
        out.chart("attention_true", Charts.heatmap("A* (rows: positions, columns: query token; " + sizes + ")", t, n, r.trueAttention()));
        out.chart("attention_linear", Charts.heatmap("linear (PPPD): A (rows: position t, columns: query token k)", t, n, r.linearAttention()));
        out.chart("attention_softmax", Charts.heatmap("softmax (Adam): softmax(W e_k) (rows: position t, columns: query token k)", t, n, r.softmaxAttention()));
        out.chart("value_true", Charts.heatmap("P (column j = Pr[. | j]; " + sizes + ")", n, n, r.trueValue()));
        out.chart("value_linear", Charts.heatmap("linear (PPPD): V (rows: next token i, columns: token j)", n, n, r.linearValue()));
        out.chart("value_softmax", Charts.heatmap("softmax (Adam): softmax(V e_j) (rows: next token i, columns: token j)", n, n, r.softmaxValue()));
        List<Charts.Series> ls = new ArrayList<>();
        ls.add(new Charts.Series("linear (PPPD), population", x, r.linearSquaredLoss()));
        ls.add(new Charts.Series("softmax (Adam), held-out", x, r.softmaxSquaredLoss()));
        double[] ends = {x[0], x[x.length - 1]};
        ls.add(new Charts.Series("L* (Bayes)", ends, new double[] {r.linearOptimalSquaredLoss(), r.linearOptimalSquaredLoss()}));
        out.chart("loss", Charts.lines("squared loss 1/2|e_o - p_hat|^2 (" + sizes + ")", "samples seen", "squared loss", false, ls));

        int last = x.length - 1;
        double lStar = r.linearOptimalSquaredLoss();
        double linEnd = r.linearSquaredLoss()[last], softEnd = r.softmaxSquaredLoss()[last], softStart = r.softmaxSquaredLoss()[0];
        double softClosed = (softStart - softEnd) / (softStart - lStar);
        double cosA = cosine(r.linearAttention(), r.softmaxAttention()), cosV = cosine(r.linearValue(), r.softmaxValue());
        ClaimTable claims = new ClaimTable();
        claims.fact("queries whose top-Q attention = supp q^(k)", "linear " + r.linearSupportMatches() + "/" + n + ", softmax "
                + r.softmaxSupportMatches() + "/" + n, "similar attention patterns (both " + n + "/" + n + ")",
                r.linearSupportMatches() == n && r.softmaxSupportMatches() == n, "paper p.9");
        claims.fact("cosine(linear A, softmax attention)", ClaimTable.num(cosA), "similar attention patterns", null, "paper p.9");
        claims.fact("cosine(linear V, softmax(V))", ClaimTable.num(cosV), "similar value matrices", null, "paper p.9");
        claims.fact("|A - A*|_F linear / softmax", ClaimTable.num(r.linearDistA()) + " / " + ClaimTable.num(r.softmaxDistA()), "-", null,
                "measured");
        claims.fact("|V - P|_F linear / |softmax(V) - P|_F", ClaimTable.num(r.linearDistV()) + " / " + ClaimTable.num(r.softmaxDistV()),
                "-", null, "measured");
        claims.add("final squared loss, softmax - linear", ClaimTable.num(softEnd) + " vs " + ClaimTable.num(linEnd) + " (L* "
                + ClaimTable.num(lStar) + ")", "similar final loss", softEnd - linEnd, null, "paper p.9");
        claims.fact("softmax: share of the loss gap closed", ClaimTable.num(softClosed), "-", null, "measured");

        Map<String, Object> json = Json.object();
        json.put("experiment", "scb softmax");
        Map<String, Object> cfg = Json.object();
        cfg.put("seed", options.seed());
        cfg.put("vocab", n);
        cfg.put("seq_len", t);
        cfg.put("sparsity", task.sparsity());
        cfg.put("transition", task.transition());
        cfg.put("attention_alpha", task.attentionAlpha());
        cfg.put("batch", batch);
        cfg.put("steps", steps);
        cfg.put("budget_samples", budget);
        cfg.put("eval_every_samples", evalEvery);
        cfg.put("softmax_optimizer", "adam(0.9, 0.999, 1e-8)");
        cfg.put("softmax_lr", lr);
        cfg.put("eval_size", evalSize);
        cfg.put("linear_optimizer", dev.onelayer.model.scb.ScbOptimizerConfig.pppd().toString());
        json.put("config", cfg);
        Map<String, Object> res = Json.object();
        res.put("linear_final_squared_loss", linEnd);
        res.put("softmax_final_squared_loss", softEnd);
        res.put("softmax_final_cross_entropy", r.softmaxCrossEntropy()[last]);
        res.put("optimal_squared_loss", lStar);
        res.put("softmax_gap_closed", softClosed);
        res.put("linear_dist_a", r.linearDistA());
        res.put("linear_dist_p", r.linearDistV());
        res.put("softmax_dist_a", r.softmaxDistA());
        res.put("softmax_dist_p", r.softmaxDistV());
        res.put("linear_support_matches", r.linearSupportMatches());
        res.put("softmax_support_matches", r.softmaxSupportMatches());
        res.put("cosine_attention", cosA);
        res.put("cosine_value", cosV);
        json.put("result", res);
        json.put("claim", SoftmaxComparisonExperiment.CLAIM);
        json.put("claims", claims.json());
        json.put("seconds", seconds);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            ScbArgs.report(spec, String.format(Locale.ROOT, "scb softmax: %s, %d samples in %.1f s; wrote %s%n", sizes, budget, seconds, dir),
                    claims);
        }
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
    }
}
