package dev.onelayer.cli.markov;

import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Command;

/**
 * Experiment 1 ({@code loss1}): loss curves at (p, q) = (0.2, 0.3), p + q &lt; 1, tied and untied;
 * the paper: both reach the entropy rate 0.545.
 */
@Command(name = "curves", mixinStandardHelpOptions = true, description = "Experiment 1: loss curves at (0.2, 0.3), tied and untied (both should reach the entropy rate 0.545).")
public final class CurvesCommand extends ExperimentCommand {

    @Override
    String name() {
        return "curves";
    }

    @Override
    TrainConfig defaults() {
        return TrainConfig.paper(0.2, 0.3, true);
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
