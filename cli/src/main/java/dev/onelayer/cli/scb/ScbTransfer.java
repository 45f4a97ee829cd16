package dev.onelayer.cli.scb;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.scb.PlateauStats;
import dev.onelayer.model.scb.ScbOptimizerConfig;
import dev.onelayer.model.scb.ScbTaskConfig;
import dev.onelayer.model.scb.TransferExperiment;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code onelayer scb transfer}: experiment 3 ({@link TransferExperiment}) for each rho: the plateau
 * from scratch and from {@code V0 = (1 - rho) P + rho R} (or, with {@code --pretrain-samples}, from
 * the V of a model actually pretrained on the task with that transition matrix) over a sweep of T, the ratio
 * scratch/transfer and both exponents in T. Writes {@code transfer.csv} (every seed),
 * {@code transfer_summary.csv}, {@code transfer_exponents.csv}, charts {@code ratio} and
 * {@code plateaus}, and {@code result.json}.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, description = {"Transfer from a correlated V0 = (1-rho) P + rho R: plateau ratio scratch/transfer over rho and T.",
                "With --pretrain-samples S, V0 is the V of a model pretrained for S samples on the task with P_pre = (1-rho) P + rho R.",
                "--steps caps each run at steps x batch samples (default: 2e6 samples)."})
public final class ScbTransfer implements Runnable {

    static final long DEFAULT_MAX_SAMPLES = 2_000_000;
    /** The issue's test: rho = 0.8, ratio >= 1.5 at T = 400. */
    static final double TEST_RHO = 0.8, TEST_RATIO = 1.5;
    static final int TEST_T = 400;

    @Mixin
    TrainingOptions options;

    @Mixin
    ScbTaskOptions taskOptions;

    @Option(names = "--seq-lens", paramLabel = "T", split = ",", defaultValue = "25,50,100,200,400",
            description = "Values of T, increasing, comma-separated (default: ${DEFAULT-VALUE}).")
    int[] seqLens;

    @Option(names = "--rhos", paramLabel = "RHO", split = ",", defaultValue = "0.5,0.7,0.8",
            description = "Noise weights rho in [0, 1] of V0 = (1-rho) P + rho R (default: ${DEFAULT-VALUE}).")
    double[] rhos;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds per point; medians over them (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--optimizer", paramLabel = "OPT", defaultValue = "pppd-vn",
            description = "pppd, pppd-vn or sgd:<lr> (default: ${DEFAULT-VALUE}, the notes' choice).")
    String optimizer;

    @Option(names = "--fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Plateau ends when this fraction of the scratch start's loss gap is closed (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--pretrain-samples", paramLabel = "S", defaultValue = "0",
            description = "0: V0 = (1-rho) P + rho R directly; S > 0: V0 from a model trained for S samples on the task with that P "
                    + "(same optimizer and batch; A restarts uniform) (default: ${DEFAULT-VALUE}).")
    long pretrainSamples;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        taskOptions.validate();
        int batch = taskOptions.batch;
        ScbArgs.seqLens(seqLens, taskOptions.sparsity, 2, "--seq-lens");
        ScbTaskConfig task = taskOptions.task(seqLens[0], "--seq-lens");
        if (rhos.length == 0) throw new UsageException("--rhos needs at least one value");
        for (double r : rhos) if (!(r >= 0 && r <= 1)) throw new UsageException("--rhos: rho must be in [0, 1], got " + r);
        ScbArgs.atLeast("--seeds", seeds, 1);
        ScbOptimizerConfig opt = ScbArgs.optimizer(optimizer, "--optimizer");
        ScbArgs.fraction("--fraction", fraction);
        long steps = options.steps(Math.max(1, DEFAULT_MAX_SAMPLES / batch));
        ScbArgs.atLeast("--steps", steps, 1);
        long maxSamples = ScbArgs.samples(steps, batch);
        ScbArgs.threads(options);
        if (pretrainSamples != 0 && pretrainSamples < batch) {
            throw new UsageException("--pretrain-samples must be 0 or at least the batch (" + batch + "), got " + pretrainSamples);
        }
        Path dir = options.validate("scb-transfer");

