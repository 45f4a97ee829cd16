package dev.onelayer.cli.markov;

import dev.onelayer.cli.Progress;
import dev.onelayer.cli.TrainingOptions;
import dev.onelayer.model.markov.MarkovExperiments;
import dev.onelayer.model.markov.TrainConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What every markov subcommand shares: the training and markov options, the output directory,
 * the progress display, and the report. A subcommand supplies its paper defaults and runs its
 * experiment in {@link #execute}.
 */
abstract class ExperimentCommand implements Runnable {

    @Mixin
    TrainingOptions options;

    @Mixin
    MarkovOptions markov;

    @Spec
    CommandSpec spec;

    /** Subcommand name, used in the default output directory and the report. */
    abstract String name();

    /** The paper's settings for this experiment. */
    abstract TrainConfig defaults();

    /** Runs the experiment, adding its runs and findings to {@code report}. */
    abstract void execute(TrainConfig base, long[] seeds, MarkovExperiments.Progress progress, MarkovReport report);

    /** Total steps of the experiment (for the progress bar). */
    abstract long totalSteps(TrainConfig base, long[] seeds);

    /** Title of the loss chart. */
    String chartTitle(TrainConfig base) {
        return "markov " + name() + ": " + (base.architecture() == TrainConfig.Architecture.FULL ? "full model, " + base.layers() + " layer(s)" : "theory model")
                + ", d=" + base.d() + ", N=" + base.seqLen() + ", B=" + base.batchSize();
    }

    @Override
    public final void run() {
        Path dir = options.validate("markov-" + name());
        TrainConfig base = markov.apply(defaults(), options);
        long[] seeds = markov.seeds(options);
        MarkovReport report = new MarkovReport(name(), dir);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        try (Progress bar = Progress.start("markov " + name(), totalSteps(base, seeds), options.quiet())) {
            execute(base, seeds, MarkovReport.progress(bar, err, name(), options.quiet()), report);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.write(base, seconds, out, options.quiet(), chartTitle(base));
    }
}
