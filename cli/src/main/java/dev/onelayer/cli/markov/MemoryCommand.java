package dev.onelayer.cli.markov;

import dev.onelayer.cli.UsageException;
import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.MarkovExperiments.SweepRow;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/**
 * Experiment 6b ({@code loss-masking}, {@code memory-loss}): a k = 2 chain at (0.2, 0.3), the full
 * model with d = 32 and one layer, attention restricted to the last M positions, 800 steps.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "Experiment 6: k = 2 chain, attention window M in {2, 8, 32, 40, 80, 100} (full model, d = 32, 800 steps).")
public final class MemoryCommand extends ExperimentCommand {

    @Option(names = "--windows", paramLabel = "M1,M2", split = ",", defaultValue = "2,8,32,40,80,100",
            description = "Attention windows M (default: ${DEFAULT-VALUE}).")
    int[] windows;

    @Override
    String name() {
        return "memory";
    }

    @Override
    TrainConfig defaults() {
        return TrainConfig.paperFull(0.2, 0.3, true).withOrder(2, dev.onelayer.model.markov.InitialLaw.STATIONARY).withModel(32, true, -1).withSteps(800);
    }

    @Override
    long totalSteps(TrainConfig base, long[] seeds) {
        return (long) windows.length * seeds.length * base.steps();
    }

    @Override
    String chartTitle(TrainConfig base) {
        return String.format(Locale.ROOT, "markov memory: k=%d, (p,q)=(%.2g,%.2g), %d layer(s), d=%d, N=%d", base.order(), base.p(), base.q(),
                base.layers(), base.d(), base.seqLen());
    }

    @Override
    void execute(TrainConfig base, long[] seeds, MarkovExperiments.Progress progress, MarkovReport report) {
        for (int m : windows) if (m < 0) throw new UsageException("--windows values must be >= 0, got " + m);
        List<SweepRow> rows = MarkovExperiments.memory(base, windows, seeds, progress);
        SweepSummary.add(rows, "M", report);
    }
}
