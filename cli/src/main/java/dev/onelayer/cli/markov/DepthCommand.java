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
 * Experiments 5 and 6a: the full model with 1..8 layers. With {@code --order 1} (default): (0.5,
 * 0.8) tied, d = 8, L ∈ {1, 2, 4, 8}, 400 steps (ICLR {@code markov-LLM-layers-iclr}: depth ≥ 2
 * escapes the unigram loss). With {@code --order 2}: (0.2, 0.3), d = 32, L ∈ {1, 4, 8}, 800 steps
 * ({@code loss2-layers}: all stay near the unigram value at 800 iterations).
 */
@Command(name = "depth", mixinStandardHelpOptions = true, description = "Experiments 5/6: full model with 1..8 layers (order 1: (0.5,0.8) tied; --order 2: k = 2 chain, d = 32, 800 steps).")
public final class DepthCommand extends ExperimentCommand {

    @Option(names = "--depths", paramLabel = "L1,L2", split = ",", description = "Layer counts (default: 1,2,4,8; with --order 2: 1,4,8).")
    int[] depths;

    private boolean kOrder() {
        return markov.order != null && markov.order >= 2;
    }

    @Override
    String name() {
        return "depth";
    }

    @Override
    TrainConfig defaults() {
        if (kOrder()) return TrainConfig.paperFull(0.2, 0.3, true).withModel(32, true, -1).withSteps(800);
        return TrainConfig.paperFull(0.5, 0.8, true);
    }

    private int[] depths() {
        int[] d = depths != null ? depths : (kOrder() ? new int[] {1, 4, 8} : new int[] {1, 2, 4, 8});
        for (int l : d) if (l < 1) throw new UsageException("--depths values must be at least 1, got " + l);
        return d;
    }

    @Override
    long totalSteps(TrainConfig base, long[] seeds) {
        return (long) depths().length * seeds.length * base.steps();
    }

    @Override
    String chartTitle(TrainConfig base) {
        return String.format(Locale.ROOT, "markov depth: full model, k=%d, (p,q)=(%.2g,%.2g), %s, d=%d, N=%d", base.order(), base.p(), base.q(),
                base.tied() ? "tied" : "untied", base.d(), base.seqLen());
    }

    @Override
    void execute(TrainConfig base, long[] seeds, MarkovExperiments.Progress progress, MarkovReport report) {
        List<SweepRow> rows = MarkovExperiments.depth(base, depths(), seeds, progress);
        SweepSummary.add(rows, "layers", report);
    }
}
