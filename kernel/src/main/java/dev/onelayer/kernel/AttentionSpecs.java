package dev.onelayer.kernel;

/** Shared validation of the attention spec records (package-private helpers). */
final class AttentionSpecs {

    static final int KEY_BLOCK = AttentionOps.KEY_BLOCK;

    private AttentionSpecs() {
    }

    static void dims(String kernel, String[] names, int... values) {
        for (int i = 0; i < values.length; i++) Checks.nonNegative(kernel, names[i], values[i]);
    }

    /** Product of dims as a float count, refusing anything that does not fit a Java array. */
    static int floats(String kernel, String what, long... factors) {
        long n = 1;
        for (long f : factors) {
            n *= f;
            if (n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(kernel + ": " + what + " would need more than 2^31 floats");
            }
        }
        return (int) n;
    }

    /** Workspace of the quadratic and softmax kernels: transposed K, V, dK, dV, two key blocks, rows. */
    static int blockedWorkspace(String kernel, int seqLen, int dk, int dv) {
        long n = 2L * seqLen * (dk + dv) + 2L * KEY_BLOCK + 4L * (dk + dv) + 3L * dk * dv + 16;
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException(kernel + ": workspace would need more than 2^31 floats");
        return (int) n;
    }
}
