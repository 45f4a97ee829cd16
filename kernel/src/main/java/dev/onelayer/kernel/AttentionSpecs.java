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

    /**
     * Leading dimension of a transposed [d][T] copy: T rounded up to 16 floats plus 16, so that
     * consecutive rows are never a multiple of 4 KiB apart (rows that alias one L1 set evict each
     * other when a kernel streams 2d of them at once).
     */
    static int transposedLd(int seqLen) {
        return AttentionOps.transposedLd(seqLen);
    }

    /** Workspace of the quadratic and softmax kernels: transposed K, V, dK, dV, two key blocks, rows. */
    static int blockedWorkspace(String kernel, int seqLen, int dk, int dv) {
        long n = 2L * transposedLd(seqLen) * (dk + dv) + 2L * KEY_BLOCK + 4L * (dk + dv) + 3L * dk * dv + 80;
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException(kernel + ": workspace would need more than 2^31 floats");
        return (int) n;
    }
}
