package dev.onelayer.model.core;

import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: a dtype, a C-order shape and a flat
 * Java array ({@code float[]}, {@code double[]}, {@code int[]} or {@code long[]}).
 */
public final class NpyArray {

    /** The little-endian dtypes we read and write, with their NumPy {@code descr}. */
    public enum DType {
        FLOAT32("<f4", 4), FLOAT64("<f8", 8), INT32("<i4", 4), INT64("<i8", 8);

        private final String descr;
        private final int bytes;

        DType(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        /** NumPy's type string, e.g. {@code "<f4"}. */
        public String descr() {
            return descr;
        }

        public int bytes() {
            return bytes;
        }

        /** The dtype for a descr, or null. */
        static DType ofDescr(String d) {
            for (DType t : values()) if (t.descr.equals(d)) return t;
            return null;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private NpyArray(DType dtype, int[] shape, Object data, int length) {
        long size = checkedSize(shape);
        if (size != length) {
            throw new IllegalArgumentException("NpyArray: shape " + Arrays.toString(shape) + " holds " + size + " elements but the data has " + length);
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** Number of elements a shape holds; throws on negative dimensions or overflow. */
    static long checkedSize(int[] shape) {
        if (shape == null) throw new IllegalArgumentException("NpyArray: shape is null");
        long size = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("NpyArray: negative dimension in shape " + Arrays.toString(shape));
            size *= d;
            if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("NpyArray: shape " + Arrays.toString(shape) + " is too large for one Java array");
        }
        return size;
    }

    public static NpyArray of(float[] data, int... shape) {
        return new NpyArray(DType.FLOAT32, shape, nonNull(data), data.length);
    }

    public static NpyArray of(double[] data, int... shape) {
        return new NpyArray(DType.FLOAT64, shape, nonNull(data), data.length);
    }

    public static NpyArray of(int[] data, int... shape) {
        return new NpyArray(DType.INT32, shape, nonNull(data), data.length);
    }

    public static NpyArray of(long[] data, int... shape) {
        return new NpyArray(DType.INT64, shape, nonNull(data), data.length);
    }

    private static <T> T nonNull(T t) {
        if (t == null) throw new IllegalArgumentException("NpyArray: data is null");
        return t;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape ({@code []} for a 0-d scalar). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return (int) checkedSize(shape);
    }

    /** The float32 data (not a copy); throws if the dtype differs. */
    public float[] floats() {
        require(DType.FLOAT32);
        return (float[]) data;
    }

    /** The float64 data (not a copy); throws if the dtype differs. */
    public double[] doubles() {
        require(DType.FLOAT64);
        return (double[]) data;
    }

    /** The int32 data (not a copy); throws if the dtype differs. */
    public int[] ints() {
        require(DType.INT32);
        return (int[]) data;
    }

    /** The int64 data (not a copy); throws if the dtype differs. */
    public long[] longs() {
        require(DType.INT64);
        return (long[]) data;
    }

    /** The data converted to float64 whatever the dtype (exact except int64 beyond 2^53). */
    public double[] toDoubles() {
        double[] out = new double[size()];
        switch (dtype) {
            case FLOAT32: { float[] a = (float[]) data; for (int i = 0; i < a.length; i++) out[i] = a[i]; break; }
            case FLOAT64: System.arraycopy(data, 0, out, 0, out.length); break;
            case INT32: { int[] a = (int[]) data; for (int i = 0; i < a.length; i++) out[i] = a[i]; break; }
            default: { long[] a = (long[]) data; for (int i = 0; i < a.length; i++) out[i] = a[i]; break; }
        }
        return out;
    }

    /** The data rounded to float32 whatever the dtype. */
    public float[] toFloats() {
        if (dtype == DType.FLOAT32) return ((float[]) data).clone();
        double[] d = toDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    Object data() {
        return data;
    }

    private void require(DType t) {
        if (dtype != t) throw new IllegalArgumentException("NpyArray: array has dtype " + dtype + " (" + dtype.descr + "), not " + t);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.descr + " " + Arrays.toString(shape) + "]";
    }
}