        int nt = seqLens.length, nr = rhos.length;
        long t0 = System.nanoTime();
        List<TransferExperiment.Result> results = new ArrayList<>(); // one per rho
        try (Progress progress = Progress.start("scb transfer", (long) nr * 2 * nt * seeds, "runs", options.quiet())) {
            dev.onelayer.model.scb.RunListener listener = ScbArgs.listener(progress);
            for (double rho : rhos) {
                results.add(TransferExperiment.run(new TransferExperiment.Config(task, seqLens, rho, batch, seeds, options.seed(), opt, fraction,
                        maxSamples, pretrainSamples), listener, options.threads()));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        double[][] sMed = new double[nr][nt], tMed = new double[nr][nt], ratio = new double[nr][nt], corr = new double[nr][nt];
        double[] sExp = new double[nr], tExp = new double[nr];
        Csv perSeed = new Csv("rho", "seq_len", "seed", "scratch_samples", "transfer_samples");
        for (int r = 0; r < nr; r++) {
            TransferExperiment.Result x = results.get(r);
            for (int i = 0; i < nt; i++) {
                for (int s = 0; s < seeds; s++) {
                    perSeed.row(rhos[r], seqLens[i], options.seed() + s, ScbArgs.orNaN(x.scratch()[i][s]), ScbArgs.orNaN(x.transfer()[i][s]));
                }
                sMed[r][i] = x.scratchMedian()[i];
                tMed[r][i] = x.transferMedian()[i];
                ratio[r][i] = x.ratio()[i];
                corr[r][i] = x.initialCorrMedian()[i];
            }
            sExp[r] = ScbArgs.allFinitePositive(sMed[r]) ? PlateauStats.exponent(seqLens, sMed[r]) : Double.NaN;
            tExp[r] = ScbArgs.allFinitePositive(tMed[r]) ? PlateauStats.exponent(seqLens, tMed[r]) : Double.NaN;
        }

        RunOutput out = new RunOutput(dir);
        out.csv("transfer.csv", perSeed);
        Csv summary = new Csv("rho", "seq_len", "scratch_median", "transfer_median", "ratio", "initial_corr_median");
        for (int r = 0; r < nr; r++) {
            for (int i = 0; i < nt; i++) summary.row(rhos[r], seqLens[i], fin(sMed[r][i]), fin(tMed[r][i]), fin(ratio[r][i]), corr[r][i]);
        }
        out.csv("transfer_summary.csv", summary);
        Csv exps = new Csv("rho", "scratch_exponent", "transfer_exponent");
        for (int r = 0; r < nr; r++) exps.row(rhos[r], sExp[r], tExp[r]);
        out.csv("transfer_exponents.csv", exps);

        double[] ts = ScbArgs.toDouble(seqLens);
        String sizes = String.format(Locale.ROOT, "%s, N=%d, Q=%d, B=%d, %d seeds", opt.name(), task.vocab(), task.sparsity(), batch, seeds);
        List<Charts.Series> rs = new ArrayList<>();
        for (int r = 0; r < nr; r++) rs.add(new Charts.Series("rho=" + ClaimTable.num(rhos[r]), ts, fin(ratio[r])));
        XYChart rc = Charts.lines("plateau ratio scratch / transfer (" + sizes + ")", "T", "ratio", false, rs);
        rc.getStyler().setXAxisLogarithmic(true);
        out.chart("ratio", rc);
        List<Charts.Series> ps = new ArrayList<>();
        ps.add(new Charts.Series(String.format(Locale.ROOT, "scratch (exponent %.2f)", sExp[0]), ts, fin(sMed[0])));
        for (int r = 0; r < nr; r++) {
            ps.add(new Charts.Series(String.format(Locale.ROOT, "transfer rho=%s (exponent %.2f)", ClaimTable.num(rhos[r]), tExp[r]), ts,
                    fin(tMed[r])));
        }
        XYChart pc = Charts.lines("plateau (samples to close " + ClaimTable.num(100 * fraction) + "% of the loss gap), seed median (" + sizes
                + ")", "T", "samples", true, ps);
        pc.getStyler().setXAxisLogarithmic(true);
        out.chart("plateaus", pc);

        ClaimTable claims = new ClaimTable();
        // Notes' PPPD-vn ratios at T = 400 (Validated settings 4).
        for (int r = 0; r < nr; r++) {
            String at = "rho=" + ClaimTable.num(rhos[r]);
            int last = nt - 1;
            claims.fact(at + ": initial corr(V0, P), median over T", ClaimTable.num(ScbArgs.median(corr[r])),
                    rhos[r] == TEST_RHO ? "< 0.6 (below any threshold used)" : "-", rhos[r] == TEST_RHO ? ScbArgs.median(corr[r]) < 0.6 : null,
                    rhos[r] == TEST_RHO ? "issue 7 test" : "measured");
            double notes = notesRatio(opt.name(), rhos[r]);
            String q = at + ": ratio at T=" + seqLens[last];
            if (rhos[r] == TEST_RHO && seqLens[last] == TEST_T) {
                claims.add(q, ClaimTable.num(ratio[r][last]), ">= 1.5" + (Double.isNaN(notes) ? "" : ", notes " + ClaimTable.num(notes)),
                        ratio[r][last] - TEST_RATIO, ratio[r][last] >= TEST_RATIO, "issue 7 test; notes VS4");
            } else if (!Double.isNaN(notes) && seqLens[last] == TEST_T) {
                claims.compare(q, ratio[r][last], notes, "notes VS4");
            } else {
                claims.fact(q, ClaimTable.num(ratio[r][last]), "> 1 (transfer skips stage 1)", ratio[r][last] > 1, "paper");
            }
            StringBuilder seq = new StringBuilder();
            for (int i = 0; i < nt; i++) seq.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratio[r][i]));
            claims.fact(at + ": ratio grows with T", seq.toString(), "grows at every step of T", ScbArgs.increasing(ratio[r]),
                    rhos[r] == TEST_RHO ? "issue 7 test" : "paper (qualitative)");
            claims.add(at + ": exponent transfer vs scratch", ClaimTable.num(tExp[r]) + " vs " + ClaimTable.num(sExp[r]),
                    "transfer < scratch (paper: no T dependence)", tExp[r] - sExp[r], tExp[r] < sExp[r],
                    rhos[r] == TEST_RHO ? "issue 7 test; paper" : "paper");
        }

