package dev.onelayer.cli.icar;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
import dev.onelayer.cli.io.Charts;
import dev.onelayer.cli.io.Csv;
import dev.onelayer.cli.io.Json;
import dev.onelayer.model.icar.ArProcess;
import dev.onelayer.model.icar.DiagonalExperiment;
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
 * {@code onelayer icar unitary}: issue 6 experiment 1 (icar.md 3, 6.1-6.2, Fig 3 left). Commuting
 * unitary W = diag(e^{i theta}), s_0 = all-ones, diagonal multi-head linear attention with a
 * shared positional matrix: with H &gt;= d heads, C = B^T A -&gt; c I and p_{r,r+1} -&gt; 1/c; then a
 * sweep over H &lt; d comparing the loss with the rank floor (d - H)/d.
 */
@Command(name = "unitary", mixinStandardHelpOptions = true, description = "Exp 1: unitary W, diagonal heads + PE: C = cI, c*p = 1 on the newest token; H < d floor sweep.")
public final class UnitaryCommand implements Runnable {

    @Mixin
    TrainingOptions options;

    @Option(names = "--d", defaultValue = "10", description = "Complex dimension d (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--heads", defaultValue = "10", description = "Heads H of the main run (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--seq-len", defaultValue = "20", description = "T: sequences s_0..s_T (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--batch", defaultValue = "256", description = "Fresh sequences per Adam step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01", description = "Peak Adam learning rate, cosine decay to 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--eval-size", defaultValue = "2048", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Option(names = "--floor-heads", split = ",", defaultValue = "2,5,8",
            description = "H < d values of the floor sweep, comma-separated; 'none' for no sweep (default: ${DEFAULT-VALUE}).")
    List<String> floorHeads;

    @Option(names = "--floor-steps", defaultValue = "1000", description = "Adam steps per floor-sweep run (default: ${DEFAULT-VALUE}).")
    int floorSteps;

    @Spec
    CommandSpec spec;

    static final long DEFAULT_STEPS = 300;

    @Override
    public void run() {
        Path dir = options.validate("icar-unitary");
        int steps = IcarIo.intSteps(options.steps(DEFAULT_STEPS));
        IcarIo.positive("--d", d);
        IcarIo.positive("--heads", heads);
        if (seqLen < 2) throw new UsageException("--seq-len must be at least 2, got " + seqLen);
        IcarIo.positive("--batch", batch);
        IcarIo.positive("--eval-size", evalSize);
        IcarIo.positive("--floor-steps", floorSteps);
        IcarIo.positiveFinite("--lr", lr);
        List<Integer> sweep = new ArrayList<>();
        if (!(floorHeads.size() == 1 && floorHeads.get(0).equals("none"))) {
            for (String s : floorHeads) {
                int h;
                try {
                    h = Integer.parseInt(s.strip());
                } catch (NumberFormatException e) {
                    throw new UsageException("--floor-heads: '" + s + "' is not an integer (or use 'none')");
                }
                if (h < 1 || h >= d) throw new UsageException("--floor-heads: H=" + h + " must be in [1, d-1] = [1, " + (d - 1) + "]");
                sweep.add(h);
            }
        }
        int threads = options.threads();
        long seed = options.seed();
        PrintWriter w = spec.commandLine().getOut();
        RunOutput out = new RunOutput(dir);
        Map<String, Object> json = Json.object();
        json.put("experiment", "icar unitary");

        Csv curve = new Csv("step", "loss", "lr");
        DiagonalExperiment.Config cfg = new DiagonalExperiment.Config(ArProcess.Kind.UNITARY_DIAGONAL, d, heads, seqLen, steps, batch, lr, evalSize, seed, threads);
        DiagonalExperiment.Result main = DiagonalRun.train(cfg, "unitary H=" + heads, options.quiet(), curve);
        DiagonalRun.write(out, main, curve, "unitary", json);
        if (!options.quiet()) DiagonalRun.print(w, main);

        if (!sweep.isEmpty()) {
            Csv floor = new Csv("heads", "theory_floor", "held_out_loss", "population_loss", "relative_gap");
            List<Object> rows = new ArrayList<>();
            if (!options.quiet()) w.printf(Locale.ROOT, "H < d floor sweep (%d Adam steps each): normalised loss vs (d - H)/d%n", floorSteps);
            for (int h : sweep) {
                DiagonalExperiment.Config fc = new DiagonalExperiment.Config(ArProcess.Kind.UNITARY_DIAGONAL, d, h, seqLen, floorSteps, batch, lr, evalSize, seed, threads);
                DiagonalExperiment.Result fr = DiagonalRun.train(fc, "floor H=" + h, options.quiet(), new Csv("step", "loss", "lr"));
                double gap = fr.populationLoss() / fr.lossFloor() - 1;
                floor.row(h, fr.lossFloor(), fr.normalisedLoss(), fr.populationLoss(), gap);
                Map<String, Object> row = Json.object();
                row.put("heads", h);
                row.put("theory_floor", fr.lossFloor());
                row.put("held_out_loss", fr.normalisedLoss());
                row.put("population_loss", fr.populationLoss());
                row.put("relative_gap", gap);
                rows.add(row);
                if (!options.quiet()) {
                    w.printf(Locale.ROOT, "  H=%2d  population %.5f  held-out %.5f  theory %.5f  gap %+.2f%%%n", h, fr.populationLoss(),
                            fr.normalisedLoss(), fr.lossFloor(), 100 * gap);
                }
            }
            out.csv("floor.csv", floor);
            out.chart("floor", Charts.lines("loss floor against heads (d=" + d + ")", "heads H", "normalised loss", false, List.of(
                    new Charts.Series("theory (d - H)/d", floor.column("heads"), floor.column("theory_floor")),
                    new Charts.Series("trained (exact population loss)", floor.column("heads"), floor.column("population_loss")))));
            json.put("floor_sweep", rows);
        }
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);
        if (!options.quiet()) {
            w.println("wrote " + dir);
            w.flush();
        }
    }
}
