package dev.onelayer.cli.scb;

import dev.onelayer.cli.io.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measured figures next to what the paper (or the thresholds, or the notes' independent
 * implementation) claims. {@code gap} is measured minus the claimed number (a bound or the notes'
 * figure; NaN when the claim is not a number); {@code holds} says whether the claim holds
 * (null for figures given for comparison only).
 */
final class ClaimTable {

    record Row(String quantity, String measured, String claim, double gap, Boolean holds, String source) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** measured &lt; bound. */
    ClaimTable below(String quantity, double measured, double bound, String source) {
        return add(quantity, num(measured), "< " + num(bound), measured - bound, measured < bound, source);
    }

    /** measured &gt; bound (or &gt;= with {@code orEqual}). */
    ClaimTable above(String quantity, double measured, double bound, boolean orEqual, String source) {
        boolean ok = orEqual ? measured >= bound : measured > bound;
        return add(quantity, num(measured), (orEqual ? ">= " : "> ") + num(bound), measured - bound, ok, source);
    }

    /** lo &lt;= measured &lt;= hi; gap against the reference figure {@code ref} (NaN: none). */
    ClaimTable within(String quantity, double measured, double lo, double hi, double ref, String source) {
        String claim = "in [" + num(lo) + ", " + num(hi) + "]" + (Double.isNaN(ref) ? "" : ", notes " + num(ref));
        return add(quantity, num(measured), claim, measured - ref, measured >= lo && measured <= hi, source);
    }

    /** A figure next to a reference figure, no verdict. */
    ClaimTable compare(String quantity, double measured, double ref, String source) {
        return add(quantity, num(measured), "notes " + num(ref), measured - ref, null, source);
    }

    /** A yes/no claim, or any text. */
    ClaimTable fact(String quantity, String measured, String claim, Boolean holds, String source) {
        return add(quantity, measured, claim, Double.NaN, holds, source);
    }

    ClaimTable add(String quantity, String measured, String claim, double gap, Boolean holds, String source) {
        rows.add(new Row(quantity, measured, claim, gap, holds, source));
        return this;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Claims with a verdict that fails. */
    long failures() {
        return rows.stream().filter(r -> Boolean.FALSE.equals(r.holds())).count();
    }

    List<Map<String, Object>> json() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = Json.object();
            m.put("quantity", r.quantity());
            m.put("measured", r.measured());
            m.put("claim", r.claim());
            m.put("gap", r.gap());
            m.put("holds", r.holds());
            m.put("source", r.source());
            out.add(m);
        }
        return out;
    }

    /** A fixed-width table: quantity | measured | claim | gap | holds | source. */
    String render() {
        String[] head = {"quantity", "measured", "claim", "gap", "holds", "source"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.quantity(), r.measured(), r.claim(), Double.isNaN(r.gap()) ? "-" : signed(r.gap()),
                    r.holds() == null ? "-" : r.holds() ? "yes" : "NO", r.source()});
        }
        int[] w = new int[head.length];
        for (String[] c : cells) for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] c = cells.get(k);
            for (int i = 0; i < c.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(c[i]);
                if (i < c.length - 1) sb.append(" ".repeat(w[i] - c[i].length()));
            }
            sb.append('\n');
            if (k == 0) {
                for (int i = 0; i < w.length; i++) sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    void print(PrintWriter out) {
        out.print(render());
        out.flush();
    }

    /** Four significant digits, integers without a fraction. */
    static String num(double x) {
        if (Double.isNaN(x)) return "n/a";
        if (Double.isInfinite(x)) return x > 0 ? "not reached" : "-inf";
        if (x == Math.rint(x) && Math.abs(x) < 1e9) return Long.toString((long) x);
        String s = String.format(Locale.ROOT, "%.4g", x);
        if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    static String signed(double x) {
        String s = num(x);
        return x > 0 && Double.isFinite(x) ? "+" + s : s;
    }
}
