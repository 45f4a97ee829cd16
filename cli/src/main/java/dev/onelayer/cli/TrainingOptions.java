package dev.onelayer.cli;

import dev.onelayer.kernel.Parallel;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Options every training command shares (a picocli mixin). Validation happens in
 * {@link #validate}, which commands call first; a bad value is a {@link UsageException}
 * (exit code 2).
 */
public final class TrainingOptions {

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Root seed; one seed determines the whole run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the batch chunks; results do not depend on it (default: min(2, available processors)).")
    Integer threads;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: per experiment).")
    Long steps;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory for CSV, JSON and charts (default: runs/<experiment>-seed<seed>).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary line.")
    boolean quiet;

    @Option(names = "--force", description = "Write into a non-empty --out directory (files with the same names are replaced).")
    boolean force;

    public long seed() {
        return seed;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Threads to use (validated). */
    public int threads() {
        return threads != null ? threads : Math.max(1, Math.min(2, Parallel.maxThreads()));
    }

    /** Steps to run: the option, or the experiment's default. */
    public long steps(long defaultSteps) {
        return steps != null ? steps : defaultSteps;
    }

    /**
     * Checks the values and prepares the output directory ({@code runs/<name>-seed<seed>} when
     * --out is not given): it must not be a file, and must be empty unless --force.
     */
    public Path validate(String experimentName) {
        if (steps != null && steps < 0) throw new UsageException("--steps must be >= 0, got " + steps);
        if (threads != null && threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        Path dir = out != null ? out : Paths.get("runs", experimentName + "-seed" + seed);
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) throw new UsageException("--out " + dir + " exists and is not a directory");
            if (!force && !isEmpty(dir)) {
                throw new UsageException("--out " + dir + " is not empty; choose another directory or pass --force to overwrite");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UsageException("--out " + dir + " cannot be created: " + e.getMessage());
        }
        return dir;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UsageException("--out " + dir + " cannot be read: " + e.getMessage());
        }
    }
}
