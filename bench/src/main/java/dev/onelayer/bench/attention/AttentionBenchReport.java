package dev.onelayer.bench.attention;

import dev.onelayer.kernel.LinearAttentionSpec;
import dev.onelayer.kernel.PositionalAttentionSpec;
import dev.onelayer.kernel.ScbReadoutSpec;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every attention benchmark and the FMA peak in one JMH session and writes the markdown
 * tables of bench/ATTENTION.md: microseconds per call, GFLOP/s from the specs' flop counts, the
 * fraction of the FMA peak measured in the same run, the T sweep with time per position of the
 * prefix-state form, and where it overtakes the quadratic form.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.onelayer.bench.attention.AttentionBenchReport [out.md]}.
 * {@code -Dattn.warmup=2 -Dattn.iterations=3 -Dattn.ms=400 -Dattn.forks=1} set the JMH budget.
 */
public final class AttentionBenchReport {

    static final String PKG = "dev.onelayer.bench.attention.";
    static final int[] SWEEP = {64, 128, 256, 512, 1024, 2048, 4096};

    private AttentionBenchReport() {
    }

    /** One measured row: benchmark, method, params, microseconds per op, error. */
    record Row(String bench, String method, Map<String, String> params, double us, double err) {
        String p(String k) {
            return params.getOrDefault(k, "");
        }
    }

    public static void main(String[] args) throws RunnerException, IOException {
        List<Row> rows = new ArrayList<>();
        rows.addAll(run("FmaPeakBenchmark", Map.of()));
        rows.addAll(run("SoftmaxAttentionBenchmark", Map.of("impl", new String[] {"vector", "scalar"},
                "shape", new String[] {"16,1,1024,8,8", "64,1,20,20,20,full", "64,1,50,50,50,full"})));
        rows.addAll(run("LinearAttentionBenchmark", Map.of("impl", new String[] {"vector", "scalar"},
                "form", new String[] {"quadratic", "prefix"}, "shape", new String[] {"1024,64,50,5,5", "1024,64,50,10,10"})));
        rows.addAll(run("PositionalAttentionBenchmark", Map.of()));
        rows.addAll(run("ScbReadoutBenchmark", Map.of()));
        String[] sweep = new String[SWEEP.length];
        for (int i = 0; i < SWEEP.length; i++) sweep[i] = "1,1," + SWEEP[i] + ",8,8";
        rows.addAll(run("LinearAttentionBenchmark", Map.of("impl", new String[] {"vector", "scalar"},
                "form", new String[] {"quadratic", "prefix"}, "shape", sweep)));
        rows.addAll(run("SoftmaxAttentionBenchmark.(forward|backward)$", Map.of("impl", new String[] {"vector", "scalar"}, "shape", sweep)));
        String md = render(rows);
        System.out.println(md);
        if (args.length > 0) Files.writeString(Path.of(args[0]), md);
    }

    private static List<Row> run(String include, Map<String, String[]> params) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(PKG + include)
                .forks(Integer.getInteger("attn.forks", 1))
                .warmupIterations(Integer.getInteger("attn.warmup", 2))
                .measurementIterations(Integer.getInteger("attn.iterations", 3))
                .warmupTime(TimeValue.milliseconds(Integer.getInteger("attn.ms", 400)))
                .measurementTime(TimeValue.milliseconds(Integer.getInteger("attn.ms", 400)))
                .timeUnit(TimeUnit.MICROSECONDS);
        params.forEach(b::param);
        Collection<RunResult> results = new Runner(b.build()).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String cls = label.substring(PKG.length(), label.lastIndexOf('.'));
            String method = label.substring(label.lastIndexOf('.') + 1);
            Map<String, String> ps = new LinkedHashMap<>();
            for (String k : r.getParams().getParamsKeys()) ps.put(k, r.getParams().getParam(k));
            rows.add(new Row(cls, method, ps, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }
        return rows;
    }

    /** Flops of one call of a row's benchmark, from the spec the benchmark builds. */
    static double flops(Row r) {
        switch (r.bench()) {
            case "FmaPeakBenchmark":
                return FmaPeakBenchmark.FLOPS;
            case "SoftmaxAttentionBenchmark": {
                SoftmaxAttentionSpec s = SoftmaxAttentionBenchmark.spec(r.p("shape"));
                double f = s.forwardFlops(), bw = s.backwardFlops();
                return r.method().equals("forward") ? f : r.method().equals("backward") ? bw : f + bw;
            }
            case "LinearAttentionBenchmark": {
                int[] d = AttentionImpl.shape(r.p("shape"));
                LinearAttentionSpec s = LinearAttentionSpec.causal(d[0], d[1], d[2], d[3], d[4]);
                boolean prefix = r.p("form").equals("prefix"), fwd = r.method().equals("forward");
                return prefix ? (fwd ? s.prefixFlops() : s.prefixBackwardFlops()) : (fwd ? s.quadraticFlops() : s.quadraticBackwardFlops());
            }
            case "PositionalAttentionBenchmark": {
                int[] d = AttentionImpl.shape(r.p("shape"));
                PositionalAttentionSpec s = new PositionalAttentionSpec(d[0], d[1], d[2], d[3], d[4]);
                return r.method().equals("forward") ? s.forwardFlops() : s.backwardFlops();
            }
            case "ScbReadoutBenchmark": {
                int[] d = AttentionImpl.shape(r.p("shape"));
                ScbReadoutSpec s = new ScbReadoutSpec(d[0], d[1], d[2]);
                return r.method().equals("forward") ? s.forwardFlops() : s.backwardFlops();
            }
            default:
                throw new IllegalArgumentException(r.bench());
        }
    }

