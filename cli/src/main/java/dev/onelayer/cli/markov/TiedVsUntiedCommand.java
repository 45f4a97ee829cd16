package dev.onelayer.cli.markov;

import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Command;

/**
 * Experiment 2 ({@code loss2}, {@code est2}): (p, q) = (0.5, 0.8), p + q &gt; 1, tied and untied; the
 * paper: untied reaches the entropy rate 0.619, tied stays at H(π) = 0.666 and predicts P(1 | previous 0) ≈ π_1 = 0.385 (not p = 0.5).
 */
@Command(name = "tied-vs-untied", mixinStandardHelpOptions = true, description = "Experiment 2: (0.5, 0.8) tied vs untied (untied -> 0.619; tied stuck at H(pi) = 0.666 with P^(1|0) ~ pi1 = 0.385).")
public final class TiedVsUntiedCommand extends ExperimentCommand {

    @Override
    String name() {
        return "tied-vs-untied";
    }

    @Override
    TrainConfig defaults() {
        return TrainConfig.paper(0.5, 0.8, true);
    }

    @Override
    long totalSteps(TrainConfig base, long[] seeds) {
        return 2L * seeds.length * base.steps();
    }

    @Override
    void execute(TrainConfig base, long[] seeds, MarkovExperiments.Progress progress, MarkovReport report) {
        TiedUntiedReport.add(MarkovExperiments.tiedVsUntied(base, seeds, progress), report);
    }
}
