package dev.onelayer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;

/** {@code onelayer list}: the experiment families with their subcommands, then the tools. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments and tools.")
final class ListCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, CommandLine> top = spec.root().subcommands();
        out.println("experiments:");
        for (Map.Entry<String, CommandLine> e : top.entrySet()) {
            if (!(e.getValue().getCommand() instanceof ExperimentFamily)) continue;
            out.printf("  %-22s %s%n", e.getKey(), first(e.getValue()));
            for (Map.Entry<String, CommandLine> sub : e.getValue().getSubcommands().entrySet()) {
                out.printf("  %-22s %s%n", "  " + e.getKey() + " " + sub.getKey(), first(sub.getValue()));
            }
        }
        out.println("tools:");
        for (Map.Entry<String, CommandLine> e : top.entrySet()) {
            if (e.getValue().getCommand() instanceof ExperimentFamily) continue;
            out.printf("  %-22s %s%n", e.getKey(), first(e.getValue()));
        }
        out.flush();
    }

    private static String first(CommandLine c) {
        String[] d = c.getCommandSpec().usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }
}
