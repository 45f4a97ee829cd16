package dev.onelayer.model.core;

import java.nio.charset.StandardCharsets;

/**
 * A seeded, splittable pseudo-random stream (xoshiro256** seeded through SplitMix64).
 *
 * <p>A run owns one root seed and derives one named stream per purpose ({@code init}, {@code data},
 * {@code dropout}, ...) with {@link #stream(long, String)}; each stream depends only on the seed and
 * its name, so adding a consumer of one stream never shifts the numbers another stream produces.
 * The whole state (four words plus the cached second Box–Muller normal) is {@link #state()} and
 * can be restored with {@link #fromState(long[])}, which is what a checkpoint stores.
 *
 * <p>Transcendental functions go through {@link StrictMath} so a seed gives the same bits on every
 * JVM and JIT tier.
 */
public final class Rng {

    /** Length of the array returned by {@link #state()}. */
    public static final int STATE_LENGTH = 6;

    private long s0, s1, s2, s3;
    private boolean hasSpare;
    private double spare;

    private Rng(long s0, long s1, long s2, long s3) {
        if ((s0 | s1 | s2 | s3) == 0) s0 = 0x9E3779B97F4A7C15L; // xoshiro must not be all-zero
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /** A stream seeded from {@code seed} alone. */
    public static Rng seeded(long seed) {
        long[] sm = {seed};
        return new Rng(splitMix(sm), splitMix(sm), splitMix(sm), splitMix(sm));
    }

    /**
     * The stream named {@code purpose} of the run seeded with {@code seed}: independent of every
     * other name, and the same on every call.
     */
    public static Rng stream(long seed, String purpose) {
        if (purpose == null) throw new IllegalArgumentException("Rng.stream: purpose is null");
        long h = 0xCBF29CE484222325L; // FNV-1a over UTF-8, then mixed with the seed by SplitMix64
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001B3L;
        }
        long[] sm = {seed ^ mix64(h)};
        return new Rng(splitMix(sm), splitMix(sm), splitMix(sm), splitMix(sm));
    }

    /**
     * A new independent stream drawn from this one (advances this stream by four words), for
     * example one per chunk or per experiment repetition.
     */
    public Rng split() {
        long[] sm = {nextLong()};
        long a = splitMix(sm) ^ nextLong();
        long b = splitMix(sm) ^ nextLong();
        long c = splitMix(sm) ^ nextLong();
        long d = splitMix(sm);
        return new Rng(a, b, c, d);
    }

    /** The full state: restoring it with {@link #fromState} continues with exactly the same bits. */
    public long[] state() {
        return new long[]{s0, s1, s2, s3, hasSpare ? 1L : 0L, Double.doubleToRawLongBits(spare)};
    }

    /** Restores a state written by {@link #state()}. */
    public static Rng fromState(long[] state) {
        if (state == null || state.length != STATE_LENGTH) {
            throw new IllegalArgumentException("Rng.fromState: expected " + STATE_LENGTH + " words, got "
                    + (state == null ? "null" : String.valueOf(state.length)));
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng.fromState: all-zero generator state is invalid");
        }
        if (state[4] != 0 && state[4] != 1) {
            throw new IllegalArgumentException("Rng.fromState: spare flag " + state[4] + " is not 0 or 1");
        }
        Rng r = new Rng(state[0], state[1], state[2], state[3]);
        r.hasSpare = state[4] == 1;
        r.spare = Double.longBitsToDouble(state[5]);
        return r;
    }

    /** Copies another stream's state into this one. */
    public void setState(long[] state) {
        Rng r = fromState(state);
        s0 = r.s0;
        s1 = r.s1;
        s2 = r.s2;
        s3 = r.s3;
        hasSpare = r.hasSpare;
        spare = r.spare;
    }

