package dev.onelayer.cli;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.ScalarDenseOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code onelayer bench-quick}: a ~10 second sanity check that the kernels run at a plausible
 * speed (GEMM 256³ and dot 1024, implementation in use vs scalar, each after a warm-up). Wall
 * clock over repeated calls, no forking, no statistics: the JMH suite in {@code bench/} is the
 * real measurement.
 */
@Command(name = "bench-quick", mixinStandardHelpOptions = true, description = "~10 s kernel sanity benchmark: GEMM 256^3 and dot 1024, in-use vs scalar.")
final class BenchQuick implements Runnable {

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "Total time budget in seconds, split over the 4 measurements (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Spec
    CommandSpec spec;

    /** Keeps results alive so the JIT cannot drop the measured calls. */
    static volatile float sink;

    @Override
    public void run() {
        if (!(seconds > 0) || seconds > 600) throw new UsageException("--seconds must be in (0, 600], got " + seconds);
        PrintWriter out = spec.commandLine().getOut();
        DenseOps inUse = Kernels.implementation();
        DenseOps scalar = new ScalarDenseOps();
        // Each measurement: 40% warm-up (C2 compiles the loops), 60% timed.
        long perNanos = (long) (seconds * 1e9 / 4);
        int n = 256, len = 1024;
        SplittableRandom rnd = new SplittableRandom(42);
        float[] a = random(rnd, n * n), b = random(rnd, n * n), c = new float[n * n];
        float[] x = random(rnd, len), y = random(rnd, len);
        double gemmFlops = 2.0 * n * n * n, dotFlops = 2.0 * len;

        out.printf(Locale.ROOT, "in use: %s; budget %.1f s%n", inUse.name(), seconds);
        double gIn = measure(perNanos, gemmFlops, () -> inUse.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
        double gSc = measure(perNanos, gemmFlops, () -> scalar.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
        sink += c[n * n - 1];
        // A dot of 1024 takes ~100 ns, close to the cost of reading the clock: time 256 per call.
        int reps = 256;
        double dIn = measure(perNanos, reps * dotFlops, () -> sink += dots(inUse, reps, len, x, y));
        double dSc = measure(perNanos, reps * dotFlops, () -> sink += dots(scalar, reps, len, x, y));
        out.printf(Locale.ROOT, "%-14s %12s %12s %8s%n", "kernel", inUse.name() + " GF/s", "scalar GF/s", "ratio");
        out.printf(Locale.ROOT, "%-14s %12.2f %12.2f %7.2fx%n", "gemm 256^3", gIn, gSc, gIn / gSc);
        out.printf(Locale.ROOT, "%-14s %12.2f %12.2f %7.2fx%n", "dot 1024", dIn, dSc, dIn / dSc);
        if (inUse instanceof ScalarDenseOps) {
            out.println("note: the scalar implementation is in use; run with --add-modules jdk.incubator.vector for SIMD");
        }
        out.flush();
    }

    /** GFLOP/s of {@code body} over the timed part of {@code budgetNanos}, after the warm-up part. */
    private static double measure(long budgetNanos, double flopsPerCall, Runnable body) {
        long warmEnd = System.nanoTime() + budgetNanos * 2 / 5;
        while (System.nanoTime() < warmEnd) body.run();
        long start = System.nanoTime(), end = start + budgetNanos * 3 / 5;
        long calls = 0, now;
        do {
            body.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return calls * flopsPerCall / (now - start);
    }

    private static float dots(DenseOps ops, int reps, int len, float[] x, float[] y) {
        float s = 0;
        for (int r = 0; r < reps; r++) s += ops.dot(len, x, 0, y, 0);
        return s;
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return v;
    }
}
