package dev.onelayer.cli.icar;

import dev.onelayer.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny instances of each {@code onelayer icar} subcommand: exit 0 and the files; bad options exit 2. */
class IcarCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertFiles(Path dir, String... names) {
        for (String n : names) assertTrue(Files.exists(dir.resolve(n)), "missing " + n + " in " + dir);
    }

    private static String json(Path dir) throws IOException {
        String j = Files.readString(dir.resolve("result.json"));
        assertFalse(j.contains("NaN"), j);
        return j;
    }

    @Test
    void unitaryWritesStructureFloorSweepAndTheoryComparison(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("u");
        Run r = run("icar", "unitary", "--d", "3", "--heads", "3", "--seq-len", "5", "--steps", "20", "--batch", "8", "--eval-size", "16",
                "--floor-heads", "1,2", "--floor-steps", "10", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("theory"), r.out());
        assertTrue(r.out().contains("floor sweep"), r.out());
        assertFiles(out, "unitary-curve.csv", "unitary-loss.png", "unitary-loss.svg", "unitary-coupling.csv", "unitary-coupling.png",
                "unitary-positional.csv", "unitary-positional.png", "unitary-rows.csv", "floor.csv", "floor.png", "result.json");
        List<String> floor = Files.readAllLines(out.resolve("floor.csv"));
        assertEquals(3, floor.size(), "header + H = 1, 2");
        assertTrue(floor.get(1).startsWith("1,0.6666666666666666,"), floor.get(1));
        String j = json(out);
        assertTrue(j.contains("\"floor_sweep\""), j);
        assertEquals(4, Files.readAllLines(out.resolve("unitary-coupling.csv")).size(), "header + d rows");
    }

    @Test
    void rotationAugmentedPeOnlyAndHaarRunTiny(@TempDir Path tmp) throws IOException {
        Path rot = tmp.resolve("r");
        Run r = run("icar", "rotation", "-q", "--d", "4", "--heads", "2", "--seq-len", "5", "--steps", "10", "--batch", "8",
                "--eval-size", "16", "--extra-heads", "none", "--out", rot.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertFiles(rot, "rotation-coupling.png", "rotation-positional.svg", "rotation-rows.csv", "result.json");
        assertTrue(json(rot).contains("\"theory_ratio\": -0.5"));

        Path aug = tmp.resolve("a");
        r = run("icar", "augmented", "--d", "2", "--positions", "2,3", "--shared-len", "4", "--steps", "10", "--batch", "8",
                "--eval-size", "32", "--start", "random", "--out", aug.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("eta vs 1/(t+d-1)"), r.out());
        assertFiles(aug, "per-position.csv", "shared.csv", "eta.png", "loss-vs-t.png", "P.png", "Q.csv", "curve.csv", "result.json");
        assertEquals(4, Files.readAllLines(aug.resolve("shared.csv")).size(), "header + t = 1..3");

        Path pe = tmp.resolve("p");
        r = run("icar", "pe-only", "--mu", "50,300", "--seq-len", "6", "--n", "8", "--steps", "20", "--out", pe.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("turning points"), r.out());
        assertFiles(pe, "profiles.csv", "profiles.png", "positional-mu50.png", "positional-mu300.csv", "curve-mu50.csv", "result.json");
        assertEquals("t_prime,mu50,mu300", Files.readAllLines(pe.resolve("profiles.csv")).get(0));

        Path haar = tmp.resolve("h");
        r = run("icar", "haar", "--d", "2", "--seq-len", "4", "--heads", "2", "--train-size", "16", "--test-size", "8", "--batch", "8",
                "--steps", "4", "--eval-every", "2", "--out", haar.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("positional mass on offsets 0 and 1"), r.out());
        assertFiles(haar, "augmented-train.csv", "augmented-test.csv", "non-augmented-test.csv", "positional.png", "positional-offsets.csv",
                "kq-blocks.png", "loss.png", "result.json");
        assertEquals(4, Files.readAllLines(haar.resolve("augmented-test.csv")).size(), "header + steps 0, 2, 4");
    }

    @Test
    void badOptionsExitWith2(@TempDir Path tmp) {
        String[][] bad = {
                {"icar", "unitary", "--floor-heads", "12"},
                {"icar", "unitary", "--floor-heads", "x"},
                {"icar", "unitary", "--lr", "0"},
                {"icar", "rotation", "--d", "5"},
                {"icar", "augmented", "--kind", "complex"},
                {"icar", "augmented", "--start", "zero"},
                {"icar", "augmented", "--positions", "0"},
                {"icar", "pe-only", "--mu", "-1"},
                {"icar", "haar", "--model", "both-ish"},
                {"icar", "haar", "--batch", "0"},
                {"icar", "haar", "--steps", "-1"},
                {"icar", "unitary", "--heads", "two"},
        };
        int k = 0;
        for (String[] args : bad) {
            String[] withOut = java.util.Arrays.copyOf(args, args.length + 2);
            withOut[args.length] = "--out";
            withOut[args.length + 1] = tmp.resolve("bad" + k++).toString();
            Run r = run(withOut);
            assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().strip().contains("\n"), r.err());
        }
    }

    @Test
    void listShowsTheIcarFamily() {
        Run r = run("list");
        assertEquals(0, r.code());
        for (String sub : List.of("icar unitary", "icar rotation", "icar augmented", "icar pe-only", "icar haar")) assertTrue(r.out().contains(sub), r.out());
    }
}
