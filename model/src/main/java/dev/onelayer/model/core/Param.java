package dev.onelayer.model.core;

import java.util.Arrays;

/**
 * A named view {@code (buffer, offset, shape)} into {@link Params}: the tensor a model reads with
 * the kernels, its gradient at the same offset of {@link Params#grads()}, and initialisers.
 */
public final class Param {

    private final Params owner;
    private final String name;
    private final String group;
    private final int[] shape;
    private final int offset;
    private final int size;

    Param(Params owner, String name, String group, int[] shape, int offset, int size) {
        this.owner = owner;
        this.name = name;
        this.group = group;
        this.shape = shape;
        this.offset = offset;
        this.size = size;
    }

    public String name() {
        return name;
    }

    /** Optimizer group, e.g. {@link Params#DECAY} or {@link Params#NO_DECAY}. */
    public String group() {
        return group;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}. */
    public int dim(int i) {
        if (i < 0 || i >= shape.length) throw new IllegalArgumentException(name + ": no dimension " + i + " in shape " + Arrays.toString(shape));
        return shape[i];
    }

    /** Rows of a 2-D parameter. */
    public int rows() {
        requireRank(2, "rows");
        return shape[0];
    }

    /** Columns of a 2-D parameter (also its leading dimension). */
    public int cols() {
        requireRank(2, "cols");
        return shape[1];
    }

    /** Offset of element 0 in the flat buffers. */
    public int offset() {
        return offset;
    }

    /** Number of scalars. */
    public int size() {
        return size;
    }

    /** The flat value buffer this view points into. */
    public float[] values() {
        return owner.values();
    }

    /** The flat gradient buffer this view points into. */
    public float[] grads() {
        return owner.grads();
    }

    /** Value at flat index {@code i} within this parameter. */
    public float get(int i) {
        checkIndex(i);
        return owner.rawValues()[offset + i];
    }

    /** Sets the value at flat index {@code i} within this parameter. */
    public void set(int i, float v) {
        checkIndex(i);
        owner.rawValues()[offset + i] = v;
    }

    /** Value at row {@code r}, column {@code c} of a 2-D parameter. */
    public float get(int r, int c) {
        requireRank(2, "get(r, c)");
        if (r < 0 || r >= shape[0] || c < 0 || c >= shape[1]) {
            throw new IllegalArgumentException(name + ": (" + r + ", " + c + ") outside " + shape[0] + "x" + shape[1]);
        }
        return owner.rawValues()[offset + r * shape[1] + c];
    }

    /** A copy of the values. */
    public float[] copyValues() {
        return Arrays.copyOfRange(owner.rawValues(), offset, offset + size);
    }

    /** A copy of the gradient. */
    public float[] copyGrads() {
        return Arrays.copyOfRange(owner.grads(), offset, offset + size);
    }

    /** Multi-index of flat position {@code i} (row-major). */
    public int[] unravel(int i) {
        checkIndex(i);
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return idx;
    }

    // ---- initialisers (each returns this so declarations read as one line) ----

    /** Entries i.i.d. N(mean, std²). */
    public Param normal(Rng rng, double mean, double std) {
        requireRng(rng);
        rng.fillNormal(owner.rawValues(), offset, size, mean, std);
        return this;
    }

    /** Entries i.i.d. N(0, std²). */
    public Param normal(Rng rng, double std) {
        return normal(rng, 0, std);
    }

    /** Entries i.i.d. U[lo, hi). */
    public Param uniform(Rng rng, double lo, double hi) {
        requireRng(rng);
        rng.fillUniform(owner.rawValues(), offset, size, lo, hi);
        return this;
    }

    /** All zeros. */
    public Param zeros() {
        return fill(0f);
    }

    /** All entries equal to {@code v}. */
    public Param fill(float v) {
        Arrays.fill(owner.rawValues(), offset, offset + size, v);
        return this;
    }

    /** Identity for a 2-D parameter (ones on the main diagonal of a possibly rectangular matrix). */
    public Param identity() {
        requireRank(2, "identity");
        zeros();
        float[] v = owner.rawValues();
        for (int i = 0; i < Math.min(shape[0], shape[1]); i++) v[offset + i * shape[1] + i] = 1f;
        return this;
    }

    /** Copies {@code src} (exactly {@link #size()} floats, row-major) into this parameter. */
    public Param from(float[] src) {
        if (src == null) throw new IllegalArgumentException(name + ": source array is null");
        if (src.length != size) {
            throw new IllegalArgumentException(name + ": source has " + src.length + " floats but shape "
                    + Arrays.toString(shape) + " needs " + size);
        }
        System.arraycopy(src, 0, owner.rawValues(), offset, size);
        return this;
    }

    /** Copies {@code src} rounded to float (exactly {@link #size()} values, row-major). */
    public Param from(double[] src) {
        if (src == null) throw new IllegalArgumentException(name + ": source array is null");
        if (src.length != size) {
            throw new IllegalArgumentException(name + ": source has " + src.length + " values but shape "
                    + Arrays.toString(shape) + " needs " + size);
        }
        float[] v = owner.rawValues();
        for (int i = 0; i < size; i++) v[offset + i] = (float) src[i];
        return this;
    }

    /** "name[shape] (group)". */
    public String describe() {
        return name + Arrays.toString(shape).replace(" ", "") + "(" + group + ")";
    }

    @Override
    public String toString() {
        return describe() + "@" + offset;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IllegalArgumentException(name + ": index " + i + " outside [0, " + size + ")");
    }

    private void requireRank(int r, String what) {
        if (shape.length != r) {
            throw new IllegalArgumentException(name + ": " + what + " needs a " + r + "-D parameter but shape is " + Arrays.toString(shape));
        }
    }

    private void requireRng(Rng rng) {
        if (rng == null) throw new IllegalArgumentException(name + ": rng is null");
    }
}
