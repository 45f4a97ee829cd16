package dev.onelayer.props.harness;

import java.util.Arrays;

/**
 * A small seeded property harness on plain JUnit Jupiter.
 *
 * <p>{@link #forAll} runs a property on {@link #CASES} generated cases. Each case has a seed
 * (derived from the property name and case index, so runs are reproducible) from which the
 * dimensions and the values are drawn. On failure the harness shrinks by halving one dimension at
 * a time (regenerating values from the same seed) while the property keeps failing, then fails
 * with the seed, the original and the shrunk dimensions, and the system property that replays
 * exactly that case: {@code -Donelayer.prop.seed=SEED:d1,d2,...}.
 */
public final class Harness {

    /** Cases per property ({@code -Donelayer.prop.cases}, default 200). */
    public static final int CASES = Integer.getInteger("onelayer.prop.cases", 200);

    private static final String REPLAY = System.getProperty("onelayer.prop.seed", "").trim();

    /** Draws the dimensions of one case. */
    @FunctionalInterface
    public interface Dims {
        int[] draw(Gen g);
    }

    /** Checks one case; throws (an assertion or any exception) when the property does not hold. */
    @FunctionalInterface
    public interface Body {
        void check(int[] dims, Gen g) throws Throwable;
    }

    private Harness() {
    }

    /** Runs {@code body} on {@link #CASES} cases with dimensions from {@code dims}. */
    public static void forAll(String property, Dims dims, Body body) {
        forAll(property, CASES, dims, body);
    }

    /** Runs {@code body} on {@code cases} cases with dimensions from {@code dims}. */
    public static void forAll(String property, int cases, Dims dims, Body body) {
        if (!REPLAY.isEmpty()) {
            replay(property, body);
            return;
        }
        long base = mix(property.hashCode() * 0x9E3779B97F4A7C15L);
        for (int i = 0; i < cases; i++) {
            long seed = mix(base + i);
            int[] d = dims.draw(new Gen(seed));
            Throwable failure = run(body, d, seed);
            if (failure != null) fail(property, seed, d, body, failure);
        }
    }

    private static void replay(String property, Body body) {
        String[] parts = REPLAY.split(":", 2);
        long seed = Long.parseLong(parts[0]);
        int[] d = parts.length > 1 && !parts[1].isEmpty()
                ? Arrays.stream(parts[1].split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray()
                : new int[0];
        Throwable failure = run(body, d, seed);
        if (failure != null) fail(property, seed, d, body, failure);
    }

    private static Throwable run(Body body, int[] dims, long seed) {
        try {
            body.check(dims.clone(), new Gen(mix(seed ^ 0x5DEECE66DL)));
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void fail(String property, long seed, int[] dims, Body body, Throwable failure) {
        int[] small = dims.clone();
        Throwable smallFailure = failure;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int j = 0; j < small.length; j++) {
                if (small[j] == 0) continue;
                int[] tryDims = small.clone();
                tryDims[j] = small[j] / 2;
                Throwable t = run(body, tryDims, seed);
                if (t != null) {
                    small = tryDims;
                    smallFailure = t;
                    progress = true;
                }
            }
        }
        String replay = seed + ":" + join(small);
        AssertionError e = new AssertionError(property + " failed: seed " + seed + ", dims " + Arrays.toString(dims)
                + ", shrunk to dims " + Arrays.toString(small) + "; replay with -Donelayer.prop.seed=" + replay
                + "\n  cause: " + smallFailure, smallFailure);
        throw e;
    }

    private static String join(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(d[i]);
        }
        return sb.toString();
    }

    /** SplitMix64 finaliser: spreads nearby seeds apart. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
