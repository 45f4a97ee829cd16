package dev.onelayer.cli.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoTest {

    @Test
    void jsonEscapesAndWritesNonFiniteAsNull() {
        Map<String, Object> o = Json.object();
        o.put("s", "a\"b\\c\nd\u0001");
        o.put("x", 0.1);
        o.put("n", 3L);
        o.put("nan", Double.NaN);
        o.put("arr", new double[] {1, 2.5, Double.POSITIVE_INFINITY});
        o.put("list", List.of("p", true));
        o.put("empty", Json.object());
        String text = Json.render(o);
        assertEquals("{\n"
                + "  \"s\": \"a\\\"b\\\\c\\nd\\u0001\",\n"
                + "  \"x\": 0.1,\n"
                + "  \"n\": 3,\n"
                + "  \"nan\": null,\n"
                + "  \"arr\": [1, 2.5, null],\n"
                + "  \"list\": [\"p\", true],\n"
                + "  \"empty\": {}\n"
                + "}\n", text);
    }

    @Test
    void csvRoundTripsDoublesAndLeavesNaNEmpty(@TempDir Path tmp) throws IOException {
        Csv csv = new Csv("step", "loss");
        double v = 0.1 + 0.2;
        csv.row(1, v).row(2, Double.NaN);
        Path p = tmp.resolve("c.csv");
        csv.write(p);
        List<String> lines = Files.readAllLines(p);
        assertEquals(List.of("step,loss", "1," + v, "2,"), lines);
        assertEquals(v, Double.parseDouble(lines.get(1).split(",")[1]));
        assertThrows(IllegalArgumentException.class, () -> csv.row(1));
        assertThrows(IllegalArgumentException.class, () -> new Csv("a,b"));
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporary(@TempDir Path tmp) throws IOException {
        Path p = tmp.resolve("sub/f.txt");
        AtomicFiles.writeString(p, "one");
        AtomicFiles.writeString(p, "two");
        assertEquals("two", Files.readString(p));
        try (var s = Files.list(p.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void chartsSavePngAndSvgIncludingHeatmaps(@TempDir Path tmp) throws IOException {
        Charts.save(Charts.heatmap("attention", 2, 3, new double[] {0, 1, 2, 3, 4, 5}), tmp, "heat");
        assertTrue(Files.size(tmp.resolve("heat.png")) > 100);
        assertTrue(Files.readString(tmp.resolve("heat.svg")).contains("<svg"));
        assertThrows(IllegalArgumentException.class, () -> Charts.heatmap("bad", 2, 2, new double[3]));
        Charts.save(Charts.labelledHeatmap("q-hat", "q", "p", java.util.List.of("0.2", "0.4"), java.util.List.of("0.2", "0.4", "0.6"),
                new double[] {0.2, 0.4, 0.6, 0.2, 0.4, 0.6}), tmp, "grid");
        assertTrue(Files.readString(tmp.resolve("grid.svg")).contains("0.4"), "axis labels and cell values are drawn");
        assertThrows(IllegalArgumentException.class, () -> Charts.labelledHeatmap("bad", "x", "y", java.util.List.of("a"), java.util.List.of("b"),
                new double[2]));
    }
}
