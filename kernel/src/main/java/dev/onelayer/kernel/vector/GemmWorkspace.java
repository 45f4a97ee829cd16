package dev.onelayer.kernel.vector;

/**
 * Per-thread packing buffers for {@link VectorGemm}: grown on demand to the largest block seen,
 * then reused, so GEMM allocates nothing per call after warm-up. Per thread because callers may
 * run GEMMs concurrently (e.g. from {@code Parallel}).
 */
final class GemmWorkspace {

    private static final ThreadLocal<GemmWorkspace> LOCAL = ThreadLocal.withInitial(GemmWorkspace::new);

    /** Packed op(A) block: up to MC (rounded up to MR) x KC. */
    float[] a = new float[0];
    /** Packed op(B) block: up to NC (rounded up to NR) x KC. */
    float[] b = new float[0];
    /** Scratch register tile for edge blocks. */
    final float[] tile = new float[VectorGemm.MR * VectorGemm.NR];

    private GemmWorkspace() {
    }

    /** This thread's workspace, with room for an mc x kc block of A and a kc x nc block of B. */
    static GemmWorkspace get(int mc, int nc, int kc) {
        GemmWorkspace ws = LOCAL.get();
        int needA = roundUp(mc, VectorGemm.MR) * kc;
        int needB = roundUp(nc, VectorGemm.NR) * kc;
        if (ws.a.length < needA) ws.a = new float[needA];
        if (ws.b.length < needB) ws.b = new float[needB];
        return ws;
    }

    /** This thread's scratch array of MR x NR (at least 4L) floats, for lane spills. */
    static float[] scratch() {
        return LOCAL.get().tile;
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }
}
