package dev.onelayer.props.harness;

import java.util.SplittableRandom;

/**
 * Seeded generator of dimensions and values for one property case. Everything a case uses comes
 * from its seed, so printing the seed is enough to replay it.
 */
public final class Gen {

    /** Value distributions the kernels must survive. */
    public enum Dist {
        /** U(-1, 1). */
        UNIFORM,
        /** N(0, 1). */
        NORMAL,
        /** sign * 2^U(-20, 20): twelve orders of magnitude in one array. */
        WIDE,
        /** N(0, 1) with about a third of the entries exactly 0. */
        SPARSE
    }

    private static final int[] SMALL = {0, 1, 2, 3, 5, 7, 8, 13, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 97, 127, 128, 129};

    private final SplittableRandom rng;

    public Gen(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** A dimension in [0, max]: often an edge size (0, 1, primes, multiples of 16 and their neighbours). */
    public int dim(int max) {
        if (max <= 0) return 0;
        int pick = rng.nextInt(10);
        if (pick < 5) {
            int v;
            do {
                v = SMALL[rng.nextInt(SMALL.length)];
            } while (v > max);
            return v;
        }
        if (pick < 7) {
            int m16 = 16 * (1 + rng.nextInt(Math.max(1, max / 16)));
            int v = m16 + rng.nextInt(3) - 1;
            return Math.max(0, Math.min(max, v));
        }
        return rng.nextInt(max + 1);
    }

    /** A dimension in [min, max]. */
    public int dim(int min, int max) {
        return min + dim(max - min);
    }

    public int nextInt(int bound) {
        return rng.nextInt(bound);
    }

    public boolean nextBoolean() {
        return rng.nextBoolean();
    }

    public double nextDouble() {
        return rng.nextDouble();
    }

    /** A random distribution. */
    public Dist dist() {
        Dist[] all = Dist.values();
        return all[rng.nextInt(all.length)];
    }

    /** One value from {@code d}. */
    public float value(Dist d) {
        switch (d) {
            case UNIFORM:
                return (float) (2 * rng.nextDouble() - 1);
            case NORMAL:
                return (float) gaussian();
            case WIDE:
                return (float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(2, 40 * rng.nextDouble() - 20));
            case SPARSE:
                return rng.nextInt(3) == 0 ? 0f : (float) gaussian();
            default:
                throw new AssertionError(d);
        }
    }

    /** An array of n values from a randomly chosen distribution. */
    public float[] array(int n) {
        return array(n, dist());
    }

    /** An array of n values from {@code d}. */
    public float[] array(int n, Dist d) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = value(d);
        return a;
    }

    /** A scalar coefficient: 0, 1, -1 or a random one (the BLAS special cases matter). */
    public float coefficient() {
        switch (rng.nextInt(5)) {
            case 0:
                return 0f;
            case 1:
                return 1f;
            case 2:
                return -1f;
            default:
                return (float) (4 * rng.nextDouble() - 2);
        }
    }

    private double gaussian() {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
