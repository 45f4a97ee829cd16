package dev.onelayer.cli;

import dev.onelayer.cli.toy.ToyCommand;

import java.util.List;
import java.util.function.Supplier;

/**
 * The experiment families on the command line, in the order {@code onelayer list} shows them.
 *
 * <p>Adding a paper's experiments: write a {@code @Command(name = "<paper>", subcommands = {...})}
 * class implementing {@link ExperimentFamily} in {@code dev.onelayer.cli.<paper>}, with one
 * subcommand per experiment that mixes in {@link TrainingOptions} and writes its results through
 * {@link RunOutput}; then add its constructor here. Nothing else needs to change.
 */
final class Experiments {

    private Experiments() {
    }

    static List<Supplier<Object>> families() {
        return List.of(
                dev.onelayer.cli.scb.ScbCommand::new,
                dev.onelayer.cli.icar.IcarCommand::new,
                dev.onelayer.cli.markov.MarkovCommand::new,
                dev.onelayer.cli.lowrank.LowRankCommand::new,
                ToyCommand::new
        );
    }
}
