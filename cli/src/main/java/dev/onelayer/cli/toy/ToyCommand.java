package dev.onelayer.cli.toy;

import dev.onelayer.cli.ExperimentFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code onelayer toy ...}: the linear-regression toy that proves the training loop end to end. */
@Command(name = "toy", mixinStandardHelpOptions = true, description = "Toy linear regression: proves the training loop, output files and charts.",
        subcommands = {ToyTrain.class})
public final class ToyCommand implements ExperimentFamily, Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
