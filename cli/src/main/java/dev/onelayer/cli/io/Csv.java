package dev.onelayer.cli.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of numbers written as RFC 4180 CSV: one header line of column names, then one line per
 * row, numbers printed with {@link Double#toString} (shortest text that reads back to the same
 * double; integers without a fraction), empty cells for NaN (a value not measured at that row).
 */
public final class Csv {

    private final String[] columns;
    private final List<double[]> rows = new ArrayList<>();

    public Csv(String... columns) {
        if (columns == null || columns.length == 0) throw new IllegalArgumentException("Csv: at least one column is required");
        for (String c : columns) {
            if (c == null || c.isEmpty() || c.contains(",") || c.contains("\"") || c.contains("\n")) {
                throw new IllegalArgumentException("Csv: column name '" + c + "' must be non-empty without commas, quotes or newlines");
            }
        }
        this.columns = columns.clone();
    }

    /** Appends a row; its length must match the header. */
    public Csv row(double... values) {
        if (values.length != columns.length) {
            throw new IllegalArgumentException("Csv: row has " + values.length + " values, header has " + columns.length + " columns");
        }
        rows.add(values.clone());
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /** Column {@code name} as an array (NaN where a row has no value). */
    public double[] column(String name) {
        int c = Arrays.asList(columns).indexOf(name);
        if (c < 0) throw new IllegalArgumentException("Csv: no column '" + name + "' (have " + Arrays.toString(columns) + ")");
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i)[c];
        return out;
    }

    public String render() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(format(r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public void write(Path path) throws IOException {
        AtomicFiles.writeString(path, render());
    }

    static String format(double x) {
        if (Double.isNaN(x)) return "";
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        return Double.toString(x);
    }
}
