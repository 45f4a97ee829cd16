package dev.onelayer.cli;

import dev.onelayer.cli.toy.ToyTrain;
import dev.onelayer.kernel.KernelOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * The {@code onelayer} command: one subcommand family per experiment (registered in
 * {@link Experiments}) plus tools ({@code list}, {@code info}, {@code bench-quick}).
 *
 * <p>Exit codes: 0 success, 2 bad arguments (picocli parse errors and {@link UsageException}),
 * 1 an error during the run. Either failure prints exactly one line on standard error.
 */
@Command(name = "onelayer", mixinStandardHelpOptions = true, version = "onelayer 0.1.0",
        description = "Train and dissect one-layer transformers on the synthetic tasks of four theory papers.",
        subcommands = {ListCommand.class, Info.class, BenchQuick.class})
public final class Main implements Runnable {

    /** Exit code for bad arguments. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an error during a run. */
    public static final int EXIT_ERROR = 1;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on standard output/error and returns the exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output and error writers; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("onelayer: " + oneLine(ex.getMessage()));
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UsageException || ex instanceof CommandLine.ParameterException) {
                c.getErr().println("onelayer: " + oneLine(ex.getMessage()));
                return EXIT_USAGE;
            }
            c.getErr().println("onelayer: error: " + oneLine(describe(ex)));
            return EXIT_ERROR;
        });
        try {
            // on this thread, before any worker could be the first to load a kernel class
            KernelOptions.validate();
        } catch (IllegalArgumentException e) {
            err.println("onelayer: " + oneLine(e.getMessage()));
            err.flush();
            return EXIT_USAGE;
        }
        int code;
        try {
            code = cmd.execute(args);
        } catch (ExceptionInInitializerError e) {
            // a kernel class could not start with the JVM's options (-Donelayer.kernel=vector
            // without a usable Vector API): an Error, so picocli's handler above never sees it
            String msg = oneLine(describe(e));
            if (!msg.contains("-Donelayer.")) throw e;
            err.println("onelayer: " + msg);
            code = EXIT_USAGE;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The command tree: tools, experiment families, and the {@code train-toy} shortcut. */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        for (Supplier<Object> family : Experiments.families()) cmd.addSubcommand(family.get());
        CommandLine alias = new CommandLine(new ToyTrain());
        alias.getCommandSpec().usageMessage().description("Shortcut for 'toy train' (same options).");
        cmd.addSubcommand("train-toy", alias);
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static String describe(Throwable ex) {
        Throwable t = ex;
        // Unwrap wrappers that add no information (UncheckedIOException around an IOException...).
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.io.UncheckedIOException)) t = t.getCause();
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : (t instanceof java.io.IOException ? t.getClass().getSimpleName() + ": " + msg : msg);
    }

    static String oneLine(String s) {
        if (s == null) return "";
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
