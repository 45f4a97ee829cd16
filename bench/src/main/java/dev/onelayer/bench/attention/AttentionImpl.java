package dev.onelayer.bench.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.ScalarAttentionOps;

/** The implementation a benchmark parameter names ("vector" or "scalar"), regardless of the facade's choice. */
final class AttentionImpl {

    private AttentionImpl() {
    }

    static AttentionOps of(String name) {
        switch (name) {
            case "scalar":
                return new ScalarAttentionOps();
            case "vector":
                return KernelProvider.vectorImplementation(AttentionOps.class, "dev.onelayer.kernel.vector.VectorAttentionOps")
                        .orElseThrow(() -> new IllegalStateException("vector implementation unavailable (--add-modules jdk.incubator.vector?)"));
            default:
                throw new IllegalArgumentException("impl must be vector or scalar, not " + name);
        }
    }

    /** Deterministic pseudo-random fill in [-1, 1) (benchmarks need values, not statistics). */
    static float[] fill(int n, long seed) {
        float[] a = new float[n];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            a[i] = (float) ((x >>> 40) / (double) (1L << 24) * 2 - 1);
        }
        return a;
    }

    /** Parses "B,H,T,dk,dv". */
    static int[] shape(String s) {
        String[] p = s.split(",");
        int[] d = new int[p.length];
        for (int i = 0; i < p.length; i++) d[i] = Integer.parseInt(p[i].trim());
        return d;
    }
}
