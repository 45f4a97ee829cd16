package dev.onelayer.cli.lowrank;

import dev.onelayer.cli.ExperimentFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code onelayer lowrank ...}: Li et al. 2024, one-layer softmax attention + ReLU MLP on
 * orthonormal-pattern classification; weight updates are low rank and W_O prunes well.
 */
@Command(name = "lowrank", mixinStandardHelpOptions = true, description = "Li et al. 2024: low-rank weight updates and magnitude pruning of a one-layer Transformer.",
        subcommands = {LowRankTrain.class, LowRankSpectra.class, LowRankPrune.class, LowRankLora.class})
public final class LowRankCommand implements ExperimentFamily, Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
