package dev.onelayer.cli.lowrank;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each lowrank subcommand on a tiny instance (exit 0, its files), and bad arguments (exit 2). */
class LowRankCliTest {

    /** A tiny instance: d 8, M 4, L 8, m 8, 40 steps, n 64/64. */
    private static final String[] TINY = {"--quiet", "--d", "8", "--patterns", "4", "--seq-len", "8", "--neurons", "8",
            "--n-train", "64", "--n-test", "64", "--batch", "16", "--steps", "40", "--eval-every", "20"};

    private static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    private static String[] with(String cmd, Path out, String... extra) {
        String[] a = new String[2 + TINY.length + 2 + extra.length];
        a[0] = "lowrank";
        a[1] = cmd;
        System.arraycopy(TINY, 0, a, 2, TINY.length);
        a[2 + TINY.length] = "--out";
        a[3 + TINY.length] = out.toString();
        System.arraycopy(extra, 0, a, 4 + TINY.length, extra.length);
        return a;
    }

    private static void assertFiles(Path dir, List<String> names) throws IOException {
        for (String n : names) assertTrue(Files.size(dir.resolve(n)) > 0, n);
        String json = Files.readString(dir.resolve("result.json"));
        assertTrue(json.contains("\"paper\""), "claims next to figures");
        assertTrue(json.contains("\"d\": 8"), json);
    }

    @Test
    void everySubcommandRunsATinyInstance(@TempDir Path tmp) throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, with("train", tmp.resolve("t"))), err.toString());
        assertFiles(tmp.resolve("t"), List.of("curves.csv", "training.png", "training.svg", "result.json"));
        assertEquals(4, Files.readAllLines(tmp.resolve("t/curves.csv")).size(), "header + steps 0, 20, 40");

        assertEquals(0, run(err, with("spectra", tmp.resolve("s"), "--ks", "1")), err.toString());
        assertFiles(tmp.resolve("s"), List.of("spectra.csv", "rank_scaling.csv", "spectra.png", "result.json"));
        assertEquals(9, Files.readAllLines(tmp.resolve("s/spectra.csv")).size(), "header + d singular values");

        assertEquals(0, run(err, with("prune", tmp.resolve("p"), "--seeds", "2", "--draws", "3", "--max-rate", "0.2")), err.toString());
        assertFiles(tmp.resolve("p"), List.of("pruning.csv", "pruning_seeds.csv", "row_norms.csv", "pruning.png", "pruning_change.png",
                "row_norms.png", "result.json"));
        assertEquals(6, Files.readAllLines(tmp.resolve("p/pruning.csv")).size(), "header + rates 0, 5, 10, 15, 20%");

        assertEquals(0, run(err, with("lora", tmp.resolve("l"), "--ranks", "1,2")), err.toString());
        assertFiles(tmp.resolve("l"), List.of("lora.csv", "lora.png", "result.json"));
        assertEquals(4, Files.readAllLines(tmp.resolve("l/lora.csv")).size(), "header + full + 2 ranks");
    }

    @Test
    void threadsDoNotChangeTheResults(@TempDir Path tmp) throws IOException {
        StringWriter err = new StringWriter();
        // batch 16 is two fixed chunks of samples: on 2 threads they run concurrently
        assertEquals(0, run(err, with("train", tmp.resolve("t1"), "--threads", "1")), err.toString());
        assertEquals(0, run(err, with("train", tmp.resolve("t2"), "--threads", "2")), err.toString());
        assertEquals(Files.readString(tmp.resolve("t1/curves.csv")), Files.readString(tmp.resolve("t2/curves.csv")));
        assertTrue(Files.readString(tmp.resolve("t2/result.json")).contains("\"threads\": 2"));
        assertEquals(Main.EXIT_USAGE, run(err, with("train", tmp.resolve("t0"), "--threads", "0")));
    }

    @Test
    void badArgumentsExitWithCode2(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_USAGE, run(err, "lowrank", "train", "--preset", "huge", "--out", tmp.resolve("a").toString()));
        assertEquals(Main.EXIT_USAGE, run(err, "lowrank", "train", "--patterns", "40", "--out", tmp.resolve("b").toString()));
        assertTrue(err.toString().contains("patterns"), err.toString());
        assertEquals(Main.EXIT_USAGE, run(err, "lowrank", "lora", "--ranks", "0", "--out", tmp.resolve("c").toString()));
        assertEquals(Main.EXIT_USAGE, run(err, "lowrank", "prune", "--seeds", "0", "--out", tmp.resolve("d").toString()));
        assertEquals(Main.EXIT_USAGE, run(err, "lowrank", "spectra", "--ks", "9", "--out", tmp.resolve("e").toString()));
    }
}
