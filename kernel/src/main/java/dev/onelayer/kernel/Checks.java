package dev.onelayer.kernel;

/**
 * Argument checks shared by the facades. Each failure is an {@link IllegalArgumentException}
 * whose message names the kernel, the operand and the dimension that does not fit, so that bad
 * arguments never surface as an {@code ArrayIndexOutOfBoundsException} from inside a kernel.
 */
public final class Checks {

    private Checks() {
    }

    /** Requires {@code value >= 0}. */
    public static void nonNegative(String kernel, String name, int value) {
        if (value < 0) throw new IllegalArgumentException(kernel + ": " + name + "=" + value + " is negative");
    }

    /** Requires a finite scalar argument. */
    public static void finite(String kernel, String name, float value) {
        if (!Float.isFinite(value)) throw new IllegalArgumentException(kernel + ": " + name + "=" + value + " is not finite");
    }

    /** Requires a finite scalar argument above 0. */
    public static void positive(String kernel, String name, float value) {
        if (!(value > 0) || value == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(kernel + ": " + name + "=" + value + " must be finite and > 0");
        }
    }

    /** Requires a scalar argument in [0, 1) (a decay rate such as Adam's beta). */
    public static void unitInterval(String kernel, String name, float value) {
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException(kernel + ": " + name + "=" + value + " must be in [0, 1)");
    }

    /**
     * Requires that a rows x cols matrix with leading dimension ld starting at off fits in the
     * array: {@code ld >= cols} and the last element is inside.
     */
    public static void matrix(String kernel, String name, float[] array, int off, int rows, int cols, int ld) {
        if (array == null) throw new IllegalArgumentException(kernel + ": " + name + " is null");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(kernel + ": " + name + " is " + rows + "x" + cols + " (negative dimension)");
        }
        if (ld < Math.max(cols, 1) && rows > 1) {
            throw new IllegalArgumentException(kernel + ": " + name + " is " + rows + "x" + cols
                    + " but its leading dimension ld=" + ld + " < " + cols);
        }
        if (off < 0) throw new IllegalArgumentException(kernel + ": " + name + " offset " + off + " is negative");
        if (rows == 0 || cols == 0) {
            if (off > array.length) {
                throw new IllegalArgumentException(kernel + ": " + name + " offset " + off + " is past its length " + array.length);
            }
            return;
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (last > array.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " is " + rows + "x" + cols + " (ld=" + ld
                    + ", offset=" + off + ") and needs " + last + " floats, but its array has " + array.length);
        }
    }

    /**
     * Whether {@link #matrix} would accept these arguments. Callers whose label is built by string
     * concatenation test this first and build the label (and call {@code matrix}, which throws)
     * only when it fails: the hot small-GEMM callers then allocate nothing per call.
     */
    public static boolean fits(float[] array, int off, int rows, int cols, int ld) {
        if (array == null || rows < 0 || cols < 0 || off < 0) return false;
        if (ld < Math.max(cols, 1) && rows > 1) return false;
        if (rows == 0 || cols == 0) return off <= array.length;
        return (long) off + (long) (rows - 1) * ld + cols <= array.length;
    }

    /** Requires that n consecutive floats starting at off fit in the array. */
    public static void vector(String kernel, String name, float[] array, int off, int n) {
        if (array == null) throw new IllegalArgumentException(kernel + ": " + name + " is null");
        if (n < 0) throw new IllegalArgumentException(kernel + ": n=" + n + " is negative");
        if (off < 0) throw new IllegalArgumentException(kernel + ": " + name + " offset " + off + " is negative");
        if ((long) off + n > array.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs " + n + " floats from offset " + off
                    + ", but its array has " + array.length);
        }
    }

    /** Requires that an output range does not overlap an input range in the same array. */
    public static void disjoint(String kernel, String out, float[] o, int oOff, long oLen,
                                String in, float[] i, int iOff, long iLen) {
        if (o == i && oLen > 0 && iLen > 0 && oOff < iOff + iLen && iOff < oOff + oLen) {
            throw new IllegalArgumentException(kernel + ": output " + out + " overlaps input " + in);
        }
    }

    /** Number of floats spanned by a rows x cols matrix with leading dimension ld. */
    static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }
}
