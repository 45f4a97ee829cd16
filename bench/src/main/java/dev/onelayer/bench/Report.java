package dev.onelayer.bench;

import dev.onelayer.bench.dense.Level12Bench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's {@code -rf json} output into a Markdown table: per benchmark and shape, the vector
 * and scalar rates, their ratio, and the vector rate as a fraction of the FMA peak
 * ({@code FmaPeakBench}) measured in the same run.
 *
 * <p>Work per call: GEMM 2 m n k FLOPs, dot/axpy 2n, gemv and reluGemv(Gate) 2 m n; softmaxRows(Backward) and gelu are
 * reported in elements per second (Gelem/s), which are not comparable with the FMA peak.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.onelayer.bench.Report result.json [title]}
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Report <jmh-result.json> [title]");
            System.exit(2);
        }
        Object root = Json.parse(Files.readString(Path.of(args[0])));
        if (!(root instanceof List)) throw new IllegalArgumentException("not a JMH JSON result array: " + args[0]);
        System.out.print(render((List<?>) root, args.length > 1 ? args[1] : null));
    }

    /** One measured rate: units of work per second (x 1e9) and its relative error. */
    private static final class Rate {
        double giga;
        double relErr;
    }

    /** Row key -> impl -> rate; row key is "name|shape|unit". */
    static String render(List<?> results, String title) {
        double peak = Double.NaN;
        String jvm = "";
        Map<String, Map<String, Rate>> rows = new LinkedHashMap<>();
        for (Object o : results) {
            Map<?, ?> r = (Map<?, ?>) o;
            String bench = (String) r.get("benchmark");
            String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            Map<?, ?> params = r.get("params") instanceof Map ? (Map<?, ?>) r.get("params") : Map.of();
            if (jvm.isEmpty() && r.get("vmVersion") != null) jvm = r.get("jdkVersion") + " (" + r.get("vmName") + " " + r.get("vmVersion") + ")";
            if (shortName.equals("FmaPeakBench.fma")) {
                Map<?, ?> sec = (Map<?, ?>) r.get("secondaryMetrics");
                Map<?, ?> flops = (Map<?, ?>) sec.get("flops");
                peak = num(flops.get("score")) * perSecond((String) flops.get("scoreUnit")) / 1e9;
                continue;
            }
            Map<?, ?> pm = (Map<?, ?>) r.get("primaryMetric");
            double score = num(pm.get("score"));
            double err = num(pm.get("scoreError"));
            String unit = (String) pm.get("scoreUnit");
            if (!unit.endsWith("/op")) throw new IllegalArgumentException("expected a time per op for " + bench + ", got " + unit);
            double secondsPerOp = score * secondsOf(unit.substring(0, unit.length() - 3));
            String[] shapeWork = work(shortName, params);
            Rate rate = new Rate();
            rate.giga = Double.parseDouble(shapeWork[1]) / secondsPerOp / 1e9;
            rate.relErr = Double.isNaN(err) ? Double.NaN : err / score;
            String impl = String.valueOf(params.get("impl"));
            rows.computeIfAbsent(shortName + "|" + shapeWork[0] + "|" + shapeWork[2], key -> new LinkedHashMap<>()).put(impl, rate);
        }
        StringBuilder b = new StringBuilder();
        if (title != null) b.append("### ").append(title).append("\n\n");
        if (!jvm.isEmpty()) b.append("JVM: ").append(jvm).append("\n\n");
        b.append(String.format(Locale.ROOT, "FMA peak (FmaPeakBench, 1 core): **%.1f GFLOP/s**%n%n", peak));
        b.append("| benchmark | shape | unit | vector | scalar | vector/scalar | vector / FMA peak |\n");
        b.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Rate>> e : rows.entrySet()) {
            String[] k = e.getKey().split("\\|");
            Rate v = e.getValue().get("vector"), s = e.getValue().get("scalar");
            b.append("| ").append(k[0]).append(" | ").append(k[1]).append(" | ").append(k[2]).append(" | ")
                    .append(fmt(v)).append(" | ").append(fmt(s)).append(" | ")
                    .append(v != null && s != null ? String.format(Locale.ROOT, "%.1fx", v.giga / s.giga) : "-").append(" | ")
                    .append(v != null && k[2].equals("GFLOP/s") && !Double.isNaN(peak)
                            ? String.format(Locale.ROOT, "%.0f%%", 100 * v.giga / peak) : "-")
                    .append(" |\n");
        }
        b.append("\nRates are means over forks x iterations; ± is JMH's 99.9% confidence half-width, relative.\n");
        return b.toString();
    }

    /** {shape label, work per call, unit} for a benchmark. */
    private static String[] work(String name, Map<?, ?> params) {
        switch (name) {
            case "GemmBench.gemm": {
                String shape = (String) params.get("shape");
                String[] d = shape.split("x");
                double w = 2.0 * Long.parseLong(d[0]) * Long.parseLong(d[1]) * Long.parseLong(d[2]);
                return new String[] {shape + " " + params.get("trans"), Double.toString(w), "GFLOP/s"};
            }
            case "GemmLargeBench.gemmNN": {
                long n = Long.parseLong((String) params.get("size"));
                return new String[] {n + "x" + n + "x" + n + " NN", Double.toString(2.0 * n * n * n), "GFLOP/s"};
            }
            case "Level12Bench.dot":
            case "Level12Bench.axpy":
                return new String[] {"n=" + Level12Bench.N, Double.toString(2.0 * Level12Bench.N), "GFLOP/s"};
            case "Level12Bench.gemvN":
            case "Level12Bench.gemvT":
            case "Level12Bench.reluGemv":
            case "Level12Bench.reluGemvGate":
                return new String[] {Level12Bench.GEMV + "x" + Level12Bench.GEMV,
                        Double.toString(2.0 * Level12Bench.GEMV * Level12Bench.GEMV), "GFLOP/s"};
            case "Level12Bench.softmaxRows":
            case "Level12Bench.softmaxRowsBackward":
                return new String[] {Level12Bench.SOFTMAX + "x" + Level12Bench.SOFTMAX,
                        Double.toString((double) Level12Bench.SOFTMAX * Level12Bench.SOFTMAX), "Gelem/s"};
            case "Level12Bench.gelu":
                return new String[] {"n=" + Level12Bench.GELU, Double.toString(Level12Bench.GELU), "Gelem/s"};
            default:
                throw new IllegalArgumentException("no work count known for benchmark " + name);
        }
    }

    private static String fmt(Rate r) {
        if (r == null) return "-";
        String e = Double.isNaN(r.relErr) ? "" : String.format(Locale.ROOT, " ±%.0f%%", 100 * r.relErr);
        return String.format(Locale.ROOT, r.giga >= 10 ? "%.1f" : "%.2f", r.giga) + e;
    }

    private static double num(Object o) {
        if (o instanceof Double) return (Double) o;
        if (o instanceof String) return Double.parseDouble((String) o); // JMH writes "NaN"
        throw new IllegalArgumentException("not a number: " + o);
    }

    private static double secondsOf(String u) {
        switch (u) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1;
            default: throw new IllegalArgumentException("unknown time unit " + u);
        }
    }

    /** Multiplier from "ops/<unit>" to ops per second. */
    private static double perSecond(String unit) {
        return 1 / secondsOf(unit.substring(unit.indexOf('/') + 1));
    }
}
