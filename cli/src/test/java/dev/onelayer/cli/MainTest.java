package dev.onelayer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    /** Exit code and captured output of one invocation. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static void assertUsageError(Run r, String mustMention) {
        assertEquals(Main.EXIT_USAGE, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected, got: " + err);
        assertTrue(err.startsWith("onelayer: "), err);
        assertTrue(err.contains(mustMention), err);
    }

    @Test
    void listShowsExperimentsAndTools() {
        Run r = run("list");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("experiments:"), r.out());
        assertTrue(r.out().contains("toy train"), r.out());
        for (String tool : List.of("list", "info", "bench-quick", "train-toy")) assertTrue(r.out().contains("  " + tool + " "), tool);
    }

    @Test
    void infoNamesKernelWidthJdkAndThreads() {
        Run r = run("info");
        assertEquals(0, r.code());
        for (String key : List.of("kernel:", "scb gather:", "vector width:", "jdk:", "threads:")) assertTrue(r.out().contains(key), r.out());
        assertTrue(r.out().contains(dev.onelayer.kernel.Kernels.implementation().name()), r.out());
    }

    @Test
    void badArgumentsExitWithCode2AndOneLine(@TempDir Path tmp) {
        assertUsageError(run("--no-such-option"), "--no-such-option");
        assertUsageError(run("train-toy", "--steps", "-5", "--out", tmp.resolve("a").toString()), "--steps");
        assertUsageError(run("toy", "train", "--threads", "0", "--out", tmp.resolve("b").toString()), "--threads");
        assertUsageError(run("train-toy", "--steps", "ten"), "--steps");
        assertUsageError(run("train-toy", "--batch", "0", "--out", tmp.resolve("c").toString()), "--batch");
        assertUsageError(run("bench-quick", "--seconds", "-1"), "--seconds");
    }

    @Test
    void nonEmptyOutIsRefusedWithoutForce(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("run");
        Files.createDirectories(out);
        Path keep = out.resolve("notes.txt");
        Files.writeString(keep, "mine");
        assertUsageError(run("train-toy", "--quiet", "--steps", "2", "--out", out.toString()), "--force");
        assertEquals("mine", Files.readString(keep));
        assertFalse(Files.exists(out.resolve("result.json")));
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertUsageError(run("train-toy", "--quiet", "--steps", "2", "--out", file.toString()), "not a directory");

        Run forced = run("train-toy", "--quiet", "--force", "--steps", "2", "--d-in", "3", "--d-out", "2", "--out", out.toString());
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.exists(out.resolve("result.json")));
        assertEquals("mine", Files.readString(keep));
    }

    @Test
    void toyRunWritesCsvJsonAndCharts(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("toy");
        Run r = run("toy", "train", "--quiet", "--steps", "60", "--d-in", "6", "--d-out", "2", "--eval-every", "20",
                "--seed", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "--quiet prints nothing");

        List<String> lines = Files.readAllLines(out.resolve("curves.csv"));
        assertEquals("step,loss,lr,grad_norm,eval_loss", lines.get(0));
        assertEquals(61, lines.size(), "header + one row per step");
        double first = Double.parseDouble(lines.get(1).split(",")[1]);
        String[] last = lines.get(60).split(",", -1);
        assertEquals("60", last[0]);
        double lastLoss = Double.parseDouble(last[1]);
        assertTrue(Double.isFinite(lastLoss) && lastLoss < first / 10, "loss fell from " + first + " to " + lastLoss);
        assertFalse(last[4].isEmpty(), "held-out loss at an eval step");
        assertTrue(lines.get(5).endsWith(","), "no held-out loss between evaluations: " + lines.get(5));

        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"experiment\": \"toy\""), json);
        assertTrue(json.contains("\"seed\": 7"), json);
        assertTrue(json.contains("\"steps\": 60"), json);
        assertTrue(json.contains("\"final_eval_loss\": "), json);
        assertTrue(json.contains("\"files\": [\"curves.csv\", \"loss.png\", \"loss.svg\", \"result.json\"]"), json);
        assertFalse(json.contains("NaN"), json);

        byte[] png = Files.readAllBytes(out.resolve("loss.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        String svg = new String(Files.readAllBytes(out.resolve("loss.svg")), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg"), "svg content");
        try (var s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void curvesDoNotDependOnThreads(@TempDir Path tmp) throws IOException {
        String[] common = {"train-toy", "--quiet", "--steps", "15", "--d-in", "5", "--d-out", "3", "--batch", "48", "--seed", "3"};
        Path one = tmp.resolve("one"), two = tmp.resolve("two");
        assertEquals(0, run(concat(common, "--threads", "1", "--out", one.toString())).code());
        assertEquals(0, run(concat(common, "--threads", "2", "--out", two.toString())).code());
        assertEquals(Files.readString(one.resolve("curves.csv")), Files.readString(two.resolve("curves.csv")));
    }

    @Test
    void errorDuringARunExitsWithCode1AndOneLine(@TempDir Path tmp) {
        // A learning rate far beyond stability makes the loss overflow: the trainer's guard stops it.
        Run r = run("train-toy", "--quiet", "--steps", "200", "--lr", "1e6", "--out", tmp.resolve("x").toString());
        assertEquals(Main.EXIT_ERROR, r.code(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("onelayer: error: "), err);
    }

    @Test
    void benchQuickReportsBothKernels() {
        Run r = run("bench-quick", "--seconds", "0.4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gemm 256^3"), r.out());
        assertTrue(r.out().contains("dot 1024"), r.out());
        assertTrue(r.out().contains("scalar GF/s"), r.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Every command and subcommand answers {@code --help} with its usage and exit code 0. */
    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new java.util.ArrayList<>();
        collect(Main.commandLine(), new java.util.ArrayList<>(), paths);
        assertTrue(paths.size() > 20, "command paths: " + paths);
        for (List<String> path : paths) {
            List<String> args = new java.util.ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(new String[0]));
            assertEquals(0, r.code(), path + " --help; stderr: " + r.err());
            assertTrue(r.out().contains("Usage:"), path + ": " + r.out());
        }
    }

    private static void collect(picocli.CommandLine cmd, List<String> path, List<List<String>> paths) {
        for (java.util.Map.Entry<String, picocli.CommandLine> e : cmd.getSubcommands().entrySet()) {
            List<String> p = new java.util.ArrayList<>(path);
            p.add(e.getKey());
            paths.add(p);
            collect(e.getValue(), p, paths);
        }
    }
}