    static double gflops(Row r) {
        return flops(r) / (r.us() * 1e3);
    }

    private static Row find(List<Row> rows, String bench, String method, String impl, String form, String shape) {
        for (Row r : rows) {
            if (r.bench().equals(bench) && r.method().equals(method) && r.p("impl").equals(impl)
                    && r.p("form").equals(form) && r.p("shape").equals(shape)) return r;
        }
        return null;
    }

    static String render(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        Row peak = rows.stream().filter(r -> r.bench().equals("FmaPeakBenchmark")).findFirst().orElseThrow();
        double peakGf = gflops(peak);
        sb.append(String.format(Locale.ROOT, "FMA peak measured in this run (one core, %d-bit lanes, 12 FMA chains): **%.1f GFLOP/s**.%n%n",
                FmaPeakBenchmark.F.vectorBitSize(), peakGf));
        sb.append("| form | shape | pass | impl | µs/call (± err) | GFLOP/s | % of FMA peak | vector speed-up |\n");
        sb.append("|---|---|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            if (r.bench().equals("FmaPeakBenchmark") || isSweep(r)) continue;
            String form = r.bench().replace("Benchmark", "") + (r.p("form").isEmpty() ? "" : " (" + r.p("form") + ")");
            Row scalar = r.p("impl").equals("vector") ? find(rows, r.bench(), r.method(), "scalar", r.p("form"), r.p("shape")) : null;
            String speed = scalar == null ? "" : String.format(Locale.ROOT, "%.1f×", scalar.us() / r.us());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f (± %.1f) | %.2f | %.1f%% | %s |%n", form, r.p("shape"),
                    r.method(), r.p("impl"), r.us(), r.err(), gflops(r), 100 * gflops(r) / peakGf, speed));
        }
        sb.append("\n### T sweep (B = 1, H = 1, dk = dv = 8)\n\n");
        sb.append("| T | pass | impl | quadratic µs | prefix µs | prefix ns per position | softmax µs | softmax GFLOP/s (% peak) |\n");
        sb.append("|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (String method : new String[] {"forward", "backward"}) {
            for (String impl : new String[] {"vector", "scalar"}) {
                for (int T : SWEEP) {
                    String shape = "1,1," + T + ",8,8";
                    Row q = find(rows, "LinearAttentionBenchmark", method, impl, "quadratic", shape);
                    Row p = find(rows, "LinearAttentionBenchmark", method, impl, "prefix", shape);
                    Row s = find(rows, "SoftmaxAttentionBenchmark", method, impl, "", shape);
                    if (q == null || p == null || s == null) continue;
                    sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f (%.1f%%) |%n", T, method, impl,
                            q.us(), p.us(), 1e3 * p.us() / T, s.us(), gflops(s), 100 * gflops(s) / peakGf));
                }
            }
        }
        sb.append('\n');
        for (String method : new String[] {"forward", "backward"}) {
            for (String impl : new String[] {"vector", "scalar"}) {
                double lo = Double.MAX_VALUE, hi = 0;
                Integer cross = null;
                for (int T : SWEEP) {
                    String shape = "1,1," + T + ",8,8";
                    Row q = find(rows, "LinearAttentionBenchmark", method, impl, "quadratic", shape);
                    Row p = find(rows, "LinearAttentionBenchmark", method, impl, "prefix", shape);
                    if (q == null || p == null) continue;
                    if (T >= 256) {
                        lo = Math.min(lo, p.us() / T);
                        hi = Math.max(hi, p.us() / T);
                    }
                    if (cross == null && p.us() < q.us()) cross = T;
                }
                if (hi == 0) continue;
                sb.append(String.format(Locale.ROOT, "- %s %s: prefix-state time/T from T = 256 to 4096 varies by %.0f%% (max/min - 1); "
                        + "it is faster than the quadratic form from T = %s on.%n", impl, method, 100 * (hi / lo - 1),
                        cross == null ? "(never in the sweep)" : cross.toString()));
            }
        }
        return sb.toString();
    }

    private static boolean isSweep(Row r) {
        String s = r.p("shape");
        return s.startsWith("1,1,") && s.endsWith(",8,8");
    }
}
