package dev.onelayer.cli.markov;

import dev.onelayer.cli.ExperimentFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code onelayer markov ...}: the experiments of Makkuva et al. 2024, "Attention with Markov"
 * (markov.md section 4), one subcommand each, all with the reference code's defaults (N = 1024,
 * B = 16, AdamW 0.9/0.95, lr 2e-3, one-cycle cosine) and every setting overridable.
 */
@Command(name = "markov", mixinStandardHelpOptions = true, description = "Attention with Markov (Makkuva et al. 2024): tied vs untied, the unigram local minimum, depth, memory.",
        subcommands = {CurvesCommand.class, TiedVsUntiedCommand.class, GridCommand.class, ThetaPiCommand.class, DepthCommand.class,
            MemoryCommand.class})
public final class MarkovCommand implements ExperimentFamily, Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
