package dev.onelayer.cli.icar;

import dev.onelayer.cli.ExperimentFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code onelayer icar ...}: in-context autoregressive learning (Sander et al. 2024; notes
 * {@code shared/papers/icar.md}), issue 6's five experiments.
 */
@Command(name = "icar", mixinStandardHelpOptions = true, description = "In-context autoregressive learning (Sander et al. 2024): orthogonal AR sequences, one GD step, heads and PE.",
        subcommands = {UnitaryCommand.class, RotationCommand.class, AugmentedCommand.class, PeOnlyCommand.class, HaarCommand.class})
public final class IcarCommand implements ExperimentFamily, Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
