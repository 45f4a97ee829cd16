package dev.onelayer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad {@code -Donelayer.*} JVM option (read once, when a kernel class initialises) ends the CLI with
 * one line naming the option and exit code 2, not a stack trace. Each case needs a fresh JVM.
 */
class BadJvmOptionTest {

    @TempDir
    Path tmp;

    @Test
    void badKernelChoiceIsAUsageError() throws Exception {
        assertUsageError("-Donelayer.kernel=bogus", "-Donelayer.kernel must be auto, vector or scalar");
    }

    @Test
    void badGatherChoiceIsAUsageError() throws Exception {
        assertUsageError("-Donelayer.scb.gather=bogus", "-Donelayer.scb.gather must be auto, indexed or permute, not 'bogus'");
    }

    /**
     * The SCB experiments run their seeds on worker threads, which may be the first to load a kernel
     * class; the CLI checks the options on its own thread before any of that.
     */
    @Test
    void badOptionsAreUsageErrorsInParallelExperimentsToo() throws Exception {
        assertUsageError("-Donelayer.scb.gather=bogus", "-Donelayer.scb.gather must be", "scb", "plateau", "--threads=2", "--seeds=2",
                "--seq-lens=10,20", "--out=" + tmp.resolve("p"));
        assertUsageError("-Donelayer.kernel=bogus", "-Donelayer.kernel must be", "scb", "plateau", "--threads=2", "--seeds=2",
                "--seq-lens=10,20", "--out=" + tmp.resolve("k"));
    }

    private void assertUsageError(String option, String expected, String... command) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", option,
                "-Donelayer.kernel.log=false", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(command.length == 0 ? List.of("info") : List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        File err = Files.createTempFile(tmp, "err", ".txt").toFile();
        pb.redirectOutput(Files.createTempFile(tmp, "out", ".txt").toFile()).redirectError(err);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + cmd);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(err.toPath(), StandardCharsets.UTF_8)) {
            if (!line.startsWith("WARNING: Using incubator modules")) lines.add(line);
        }
        assertEquals(2, p.exitValue(), String.join("\n", lines));
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("onelayer: ") && lines.get(0).contains(expected), lines.get(0));
    }
}
