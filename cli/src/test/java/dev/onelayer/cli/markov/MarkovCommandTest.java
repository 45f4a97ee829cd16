package dev.onelayer.cli.markov;

import dev.onelayer.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny instances of the markov subcommands: exit codes, files written, usage errors. */
class MarkovCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertUsage(Run r, String mention) {
        assertEquals(Main.EXIT_USAGE, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertTrue(err.startsWith("onelayer: ") && err.contains(mention), err);
    }

    @Test
    void tiedVsUntiedWritesRunsCurvesEstimatesAndCharts(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("tvu");
        Run r = run("markov", "tied-vs-untied", "--seq-len", "16", "--steps", "60", "--seeds", "3,4", "--eval-sequences", "32",
                "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // every run's loss is printed next to both references and the gaps
        assertTrue(r.out().contains("tied seed 3") && r.out().contains("untied seed 4"), r.out());
        assertTrue(r.out().contains("entropy rate 0.6190 (gap ") && r.out().contains("H(pi) 0.6663 (gap "), r.out());

        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(5, runs.size(), "header + 2 seeds x tied/untied");
        assertTrue(runs.get(0).startsWith("run,seed,p,q,"), runs.get(0));
        List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
        assertEquals("step,run0,run1,run2,run3", curves.get(0));
        assertEquals(61, curves.size(), "header + one row per step");
        assertEquals(17, Files.readAllLines(out.resolve("est.csv")).size(), "header + one row per position");
        String json = Files.readString(out.resolve("result.json"));
        for (String key : List.of("\"experiment\": \"markov tied-vs-untied\"", "\"claims\"", "\"tied_mean_p_hat\"", "\"gap_to_entropy_rate\"",
                "\"seq_len\": 16", "\"est.csv\", \"est.png\", \"est.svg\", \"runs.csv\", \"curves.csv\", \"loss.png\", \"loss.svg\", \"result.json\"]")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        byte[] png = Files.readAllBytes(out.resolve("loss.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }

    @Test
    void gridThetaPiAndFullModelSweepsRunQuietly(@TempDir Path tmp) throws IOException {
        Run grid = run("markov", "grid", "--quiet", "--seq-len", "8", "--steps", "60", "--ps", "0.2,0.8", "--qs", "0.5", "--tying", "tied",
                "--eval-sequences", "16", "--out", tmp.resolve("grid").toString());
        assertEquals(0, grid.code(), grid.err());
        assertEquals("", grid.out(), "--quiet prints nothing");
        assertEquals(3, Files.readAllLines(tmp.resolve("grid/grid.csv")).size());
        assertTrue(Files.exists(tmp.resolve("grid/qhat_tied.png")));

        Run pi = run("markov", "theta-pi", "--quiet", "--seq-len", "8", "--steps", "60", "--pairs", "0.5:0.8", "--eval-sequences", "16",
                "--out", tmp.resolve("pi").toString());
        assertEquals(0, pi.code(), pi.err());
        List<String> rows = Files.readAllLines(tmp.resolve("pi/thetapi.csv"));
        assertEquals(3, rows.size(), "tied and untied");
        assertTrue(rows.get(0).startsWith("p,q,tied,seed,lambda_min,"), rows.get(0));

        Run depth = run("markov", "depth", "--quiet", "--seq-len", "8", "--steps", "60", "--depths", "1,2", "--d", "4", "--eval-sequences", "16",
                "--out", tmp.resolve("depth").toString());
        assertEquals(0, depth.code(), depth.err());
        String json = Files.readString(tmp.resolve("depth/result.json"));
        assertTrue(json.contains("\"model\": \"full\"") && json.contains("\"layers\": 2"), json);

        Run memory = run("markov", "memory", "--quiet", "--seq-len", "8", "--steps", "60", "--windows", "2", "--d", "4", "--eval-sequences", "16",
                "--out", tmp.resolve("memory").toString());
        assertEquals(0, memory.code(), memory.err());
        assertTrue(Files.readString(tmp.resolve("memory/result.json")).contains("\"order\": 2"));
    }

    @Test
    void badArgumentsExitWithCode2(@TempDir Path tmp) {
        assertUsage(run("markov", "curves", "--steps", "10", "--out", tmp.resolve("a").toString()), "steps=10");
        assertUsage(run("markov", "curves", "--p", "1.5", "--out", tmp.resolve("b").toString()), "p=1.5");
        assertUsage(run("markov", "grid", "--ps", "0", "--out", tmp.resolve("c").toString()), "--ps");
        assertUsage(run("markov", "theta-pi", "--pairs", "0.5", "--out", tmp.resolve("d").toString()), "--pairs");
        assertUsage(run("markov", "depth", "--depths", "0", "--out", tmp.resolve("e").toString()), "--depths");
        assertUsage(run("markov", "tied-vs-untied", "--model", "big"), "--model");
        assertUsage(run("markov", "memory", "--windows", "-3", "--out", tmp.resolve("f").toString()), "--windows");
    }
}
