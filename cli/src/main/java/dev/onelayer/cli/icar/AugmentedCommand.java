package dev.onelayer.cli.icar;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.icar.ArProcess;
import dev.onelayer.model.icar.AugmentedExperiment;
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
 * {@code onelayer icar augmented}: issue 6 experiment 3 (icar.md 2(a), 6.3, validated settings 3).
 * The augmented linear Transformer on e_t = (0, s_t, s_{t-1}); the fitted step
 * {@code eta_t = <pred, s_{t+1}> / <W^_t s_t, s_{t+1}>} of one model per position against
 * 1/(t+d-1), and of one model shared over all positions against the best shared step
 * {@code sum t / sum (t^2 + (d-1) t)}; the loss against t; the P and Q block structure.
 */
@Command(name = "augmented", mixinStandardHelpOptions = true, description = "Exp 3: augmented tokens; trained predictor = one GD step, eta vs 1/(t+d-1) and the best shared step.")
public final class AugmentedCommand implements Runnable {

    @Mixin
    TrainingOptions options;

    @Option(names = "--kind", defaultValue = "rotation", description = "Law of W: rotation (2x2 blocks) or haar (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--d", defaultValue = "10", description = "Dimension d (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--start", defaultValue = "ones", description = "s_0: ones, scaled-ones or random (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--positions", split = ",", defaultValue = "5,8,10,19",
            description = "One model per position t (loss on t only), comma-separated; 'none' for none (default: ${DEFAULT-VALUE}).")
    List<String> positions;

    @Option(names = "--shared-len", defaultValue = "20", description = "L: one model over positions 0..L-1 (0: none) (default: ${DEFAULT-VALUE}).")
    int sharedLen;

