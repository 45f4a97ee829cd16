package dev.onelayer.model.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable parameters of a model: named tensors laid out back to back in one flat
 * {@code float[]} ({@link #values()}), with a gradient buffer of the same layout ({@link #grads()}).
 *
 * <p>One flat buffer keeps optimizers, clipping, checkpoints and finite-difference checks simple
 * (a single loop over all parameters) while each {@link Param} view gives the model its tensor as
 * {@code (buffer, offset, shape)}, the form the kernels take.
 *
 * <p>Declare every parameter with {@link #add} first (initialisers may run in between); the first
 * call that hands out a buffer ({@link #values()}, {@link #grads()}) freezes the layout, so a
 * reference a model keeps to the buffer never goes stale.
 */
public final class Params {

    /** Group of parameters that receive weight decay (the default). */
    public static final String DECAY = "decay";
    /** Group of parameters exempt from weight decay (biases, gains, positional tables...). */
    public static final String NO_DECAY = "no_decay";

    private final List<Param> list = new ArrayList<>();
    private final Map<String, Param> byName = new LinkedHashMap<>();
    private float[] values = new float[0];
    private float[] grads = new float[0];
    private boolean frozen;

    /** Declares a parameter in the {@link #DECAY} group. */
    public Param add(String name, int... shape) {
        return add(name, DECAY, shape);
    }

    /** Declares a parameter of the given shape (all dimensions positive) in {@code group}. */
    public Param add(String name, String group, int... shape) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("Params.add: name is empty");
        if (group == null || group.isEmpty()) throw new IllegalArgumentException("Params.add: group of '" + name + "' is empty");
        if (frozen) {
            throw new IllegalStateException("Params.add: cannot add '" + name
                    + "' after the buffers were handed out; declare all parameters first");
        }
        if (byName.containsKey(name)) throw new IllegalArgumentException("Params.add: duplicate parameter name '" + name + "'");
        if (shape == null || shape.length == 0) throw new IllegalArgumentException("Params.add: '" + name + "' has no shape");
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] <= 0) {
                throw new IllegalArgumentException("Params.add: '" + name + "' has dimension " + i + " = " + shape[i]
                        + " in shape " + Arrays.toString(shape) + "; dimensions must be positive");
            }
            size *= shape[i];
        }
        long total = values.length + size;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Params.add: '" + name + "' " + Arrays.toString(shape)
                    + " would make " + total + " parameters, more than one float[] holds");
        }
        Param p = new Param(this, name, group, shape.clone(), values.length, (int) size);
        values = Arrays.copyOf(values, (int) total);
        grads = Arrays.copyOf(grads, (int) total);
        list.add(p);
        byName.put(name, p);
        return p;
    }

    /** The flat parameter buffer (freezes the layout). */
    public float[] values() {
        frozen = true;
        return values;
    }

    /** The flat gradient buffer, same layout as {@link #values()} (freezes the layout). */
    public float[] grads() {
        frozen = true;
        return grads;
    }

    /** The value buffer without freezing the layout, for initialisers (which survive later adds). */
    float[] rawValues() {
        return values;
    }

    /** Total number of scalars. */
    public int size() {
        return values.length;
    }

    /** Number of named parameters. */
    public int count() {
        return list.size();
    }

    /** The parameter called {@code name}. */
    public Param get(String name) {
        Param p = byName.get(name);
        if (p == null) throw new IllegalArgumentException("Params: no parameter named '" + name + "' (have " + byName.keySet() + ")");
        return p;
    }

    /** Whether a parameter called {@code name} exists. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The k-th parameter in declaration order (allocation-free, for hot loops). */
    public Param param(int k) {
        if (k < 0 || k >= list.size()) throw new IllegalArgumentException("Params.param: index " + k + " outside [0, " + list.size() + ")");
        return list.get(k);
    }

    /** All parameters in declaration (= memory) order. */
    public List<Param> list() {
        return Collections.unmodifiableList(list);
    }

    /** The parameter that owns flat index {@code i} (binary search over offsets). */
    public Param owner(int i) {
        if (i < 0 || i >= values.length) throw new IllegalArgumentException("Params.owner: index " + i + " outside [0, " + values.length + ")");
        int lo = 0, hi = list.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (list.get(mid).offset() <= i) lo = mid;
            else hi = mid - 1;
        }
        return list.get(lo);
    }

    /** Sets every gradient to zero. */
    public void zeroGrads() {
        frozen = true;
        Arrays.fill(grads, 0f);
    }

    /** Copies all values from {@code other}, which must have the same names, shapes and order. */
    public void copyValuesFrom(Params other) {
        requireSameLayout("copyValuesFrom", other);
        frozen = true;
        System.arraycopy(other.values, 0, values, 0, values.length);
    }

    /** A new Params with the same layout and groups, values copied, gradients zero. */
    public Params copy() {
        Params c = new Params();
        for (Param p : list) c.add(p.name(), p.group(), p.shape());
        System.arraycopy(values, 0, c.values(), 0, values.length);
        return c;
    }

    /**
     * Throws unless {@code other} has exactly this layout (names, groups, shapes, order); the
     * message names the first difference.
     */
    public void requireSameLayout(String what, Params other) {
        if (other == null) throw new IllegalArgumentException(what + ": other params are null");
        if (other.list.size() != list.size()) {
            throw new IllegalArgumentException(what + ": " + other.list.size() + " parameters " + other.byName.keySet()
                    + " but expected " + list.size() + " " + byName.keySet());
        }
        for (int k = 0; k < list.size(); k++) {
            Param a = list.get(k), b = other.list.get(k);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.shape(), b.shape()) || !a.group().equals(b.group())) {
                throw new IllegalArgumentException(what + ": parameter " + k + " is " + b.describe() + " but expected " + a.describe());
            }
        }
    }

    /** Index of the first non-finite value in {@code buffer} (same layout), or -1. */
    public static int firstNonFinite(float[] buffer) {
        for (int i = 0; i < buffer.length; i++) if (!Float.isFinite(buffer[i])) return i;
        return -1;
    }

    /** "W[2,3]"-style label of flat index {@code i}. */
    public String label(int i) {
        Param p = owner(i);
        return p.name() + Arrays.toString(p.unravel(i - p.offset())).replace(" ", "");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Params[" + values.length + " scalars:");
        for (Param p : list) sb.append(' ').append(p.describe());
        return sb.append(']').toString();
    }
}
