package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Rng;

/**
 * The generator of {@link PatternTaskConfig}: draws M orthonormal patterns (the first M rows of a
 * Haar orthogonal matrix), then a fixed balanced training set and test set. Pattern j of the
 * notes' mu_{j+1} is {@link #pattern(int)}; patterns 0..k-1 are label-relevant for y = +1,
 * k..2k-1 for y = -1, the rest label-irrelevant.
 *
 * <p>Streams: patterns from {@code (seed, "task")}, the training set from {@code (seed, "data")},
 * the test set from {@code (seed, "eval")}, so changing n_test never changes the training set.
 */
public final class PatternTask {

    private final PatternTaskConfig config;
    private final float[] patterns; // [M][d]
    private final PatternData train, test;

    public PatternTask(PatternTaskConfig config, long seed) {
        if (config == null) throw new IllegalArgumentException("PatternTask: config is null");
        this.config = config;
        int d = config.d(), mCount = config.patterns();
        float[] q = Rng.stream(seed, Rng.TASK).haarOrthogonalFloat(d);
        patterns = new float[mCount * d];
        System.arraycopy(q, 0, patterns, 0, mCount * d);
        train = sample(config.nTrain(), Rng.stream(seed, Rng.DATA));
        test = sample(config.nTest(), Rng.stream(seed, Rng.EVAL));
    }

    public PatternTaskConfig config() {
        return config;
    }

    public PatternData train() {
        return train;
    }

    public PatternData test() {
        return test;
    }

    /** All patterns, row-major [M][d] (a copy). */
    public float[] patterns() {
        return patterns.clone();
    }

    /** Pattern j (0-based) as a new array of length d. */
    public float[] pattern(int j) {
        if (j < 0 || j >= config.patterns()) throw new IllegalArgumentException("PatternTask.pattern: j=" + j + " outside [0, " + config.patterns() + ")");
        float[] p = new float[config.d()];
        System.arraycopy(patterns, j * config.d(), p, 0, config.d());
        return p;
    }

    /** The class (+1 / -1) a pattern is relevant for, or 0 for an irrelevant pattern. */
    public int classOf(int patternIndex) {
        int k = config.relevantPerClass();
        if (patternIndex < k) return 1;
        if (patternIndex < 2 * k) return -1;
        return 0;
    }

    /** The label-relevant patterns (2k of them) as columns of a d x 2k row-major float64 matrix. */
    public double[] relevantBasis() {
        int d = config.d(), r = 2 * config.relevantPerClass();
        double[] b = new double[d * r];
        for (int j = 0; j < r; j++) for (int t = 0; t < d; t++) b[t * r + j] = patterns[j * d + t];
        return b;
    }

    /** Majority vote of a sample's tokens: +1 if more class-+1 than class--1 tokens, else -1 (ties -1). */
    public int vote(int[] pattern, int off) {
        int plus = 0, minus = 0;
        for (int l = 0; l < config.seqLen(); l++) {
            int c = classOf(pattern[off + l]);
            if (c > 0) plus++;
            else if (c < 0) minus++;
        }
        return plus > minus ? 1 : -1;
    }

    private PatternData sample(int n, Rng rng) {
        int d = config.d(), len = config.seqLen(), k = config.relevantPerClass(), mCount = config.patterns();
        float[] x = new float[n * len * d];
        int[] y = new int[n], pat = new int[n * len];
        int lo = config.minRelevant(), hi = config.maxRelevant();
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            int label = i % 2 == 0 ? 1 : -1;
            y[i] = label;
            int nRel = lo + rng.nextInt(hi - lo + 1);
            int confCap = Math.min(nRel - 1, (int) Math.floor(config.confusionRatio() * nRel));
            int nConf = rng.nextInt(Math.max(0, confCap) + 1);
            nConf = Math.min(nConf, len - nRel);
            int own = label > 0 ? 0 : k, other = label > 0 ? k : 0;
            int[] tokens = new int[len];
            for (int t = 0; t < len; t++) {
                if (t < nRel) tokens[t] = own + rng.nextInt(k);
                else if (t < nRel + nConf) tokens[t] = other + rng.nextInt(k);
                else tokens[t] = 2 * k + rng.nextInt(mCount - 2 * k);
            }
            int[] perm = rng.permutation(len);
            for (int l = 0; l < len; l++) {
                int p = tokens[perm[l]];
                pat[i * len + l] = p;
                int base = (i * len + l) * d;
                // Noise of norm tau*U[0,1] in a uniform direction: bounded by tau as the notes require.
                double norm2 = 0;
                for (int t = 0; t < d; t++) {
                    g[t] = rng.normal();
                    norm2 += g[t] * g[t];
                }
                double s = norm2 > 0 ? config.tau() * rng.nextDouble() / Math.sqrt(norm2) : 0;
                for (int t = 0; t < d; t++) x[base + t] = (float) (patterns[p * d + t] + s * g[t]);
            }
        }
        return new PatternData(n, len, d, x, y, pat);
    }
}