    @Option(names = "--batch", defaultValue = "256", description = "Sequences per Adam step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01", description = "Peak Adam learning rate, cosine decay to 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--eval-size", defaultValue = "8192", description = "Held-out sequences for the fits (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Spec
    CommandSpec spec;

    static final long DEFAULT_STEPS = 2000;

    @Override
    public void run() {
        Path dir = options.validate("icar-augmented");
        int steps = IcarIo.intSteps(options.steps(DEFAULT_STEPS));
        ArProcess.Kind k = switch (kind) {
            case "rotation" -> ArProcess.Kind.ROTATION_BLOCKS;
            case "haar" -> ArProcess.Kind.HAAR_ORTHOGONAL;
            default -> throw new UsageException("--kind must be rotation or haar, got '" + kind + "'");
        };
        ArProcess.Start s0 = switch (start) {
            case "ones" -> ArProcess.Start.ONES;
            case "scaled-ones" -> ArProcess.Start.SCALED_ONES;
            case "random" -> ArProcess.Start.RANDOM;
            default -> throw new UsageException("--start must be ones, scaled-ones or random, got '" + start + "'");
        };
        IcarIo.positive("--d", d);
        if (k == ArProcess.Kind.ROTATION_BLOCKS && d % 2 != 0) throw new UsageException("--d must be even for --kind rotation, got " + d);
        if (sharedLen < 0 || sharedLen == 1) throw new UsageException("--shared-len must be 0 or at least 2, got " + sharedLen);
        IcarIo.positive("--batch", batch);
        IcarIo.positive("--eval-size", evalSize);
        IcarIo.positiveFinite("--lr", lr);
        List<Integer> ts = new ArrayList<>();
        if (!(positions.size() == 1 && positions.get(0).equals("none"))) {
            for (String p : positions) {
                int t;
                try {
                    t = Integer.parseInt(p.strip());
                } catch (NumberFormatException e) {
                    throw new UsageException("--positions: '" + p + "' is not an integer (or use 'none')");
                }
                if (t < 1) throw new UsageException("--positions: t=" + t + " must be at least 1 (W^_0 = 0)");
                ts.add(t);
            }
        }
        if (ts.isEmpty() && sharedLen == 0) throw new UsageException("nothing to train: give --positions or --shared-len > 0");
        int[] pos = ts.stream().mapToInt(Integer::intValue).toArray();
        AugmentedExperiment.Config cfg = new AugmentedExperiment.Config(k, d, s0, pos, sharedLen, steps, batch, lr, evalSize, options.seed(), options.threads());
        int models = pos.length + (sharedLen > 0 ? 1 : 0);
        Csv curve = new Csv("step", "loss", "lr");
        AugmentedExperiment.Result r;
        try (Progress p = Progress.start("augmented (" + models + " models)", (long) models * steps, options.quiet())) {
            r = AugmentedExperiment.run(cfg, IcarIo.recorder(p, curve, 10, 1));
        }

        RunOutput out = new RunOutput(dir);
        out.csv("curve.csv", curve);
        out.chart("loss", Charts.lines("augmented: training loss per coordinate (models one after another)", "step (all models)", "loss / d",
                true, List.of(new Charts.Series("train", curve.column("step"), curve.column("loss")))));
        Csv per = new Csv("t", "eta", "eta_theory", "relative_gap", "loss", "gd_loss", "gd_optimum_theory");
        for (AugmentedExperiment.Fit f : r.perPosition()) {
            per.row(f.t(), f.eta(), f.etaTheory(), f.relativeGap(), f.normalisedLoss(), f.gdLoss(), (d - 1.0) / (f.t() + d - 1.0));
        }
        if (per.rowCount() > 0) out.csv("per-position.csv", per);
        Csv sh = new Csv("t", "eta", "eta_shared_theory", "eta_per_position_theory", "relative_gap", "loss", "gd_loss", "gd_optimum_theory");
        for (AugmentedExperiment.Fit f : r.shared()) {
            sh.row(f.t(), f.eta(), f.etaTheory(), 1.0 / (f.t() + d - 1.0), f.relativeGap(), f.normalisedLoss(), f.gdLoss(), (d - 1.0) / (f.t() + d - 1.0));
        }
        if (sh.rowCount() > 0) out.csv("shared.csv", sh);
        List<Charts.Series> etaSeries = new ArrayList<>(), lossSeries = new ArrayList<>();
        if (sh.rowCount() > 0) {
            etaSeries.add(new Charts.Series("shared model: fitted eta_t", sh.column("t"), sh.column("eta")));
            etaSeries.add(new Charts.Series("best shared step", sh.column("t"), sh.column("eta_shared_theory")));
            etaSeries.add(new Charts.Series("1/(t+d-1)", sh.column("t"), sh.column("eta_per_position_theory")));
            lossSeries.add(new Charts.Series("shared model", sh.column("t"), sh.column("loss")));
            lossSeries.add(new Charts.Series("one GD step, best shared eta", sh.column("t"), sh.column("gd_loss")));
            lossSeries.add(new Charts.Series("(d-1)/(t+d-1) (per-t optimal GD)", sh.column("t"), sh.column("gd_optimum_theory")));
        }
        if (per.rowCount() > 0) {
            etaSeries.add(new Charts.Series("per-position models: fitted eta_t", per.column("t"), per.column("eta")));
            lossSeries.add(new Charts.Series("per-position models", per.column("t"), per.column("loss")));
        }
        out.chart("eta", Charts.lines("fitted step against position (d=" + d + ", s0=" + start + ")", "t", "eta", false, etaSeries));
        out.chart("loss-vs-t", Charts.lines("held-out loss against position (zero predictor = 1)", "t", "normalised loss", true, lossSeries));
        int e = 3 * d;
        String which = sharedLen > 0 ? "shared model" : "model t=" + pos[pos.length - 1];
        IcarIo.matrix(out, "P", "P (" + which + "; blocks 0, s_t, s_t-1)", e, e, IcarIo.toDouble(r.sharedP()));
        IcarIo.matrix(out, "Q", "Q (" + which + ")", e, e, IcarIo.toDouble(r.sharedQ()));
        double[] bp = r.blockNorms(r.sharedP()), bq = r.blockNorms(r.sharedQ());

        Map<String, Object> json = Json.object();
        json.put("experiment", "icar augmented");
        Map<String, Object> c = Json.object();
        c.put("kind", k.name());
        c.put("d", d);
        c.put("start", s0.name());
        c.put("positions", pos);
        c.put("shared_len", sharedLen);
        c.put("steps_per_model", steps);
        c.put("batch", batch);
        c.put("lr", lr);
        c.put("optimizer", "adam, cosine decay to 0");
        c.put("init", "P, Q ~ 0.1/sqrt(3d) N(0,1)");
        c.put("eval_size", evalSize);
        c.put("seed", options.seed());
        json.put("config", c);
        Map<String, Object> res = Json.object();
        res.put("per_position", fits(r.perPosition()));
        res.put("shared_theory_eta", r.sharedTheory());
        res.put("shared", fits(r.shared()));
        res.put("block_norms_model", which);
        res.put("P_block_norms_3x3", bp);
        res.put("Q_block_norms_3x3", bq);
        res.put("train_seconds", r.trainSeconds());
        json.put("result", res);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);

        if (!options.quiet()) {
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "augmented %s d=%d s0=%s, %d Adam steps per model, batch %d (%.1f s)%n", k, d, s0, steps, batch, r.trainSeconds());
            for (AugmentedExperiment.Fit f : r.perPosition()) {
                IcarIo.compare(w, "per-position t=" + f.t() + ": eta vs 1/(t+d-1)", f.eta(), f.etaTheory());
                IcarIo.compare(w, "per-position t=" + f.t() + ": loss vs one GD step", f.normalisedLoss(), f.gdLoss());
            }
            double worst = 0;
            for (AugmentedExperiment.Fit f : r.shared()) worst = Math.max(worst, Math.abs(f.relativeGap()));
            if (!r.shared().isEmpty()) {
                for (AugmentedExperiment.Fit f : r.shared()) {
                    if (f.t() == 1 || f.t() == r.shared().size() || f.t() % 5 == 0) {
                        IcarIo.compare(w, "shared t=" + f.t() + ": eta vs best shared step", f.eta(), f.etaTheory());
                    }
                }
                w.printf(Locale.ROOT, "  shared model: worst relative eta gap over t = 1..%d: %.2f%%; loss at t=%d: %.4f vs (d-1)/(t+d-1) = %.4f%n",
                        r.shared().size(), 100 * worst, r.shared().size(), r.shared().get(r.shared().size() - 1).normalisedLoss(),
                        (d - 1.0) / (r.shared().size() + d - 1.0));
            }
            w.printf(Locale.ROOT, "  %s block norms (GD step: P(1,2), Q(3,2)): P row 1 = [%.3f %.3f %.3f]; Q = [%.3f %.3f %.3f; %.3f %.3f %.3f; %.3f %.3f %.3f]%n",
                    which, bp[0], bp[1], bp[2], bq[0], bq[1], bq[2], bq[3], bq[4], bq[5], bq[6], bq[7], bq[8]);
            w.println("wrote " + dir);
            w.flush();
        }
    }

    private static List<Object> fits(List<AugmentedExperiment.Fit> fits) {
        List<Object> out = new ArrayList<>();
        for (AugmentedExperiment.Fit f : fits) {
            Map<String, Object> m = Json.object();
            m.put("t", f.t());
            m.put("eta", f.eta());
            m.put("eta_theory", f.etaTheory());
            m.put("relative_gap", f.relativeGap());
            m.put("loss", f.normalisedLoss());
            m.put("gd_loss", f.gdLoss());
            out.add(m);
        }
        return out;
    }
}
