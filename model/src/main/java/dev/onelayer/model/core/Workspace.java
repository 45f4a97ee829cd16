package dev.onelayer.model.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch buffers a forward pass saves for its backward, keyed by name and allocated once per
 * size: after the first step (warm-up) a training step asks for the same names and sizes and gets
 * the same arrays back, so it allocates nothing. A request with a new size replaces the buffer.
 *
 * <p>Not thread-safe: each chunk of a parallel step owns its own workspace.
 */
public final class Workspace {

    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, double[]> doubles = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();
    private long allocations;

    /** A float buffer of exactly {@code size} elements named {@code name} (contents are whatever the last user left). */
    public float[] floats(String name, int size) {
        checkSize(name, size);
        float[] a = floats.get(name);
        if (a == null || a.length != size) {
            a = new float[size];
            floats.put(name, a);
            allocations++;
        }
        return a;
    }

    /** Like {@link #floats} but zero-filled. */
    public float[] zeroedFloats(String name, int size) {
        float[] a = floats(name, size);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    /** A double buffer of exactly {@code size} elements. */
    public double[] doubles(String name, int size) {
        checkSize(name, size);
        double[] a = doubles.get(name);
        if (a == null || a.length != size) {
            a = new double[size];
            doubles.put(name, a);
            allocations++;
        }
        return a;
    }

    /** An int buffer of exactly {@code size} elements. */
    public int[] ints(String name, int size) {
        checkSize(name, size);
        int[] a = ints.get(name);
        if (a == null || a.length != size) {
            a = new int[size];
            ints.put(name, a);
            allocations++;
        }
        return a;
    }

    /** The float buffer last returned under {@code name}; throws if the forward never saved it. */
    public float[] saved(String name) {
        float[] a = floats.get(name);
        if (a == null) throw new IllegalStateException("Workspace: nothing saved under '" + name + "'; run forward first");
        return a;
    }

    /** How many arrays this workspace has allocated so far (constant after warm-up). */
    public long allocations() {
        return allocations;
    }

    private static void checkSize(String name, int size) {
        if (name == null) throw new IllegalArgumentException("Workspace: buffer name is null");
        if (size < 0) throw new IllegalArgumentException("Workspace: buffer '" + name + "' size " + size + " is negative");
    }
}
