package dev.onelayer.cli;

/**
 * Marker for a top-level command that groups one experiment's subcommands (e.g. {@code toy train}).
 * {@code onelayer list} shows these under "experiments"; everything else is a tool.
 */
public interface ExperimentFamily {
}
