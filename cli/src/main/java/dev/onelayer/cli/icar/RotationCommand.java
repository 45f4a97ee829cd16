package dev.onelayer.cli.icar;

import dev.onelayer.cli.RunOutput;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.cli.UsageException;
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
import java.util.Map;

/**
 * {@code onelayer icar rotation}: issue 6 experiment 2 (icar.md 3, 6.1-6.2, Fig 3 right). W =
 * blockdiag(R(theta_k)), real, s_0 = all-ones: C -&gt; c blockdiag([[1,1],[1,1]]), p_{r,r+1} -&gt; 1/c,
 * p_{r,r} -&gt; -1/(2c) (s_{t+1} = 2 cos(theta) s_t - s_{t-1}); then the same with fewer heads
 * (d/2 suffice).
 */
@Command(name = "rotation", mixinStandardHelpOptions = true, description = "Exp 2: 2x2 rotations, diagonal heads + PE: C = c blockdiag(J), PE ratio -1/2; d/2 heads suffice.")
public final class RotationCommand implements Runnable {

    @Mixin
    TrainingOptions options;

    @Option(names = "--d", defaultValue = "10", description = "Real dimension d, even (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--heads", defaultValue = "8", description = "Heads H of the main run (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--seq-len", defaultValue = "20", description = "T: sequences s_0..s_T (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--batch", defaultValue = "256", description = "Fresh sequences per Adam step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01", description = "Peak Adam learning rate, cosine decay to 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--eval-size", defaultValue = "2048", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Option(names = "--extra-heads", split = ",", defaultValue = "5",
            description = "Further head counts to run (d/2 suffices), comma-separated; 'none' for none (default: ${DEFAULT-VALUE}).")
    List<String> extraHeads;

    @Spec
    CommandSpec spec;

    static final long DEFAULT_STEPS = 1000;

    @Override
    public void run() {
        Path dir = options.validate("icar-rotation");
        int steps = IcarIo.intSteps(options.steps(DEFAULT_STEPS));
        if (d < 2 || d % 2 != 0) throw new UsageException("--d must be even and at least 2, got " + d);
        IcarIo.positive("--heads", heads);
        if (seqLen < 2) throw new UsageException("--seq-len must be at least 2, got " + seqLen);
        IcarIo.positive("--batch", batch);
        IcarIo.positive("--eval-size", evalSize);
        IcarIo.positiveFinite("--lr", lr);
        List<Integer> extra = new ArrayList<>();
        if (!(extraHeads.size() == 1 && extraHeads.get(0).equals("none"))) {
            for (String s : extraHeads) {
                try {
                    extra.add(Integer.parseInt(s.strip()));
                } catch (NumberFormatException e) {
                    throw new UsageException("--extra-heads: '" + s + "' is not an integer (or use 'none')");
                }
                if (extra.get(extra.size() - 1) < 1) throw new UsageException("--extra-heads: values must be at least 1");
            }
        }
        int threads = options.threads();
        long seed = options.seed();
        PrintWriter w = spec.commandLine().getOut();
        RunOutput out = new RunOutput(dir);
        Map<String, Object> json = Json.object();
        json.put("experiment", "icar rotation");

        Csv curve = new Csv("step", "loss", "lr");
        DiagonalExperiment.Config cfg = new DiagonalExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, d, heads, seqLen, steps, batch, lr, evalSize, seed, threads);
        DiagonalExperiment.Result main = DiagonalRun.train(cfg, "rotation H=" + heads, options.quiet(), curve);
        DiagonalRun.write(out, main, curve, "rotation", json);
        if (!options.quiet()) DiagonalRun.print(w, main);
        List<Object> runs = new ArrayList<>();
        for (int h : extra) {
            Csv c = new Csv("step", "loss", "lr");
            DiagonalExperiment.Config ec = new DiagonalExperiment.Config(ArProcess.Kind.ROTATION_BLOCKS, d, h, seqLen, steps, batch, lr, evalSize, seed, threads);
            DiagonalExperiment.Result er = DiagonalRun.train(ec, "rotation H=" + h, options.quiet(), c);
            Map<String, Object> block = Json.object();
            DiagonalRun.write(out, er, c, "rotation-h" + h, block);
            runs.add(block);
            if (!options.quiet()) DiagonalRun.print(w, er);
        }
        if (!runs.isEmpty()) json.put("extra_heads", runs);
        json.put("environment", RunOutput.environment());
        out.json("result.json", json);
        if (!options.quiet()) {
            w.println("wrote " + dir);
            w.flush();
        }
    }
}
