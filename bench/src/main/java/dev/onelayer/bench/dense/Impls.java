package dev.onelayer.bench.dense;

import dev.onelayer.kernel.DenseOps;
import dev.onelayer.kernel.KernelProvider;
import dev.onelayer.kernel.ScalarDenseOps;

/** The two implementations every benchmark compares, selected by a JMH {@code impl} parameter. */
final class Impls {

    static final String VECTOR_CLASS = "dev.onelayer.kernel.vector.VectorDenseOps";

    private Impls() {
    }

    /** "vector" (fails loudly if the Vector API is unusable in this JVM) or "scalar". */
    static DenseOps of(String impl) {
        switch (impl) {
            case "scalar":
                return new ScalarDenseOps();
            case "vector":
                return KernelProvider.vectorImplementation(DenseOps.class, VECTOR_CLASS)
                        .orElseThrow(() -> new IllegalStateException("vector kernels unavailable: " + KernelProvider.reason()));
            default:
                throw new IllegalArgumentException("impl must be vector or scalar, got " + impl);
        }
    }

    /** Deterministic inputs in [-1, 1). */
    static float[] random(long seed, int len) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return v;
    }
}