    /** 64 uniformly random bits (xoshiro256**). */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("Rng.uniform: lo=" + lo + " > hi=" + hi);
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform integer in [0, bound), unbiased (Lemire's rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Rng.nextInt: bound=" + bound + " must be positive");
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal (polar Box–Muller; the second value is cached and part of the state). */
    public double normal() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    /** Normal with the given mean and standard deviation. */
    public double normal(double mean, double std) {
        if (!(std >= 0)) throw new IllegalArgumentException("Rng.normal: std=" + std + " must be >= 0");
        return mean + std * normal();
    }

    /** Fills {@code out[off..off+n)} with N(mean, std²) samples rounded to float. */
    public void fillNormal(float[] out, int off, int n, double mean, double std) {
        checkRange("fillNormal", out == null ? -1 : out.length, off, n);
        for (int i = 0; i < n; i++) out[off + i] = (float) normal(mean, std);
    }

    /** Fills {@code out[off..off+n)} with U[lo, hi) samples rounded to float. */
    public void fillUniform(float[] out, int off, int n, double lo, double hi) {
        checkRange("fillUniform", out == null ? -1 : out.length, off, n);
        for (int i = 0; i < n; i++) out[off + i] = (float) uniform(lo, hi);
    }

    /**
     * An index drawn with probability {@code p[i] / sum(p)}; weights must be finite and
     * non-negative with a positive sum.
     */
    public int categorical(double[] p) {
        if (p == null || p.length == 0) throw new IllegalArgumentException("Rng.categorical: empty probability vector");
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
                throw new IllegalArgumentException("Rng.categorical: p[" + i + "]=" + p[i] + " is not a finite non-negative weight");
            }
            total += p[i];
        }
        if (!(total > 0)) throw new IllegalArgumentException("Rng.categorical: weights sum to " + total);
        double u = nextDouble() * total, acc = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) last = i;
            acc += p[i];
            if (u < acc) return i;
        }
        return last; // u landed in the rounding gap at the top
    }

    /** Float-weight version of {@link #categorical(double[])} reading {@code p[off..off+n)}. */
    public int categorical(float[] p, int off, int n) {
        checkRange("categorical", p == null ? -1 : p.length, off, n);
        if (n == 0) throw new IllegalArgumentException("Rng.categorical: empty probability vector");
        double total = 0;
        for (int i = 0; i < n; i++) {
            float w = p[off + i];
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException("Rng.categorical: p[" + i + "]=" + w + " is not a finite non-negative weight");
            }
            total += w;
        }
        if (!(total > 0)) throw new IllegalArgumentException("Rng.categorical: weights sum to " + total);
        double u = nextDouble() * total, acc = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (p[off + i] > 0) last = i;
            acc += p[off + i];
            if (u < acc) return i;
        }
        return last;
    }

    /** Gamma(shape, 1) by Marsaglia–Tsang (2000), with the shape &lt; 1 boost {@code G·U^{1/a}}. */
    public double gamma(double shape) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("Rng.gamma: shape=" + shape + " must be finite and positive");
        }
        if (shape < 1) {
            double u = nextDouble();
            while (u == 0) u = nextDouble();
            return gamma(shape + 1) * StrictMath.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (u > 0 && StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) return d * v;
        }
    }

    /** A point of the simplex drawn from Dirichlet(alpha): normalised independent Gammas. */
    public double[] dirichlet(double[] alpha) {
        if (alpha == null || alpha.length == 0) throw new IllegalArgumentException("Rng.dirichlet: empty alpha");
        double[] g = new double[alpha.length];
        double total = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (!(alpha[i] > 0) || Double.isInfinite(alpha[i])) {
                throw new IllegalArgumentException("Rng.dirichlet: alpha[" + i + "]=" + alpha[i] + " must be finite and positive");
            }
            g[i] = gamma(alpha[i]);
            total += g[i];
        }
        if (total == 0) { // every Gamma underflowed (tiny alphas): the limit puts all mass on one vertex
            g[nextInt(g.length)] = 1;
            return g;
        }
        for (int i = 0; i < g.length; i++) g[i] /= total;
        return g;
    }

    /** Symmetric Dirichlet(alpha, ..., alpha) over {@code k} categories. */
    public double[] dirichlet(int k, double alpha) {
        if (k <= 0) throw new IllegalArgumentException("Rng.dirichlet: k=" + k + " must be positive");
        double[] a = new double[k];
        java.util.Arrays.fill(a, alpha);
        return dirichlet(a);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates). */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("Rng.permutation: n=" + n + " is negative");
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * A Haar-distributed n x n orthogonal matrix, row-major in float64: Q from the Householder QR
     * of a Gaussian matrix, with column j multiplied by sign(R_jj) so the law is exactly Haar
     * (Mezzadri 2007, "How to generate random matrices from the classical compact groups").
     */
    public double[] haarOrthogonal(int n) {
        if (n <= 0) throw new IllegalArgumentException("Rng.haarOrthogonal: n=" + n + " must be positive");
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) a[i] = normal();
        return Householder.orthogonalFactorSignFixed(a, n);
    }

    /** {@link #haarOrthogonal(int)} rounded to float. */
    public float[] haarOrthogonalFloat(int n) {
        double[] q = haarOrthogonal(n);
        float[] f = new float[q.length];
        for (int i = 0; i < q.length; i++) f[i] = (float) q[i];
        return f;
    }

    private static void checkRange(String what, int length, int off, int n) {
        if (length < 0) throw new IllegalArgumentException("Rng." + what + ": output array is null");
        if (n < 0 || off < 0 || (long) off + n > length) {
            throw new IllegalArgumentException("Rng." + what + ": range [" + off + ", " + ((long) off + n)
                    + ") does not fit an array of " + length);
        }
    }

    private static long splitMix(long[] x) {
        x[0] += 0x9E3779B97F4A7C15L;
        return mix64(x[0]);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
