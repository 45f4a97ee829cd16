package dev.onelayer.bench.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The single-threaded training steps timed by CPU time as well as wall time, outside JMH: on a
 * machine shared with other jobs, the wall time of a step mostly measures how much of a core the
 * process got, while the benchmark thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime})
 * stays close to what the step costs. {@code bench/pytorch/common.py} records the process CPU time
 * of the (one-thread) PyTorch step the same way, so the two can be compared.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *       dev.onelayer.bench.train.CpuTimeHarness scb-PPPD [warmupSeconds runSeconds runs]
 * </pre>
 * Prints one JSON object: the case, the median wall and CPU seconds per step over the runs, and
 * their ranges. Cases: {@code scb-<algorithm>}, {@code icar-<shape>-t1}, {@code markov-t1}, {@code lowrank-t1}.
 */
public final class CpuTimeHarness {

    private CpuTimeHarness() {
    }

    public static void main(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("usage: CpuTimeHarness CASE [warmupSeconds runSeconds runs]");
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        double runSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 1;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Runnable step = step(args[0]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isCurrentThreadCpuTimeSupported()) throw new IllegalStateException("thread CPU time is not supported by this JVM");

        long t0 = System.nanoTime();
        int n = 0;
        while (n < 3 || System.nanoTime() - t0 < warmup * 1e9) {
            step.run();
            n++;
        }
        double per = (System.nanoTime() - t0) / 1e9 / n;
        int k = (int) Math.max(1, Math.round(runSeconds / per));
        double[] wall = new double[runs], cpu = new double[runs];
        for (int r = 0; r < runs; r++) {
            long w = System.nanoTime(), c = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < k; i++) step.run();
            cpu[r] = (mx.getCurrentThreadCpuTime() - c) / 1e9 / k;
            wall[r] = (System.nanoTime() - w) / 1e9 / k;
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"case\": \"%s\", \"wall_seconds_per_step\": %.6g, \"cpu_seconds_per_step\": %.6g, "
                        + "\"wall_min\": %.6g, \"wall_max\": %.6g, \"cpu_min\": %.6g, \"cpu_max\": %.6g, \"steps_per_run\": %d, "
                        + "\"runs\": %d, \"warmup_steps\": %d, \"java\": \"%s\"}",
                args[0], median(wall), median(cpu), min(wall), max(wall), min(cpu), max(cpu), k, runs, n,
                System.getProperty("java.version")));
    }

    /** The step of a benchmark state, set up as JMH would with the case's parameters. */
    static Runnable step(String name) {
        if (name.startsWith("scb-")) {
            ScbStepBenchmark b = new ScbStepBenchmark();
            b.algorithm = name.substring(4);
            b.setup();
            return b::step;
        }
        if (name.startsWith("icar-") && name.endsWith("-t1")) {
            IcarStepBenchmark b = new IcarStepBenchmark();
            b.shape = name.substring(5, name.length() - 3);
            b.threads = 1;
            b.setup();
            return b::step;
        }
        if (name.startsWith("general-") && name.endsWith("-t1")) {
            GeneralAttentionStepBenchmark b = new GeneralAttentionStepBenchmark();
            b.model = name.substring(8, name.length() - 3);
            b.threads = 1;
            b.setup();
            return b::step;
        }
        if (name.equals("markov-t1")) {
            MarkovStepBenchmark b = new MarkovStepBenchmark();
            b.threads = 1;
            b.tied = false;
            b.setup();
            return b::step;
        }
        if (name.equals("lowrank-t1")) {
            LowRankStepBenchmark b = new LowRankStepBenchmark();
            b.threads = 1;
            b.setup();
            return b::step;
        }
        throw new IllegalArgumentException("CpuTimeHarness: unknown or multi-threaded case " + name);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }

    private static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }
}
