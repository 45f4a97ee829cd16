package dev.onelayer.cli.scb;

import dev.onelayer.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code onelayer scb ...} on tiny instances: exit 0, every listed file exists and parses (CSV cells
 * are numbers or empty, result.json is valid JSON naming the files, PNGs are PNGs); bad arguments
 * exit 2 with one line and write nothing. The claims themselves are tested in model/scb.
 */
class ScbCliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs, expects exit 0, checks every file listed in result.json, and returns result.json. */
    static Map<String, Object> runOk(Path out, String... args) throws IOException {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        Run r = run(all);
        assertEquals(0, r.code(), "stderr: " + r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(Files.readString(out.resolve("result.json")));
        @SuppressWarnings("unchecked")
        List<Object> files = (List<Object>) json.get("files");
        assertTrue(files.contains("result.json"), files.toString());
        for (Object f : files) {
            Path p = out.resolve((String) f);
            assertTrue(Files.isRegularFile(p), "listed but missing: " + f);
            if (p.toString().endsWith(".csv")) checkCsv(p);
            if (p.toString().endsWith(".png")) {
                byte[] b = Files.readAllBytes(p);
                assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(b, 4), f.toString());
            }
            if (p.toString().endsWith(".svg")) assertTrue(Files.readString(p).contains("<svg"), f.toString());
        }
        assertTrue(json.get("claims") instanceof List && !((List<?>) json.get("claims")).isEmpty(), "claims table in result.json");
        return json;
    }

    /** Header of names, then rows of the same width whose cells are numbers or empty; at least one row. */
    static List<String> checkCsv(Path p) throws IOException {
        List<String> lines = Files.readAllLines(p);
        assertTrue(lines.size() >= 2, p + " has no rows");
        int width = lines.get(0).split(",", -1).length;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(width, cells.length, p + ": " + line);
            for (String c : cells) if (!c.isEmpty()) Double.parseDouble(c);
        }
        return lines;
    }

    static List<String> files(Map<String, Object> json) {
        return ((List<?>) json.get("files")).stream().map(Object::toString).toList();
    }

    @Test
    void recoveryWritesCurvesChartsAndTheClaimsTable(@TempDir Path tmp) throws IOException {
        String[] args = {"scb", "recovery", "--seq-len", "8", "--vocab", "4", "--steps", "30", "--seeds", "2", "--sgd-lrs", "0.1,0.3",
                "--eval-every", "320", "--seed", "5"};
        Map<String, Object> json = runOk(tmp.resolve("one"), concat(args, "--quiet", "--threads", "1"));
        assertTrue(files(json).containsAll(List.of("curves.csv", "median_curves.csv", "distance_p.png", "distance_a.png", "excess_loss.png")),
                files(json).toString());
        List<String> curves = checkCsv(tmp.resolve("one/curves.csv"));
        assertEquals("method,sgd_lr,seed,samples,dist_p,dist_a,excess_loss,corr_v_p", curves.get(0));
        // 3 methods x 2 seeds x (points at 0, 320, ..., 1600, 1920 = the end)
        assertEquals(1 + 3 * 2 * 7, curves.size());
        assertTrue(curves.get(1).startsWith("0,,5,0,"), curves.get(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) json.get("config");
        assertEquals(1920.0, cfg.get("budget_samples"));

        // Seeds run in parallel with --threads 2: the same bits; without --quiet the table is printed.
        Run r = run(concat(args, "--threads", "2", "--out", tmp.resolve("two").toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(tmp.resolve("one/curves.csv")), Files.readString(tmp.resolve("two/curves.csv")));
        assertTrue(r.out().contains("holds") && r.out().contains("PPPD |A-A*|_F"), r.out());
    }

    @Test
    void plateauWritesTheTSweepAndStageTwo(@TempDir Path tmp) throws IOException {
        Map<String, Object> json = runOk(tmp.resolve("p"), "scb", "plateau", "--quiet", "--vocab", "3", "--sparsity", "1", "--seq-lens", "4,8",
                "--seeds", "1", "--steps", "400", "--stage-two-seq-len", "4", "--stage-two-vocabs", "3", "--stage-two-sparsities", "1,2",
                "--stage-two-steps", "400");
        assertTrue(files(json).containsAll(List.of("plateau.csv", "plateau_medians.csv", "stage_two.csv", "plateau.png", "stage_two.png")),
                files(json).toString());
        assertEquals(3, checkCsv(tmp.resolve("p/plateau.csv")).size());
        assertEquals(3, checkCsv(tmp.resolve("p/stage_two.csv")).size());
    }

    @Test
    void transferWritesRatiosPerRho(@TempDir Path tmp) throws IOException {
        Map<String, Object> json = runOk(tmp.resolve("t"), "scb", "transfer", "--quiet", "--vocab", "3", "--sparsity", "1", "--seq-lens", "4,8",
                "--rhos", "0.5,0.8", "--seeds", "1", "--steps", "400");
        assertTrue(files(json).containsAll(List.of("transfer.csv", "transfer_summary.csv", "transfer_exponents.csv", "ratio.png", "plateaus.png")),
                files(json).toString());
        assertEquals(1 + 2 * 2, checkCsv(tmp.resolve("t/transfer_summary.csv")).size());
        assertEquals(2, ((List<?>) json.get("result")).size());
    }

    @Test
    void transferFromAPretrainedModel(@TempDir Path tmp) throws IOException {
        Map<String, Object> json = runOk(tmp.resolve("t"), "scb", "transfer", "--quiet", "--vocab", "3", "--sparsity", "1", "--seq-lens", "4,8",
                "--rhos", "0.8", "--seeds", "1", "--steps", "400", "--pretrain-samples", "2000");
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) json.get("config");
        assertEquals(2000, ((Number) cfg.get("pretrain_samples")).intValue());
        assertEquals(1 + 2, checkCsv(tmp.resolve("t/transfer_summary.csv")).size());
    }

    @Test
    void softmaxWritesHeatmapsAndLossCurves(@TempDir Path tmp) throws IOException {
        Map<String, Object> json = runOk(tmp.resolve("s"), "scb", "softmax", "--quiet", "--vocab", "3", "--seq-len", "6", "--steps", "10",
                "--eval-every", "320", "--eval-size", "32");
        for (String f : List.of("attention_true.png", "attention_linear.png", "attention_softmax.png", "value_true.png", "value_linear.png",
                "value_softmax.png", "loss.png", "loss_curves.csv", "attention.csv", "value.csv")) {
            assertTrue(files(json).contains(f), f);
        }
        assertEquals(1 + 6 * 3, checkCsv(tmp.resolve("s/attention.csv")).size());
        assertEquals(1 + 3 * 3, checkCsv(tmp.resolve("s/value.csv")).size());
    }

    @Test
    void badArgumentsExitWithCode2OneLineAndWriteNothing(@TempDir Path tmp) {
        String[][] cases = {
                {"Q=5", "scb", "recovery", "--sparsity", "5", "--seq-len", "3"},
                {"--vocab", "scb", "softmax", "--vocab", "1"},
                {"--rhos", "scb", "transfer", "--rhos", "0.8,-0.1"},
                {"Q=3", "scb", "transfer", "--sparsity", "3", "--seq-lens", "2,4"},
                {"--seq-lens", "scb", "plateau", "--seq-lens", "50"},
                {"--seq-lens", "scb", "plateau", "--seq-lens", "20,10"},
                {"--optimizer", "scb", "plateau", "--optimizer", "adam"},
                {"--stage-two-seq-len", "scb", "plateau", "--stage-two-sparsities", "200"},
                {"--sgd-lrs", "scb", "recovery", "--sgd-lrs", "0.1,0"},
                {"--lr", "scb", "softmax", "--lr", "0"},
                {"--transition", "scb", "recovery", "--transition", "banded"},
                {"--steps", "scb", "recovery", "--steps", "0"},
                {"--eval-every", "scb", "recovery", "--eval-every", "10"},
                {"--threads", "scb", "transfer", "--threads", "0"},
                {"--pretrain-samples", "scb", "transfer", "--pretrain-samples", "3"},
                {"--seeds", "scb", "plateau", "--seeds", "0"},
        };
        int k = 0;
        for (String[] c : cases) {
            Path out = tmp.resolve("bad" + k++);
            String[] args = concat(Arrays.copyOfRange(c, 1, c.length), "--quiet", "--out", out.toString());
            Run r = run(args);
            String err = r.err().strip();
            assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", args) + " -> " + err);
            assertFalse(err.contains("\n"), "one line expected: " + err);
            assertTrue(err.startsWith("onelayer: ") && err.contains(c[0]), String.join(" ", args) + " -> " + err);
            assertFalse(Files.exists(out), "a bad argument must not create --out: " + String.join(" ", args));
        }
    }

    @Test
    void listShowsTheScbFamilyAndHelpShowsTheDefaults() {
        Run r = run("list");
        assertEquals(0, r.code());
        for (String sub : List.of("scb recovery", "scb plateau", "scb transfer", "scb softmax")) assertTrue(r.out().contains(sub), r.out());
        Run help = run("scb", "transfer", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--rhos") && help.out().contains("default: 0.5,0.7,0.8"), help.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
