package dev.onelayer.cli;

import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code onelayer} command: one subcommand per experiment family plus tools. */
@Command(name = "onelayer", mixinStandardHelpOptions = true, version = "onelayer 0.1.0",
        description = "Train and dissect one-layer transformers on the synthetic tasks of four theory papers.",
        subcommands = {Main.Info.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (2 for bad arguments). */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("onelayer: " + ex.getMessage());
            return 2;
        });
        return cmd.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code onelayer info}: the kernel implementation in use, vector width, JDK and threads. */
    @Command(name = "info", description = "Print the kernel implementation, vector width, JDK and threads.")
    static final class Info implements Runnable {
        @Override
        public void run() {
            System.out.println("kernel:  " + KernelProvider.describe());
            System.out.println("jdk:     " + System.getProperty("java.vm.name") + " " + Runtime.version());
            System.out.println("threads: " + Parallel.maxThreads() + " available");
        }
    }
}
