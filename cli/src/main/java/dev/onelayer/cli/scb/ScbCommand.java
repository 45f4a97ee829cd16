package dev.onelayer.cli.scb;

import dev.onelayer.cli.ExperimentFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code onelayer scb ...}: Sparse Contextual Bigrams (Ren, Wang, Lee, NeurIPS 2024; notes:
 * shared/papers/scb.md). Each subcommand runs one library experiment of
 * {@code dev.onelayer.model.scb} and prints the measured figures next to the paper's claims.
 */
@Command(name = "scb", mixinStandardHelpOptions = true, description = "Sparse Contextual Bigrams (Ren, Wang, Lee 2024): PPPD vs SGD, two stages, transfer, softmax vs linear.",
        subcommands = {ScbRecovery.class, ScbPlateau.class, ScbTransfer.class, ScbSoftmax.class})
public final class ScbCommand implements ExperimentFamily, Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
