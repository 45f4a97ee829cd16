package dev.onelayer.props;

import dev.onelayer.props.harness.Gen;
import java.util.Arrays;

/**
 * Test buffers laid out the way the kernels see them: a rows x cols view at an offset with a
 * leading dimension, inside a larger array whose every other float is a NaN sentinel with a
 * recognisable payload. A kernel that reads outside its view turns its result into NaN (and the
 * float64 check fails); a kernel that writes outside its view changes a sentinel (and
 * {@link #assertOnlyViewChanged} fails).
 */
final class Buffers {

    /** A quiet NaN with a payload no arithmetic produces. */
    static final float SENTINEL = Float.intBitsToFloat(0x7fc0beef);

    private Buffers() {
    }

    /** Array length needed for a rows x cols view at {@code off} with leading dimension ld. */
    static int length(int off, int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? off : off + (rows - 1) * ld + cols;
    }

    /** A rows x cols view (values from {@code d}) at {@code off} with leading dimension ld, plus {@code tail} floats. */
    static float[] matrix(Gen g, Gen.Dist d, int off, int rows, int cols, int ld, int tail) {
        float[] a = new float[length(off, rows, cols, ld) + tail];
        Arrays.fill(a, SENTINEL);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) a[off + i * ld + j] = g.value(d);
        }
        return a;
    }

    /** n values from {@code d} at {@code off}, sentinels before and {@code tail} after. */
    static float[] vector(Gen g, Gen.Dist d, int off, int n, int tail) {
        return matrix(g, d, off, 1, n, n, tail);
    }

    /** Whether element {@code idx} lies inside the rows x cols view. */
    static boolean inView(int idx, int off, int rows, int cols, int ld) {
        if (idx < off || rows == 0 || cols == 0) return false;
        int rel = idx - off;
        int i = rel / ld, j = rel % ld;
        return i < rows && j < cols;
    }

    /** Every float outside the view has the same bits as before the call. */
    static void assertOnlyViewChanged(String what, float[] before, float[] after, int off, int rows, int cols, int ld) {
        for (int idx = 0; idx < after.length; idx++) {
            if (!inView(idx, off, rows, cols, ld)
                    && Float.floatToRawIntBits(before[idx]) != Float.floatToRawIntBits(after[idx])) {
                throw new AssertionError(what + ": wrote outside its output view at index " + idx
                        + " (offset " + off + ", " + rows + "x" + cols + ", ld " + ld + ")");
            }
        }
    }

    /** The array has the same bits as {@code before} (an input the kernel must not modify). */
    static void assertUnchanged(String what, float[] before, float[] after) {
        for (int idx = 0; idx < after.length; idx++) {
            if (Float.floatToRawIntBits(before[idx]) != Float.floatToRawIntBits(after[idx])) {
                throw new AssertionError(what + ": input modified at index " + idx);
            }
        }
    }

    /** Same bits in both arrays. */
    static void assertSameBits(String what, float[] x, float[] y) {
        if (x.length != y.length) throw new AssertionError(what + ": lengths differ");
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                throw new AssertionError(what + ": bits differ at index " + i + ": " + x[i] + " vs " + y[i]);
            }
        }
    }
}