        Map<String, Object> json = Json.object();
        json.put("experiment", "scb transfer");
        Map<String, Object> cfg = Json.object();
        cfg.put("seed", options.seed());
        cfg.put("seeds", seeds);
        cfg.put("threads", options.threads());
        cfg.put("vocab", task.vocab());
        cfg.put("seq_lens", seqLens.clone());
        cfg.put("rhos", rhos.clone());
        cfg.put("sparsity", task.sparsity());
        cfg.put("transition", task.transition());
        cfg.put("attention_alpha", task.attentionAlpha());
        cfg.put("batch", batch);
        cfg.put("optimizer", opt.toString());
        cfg.put("fraction", fraction);
        cfg.put("max_samples_per_run", maxSamples);
        cfg.put("pretrain_samples", pretrainSamples);
        cfg.put("start", pretrainSamples > 0 ? "V of a model pretrained on P_pre = (1-rho) P + rho R" : "V0 = (1-rho) P + rho R");
        json.put("config", cfg);
        List<Map<String, Object>> res = new ArrayList<>();
        for (int r = 0; r < nr; r++) {
            Map<String, Object> m = Json.object();
            m.put("rho", rhos[r]);
            m.put("scratch_median", sMed[r]);
            m.put("transfer_median", tMed[r]);
            m.put("ratio", ratio[r]);
            m.put("initial_corr_median", corr[r]);
            m.put("scratch_exponent", sExp[r]);
            m.put("transfer_exponent", tExp[r]);
            res.add(m);
        }
        json.put("result", res);
        json.put("claim", TransferExperiment.CLAIM);
        json.put("claims", claims.json());
        json.put("seconds", seconds);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            ScbArgs.report(spec, String.format(Locale.ROOT, "scb transfer: %s, T=%s, rho=%s, %d runs in %.1f s; wrote %s%n", sizes,
                    Arrays.toString(seqLens), Arrays.toString(rhos), nr * 2 * nt * seeds, seconds, dir), claims);
        }
    }

    /** The notes' scratch/transfer ratios at T = 400 (Validated settings 4 table); NaN where none. */
    static double notesRatio(String method, double rho) {
        double[] byRho; // rho = 0.5, 0.7, 0.8
        if ("PPPD-vn".equals(method)) byRho = new double[] {4.3, 2.7, 2.1};
        else if ("PPPD".equals(method)) byRho = new double[] {2.3, Double.NaN, 1.75};
        else if ("SGD lr=0.3".equals(method)) byRho = new double[] {9.2, 4.5, 3.0};
        else return Double.NaN;
        return rho == 0.5 ? byRho[0] : rho == 0.7 ? byRho[1] : rho == 0.8 ? byRho[2] : Double.NaN;
    }

    private static double fin(double x) {
        return Double.isFinite(x) ? x : Double.NaN;
    }

    private static double[] fin(double[] xs) {
        double[] d = new double[xs.length];
        for (int i = 0; i < xs.length; i++) d[i] = fin(xs[i]);
        return d;
    }
}
