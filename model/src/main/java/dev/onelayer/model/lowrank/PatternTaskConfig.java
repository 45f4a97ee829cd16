package dev.onelayer.model.lowrank;

/**
 * The data of Li et al. 2024 (notes {@code shared/papers/lowrank.md} sections 1 and "Validated
 * settings"): M orthonormal patterns in R^d, of which {@code k} per class are label-relevant
 * (mu_1..mu_k for y = +1, mu_{k+1}..mu_{2k} for y = -1) and M - 2k label-irrelevant; a sample is L
 * tokens, each a pattern plus noise of norm at most tau.
 *
 * <p>Per sample of class y: {@code nRel ~ U{lo..hi}} label-relevant tokens with
 * {@code lo = max(1, round((alphaStar - alphaSpread) L))}, {@code hi = min(L, round((alphaStar +
 * alphaSpread) L))}; {@code nConf ~ U{0..min(nRel - 1, floor(confusionRatio nRel))}} confusion
 * tokens (the other class's patterns), so the majority vote always equals y; the rest are drawn
 * uniformly from the irrelevant patterns. Positions are shuffled.
 *
 * @param d              token dimension (at least M)
 * @param patterns       M, number of patterns (more than 2k when any token is irrelevant)
 * @param seqLen         L, tokens per sample
 * @param relevantPerClass k, label-relevant patterns per class (1 in the paper)
 * @param alphaStar      mean fraction of label-relevant tokens (notes: 0.3)
 * @param alphaSpread    half-width of the uniform range of that fraction (0.1)
 * @param confusionRatio cap of confusion tokens as a multiple of nRel (1.0: any count below nRel)
 * @param tau            noise norm bound; the norm is tau*U[0,1] in a uniform random direction
 * @param nTrain         fixed training set size (balanced: even index +1, odd -1)
 * @param nTest          fixed test set size (balanced the same way)
 */
public record PatternTaskConfig(int d, int patterns, int seqLen, int relevantPerClass, double alphaStar,
                                double alphaSpread, double confusionRatio, double tau, int nTrain, int nTest) {

    public PatternTaskConfig {
        String k = "PatternTaskConfig";
        if (relevantPerClass < 1) throw new IllegalArgumentException(k + ": relevantPerClass=" + relevantPerClass + " must be >= 1");
        if (patterns < 2 * relevantPerClass) {
            throw new IllegalArgumentException(k + ": patterns=" + patterns + " must be >= 2*relevantPerClass=" + 2 * relevantPerClass);
        }
        if (d < patterns) throw new IllegalArgumentException(k + ": d=" + d + " must be >= patterns=" + patterns + " (orthonormal patterns)");
        if (seqLen < 1) throw new IllegalArgumentException(k + ": seqLen=" + seqLen + " must be >= 1");
        if (!(alphaStar > 0 && alphaStar <= 1)) throw new IllegalArgumentException(k + ": alphaStar=" + alphaStar + " must be in (0, 1]");
        if (!(alphaSpread >= 0 && alphaSpread < 1)) throw new IllegalArgumentException(k + ": alphaSpread=" + alphaSpread + " must be in [0, 1)");
        if (!(confusionRatio >= 0 && confusionRatio <= 1)) {
            throw new IllegalArgumentException(k + ": confusionRatio=" + confusionRatio + " must be in [0, 1]");
        }
        if (!(tau >= 0 && tau < 0.5)) throw new IllegalArgumentException(k + ": tau=" + tau + " must be in [0, 0.5) so tokens identify their pattern");
        if (nTrain < 2 || nTest < 2) throw new IllegalArgumentException(k + ": nTrain=" + nTrain + " and nTest=" + nTest + " must be >= 2");
        if (maxRelevant(alphaStar, alphaSpread, seqLen) < 1) {
            throw new IllegalArgumentException(k + ": alphaStar=" + alphaStar + " gives no label-relevant token at L=" + seqLen);
        }
        if (patterns == 2 * relevantPerClass && minRelevant(alphaStar, alphaSpread, seqLen) < seqLen) {
            throw new IllegalArgumentException(k + ": no irrelevant pattern (patterns=2k) but samples need irrelevant tokens");
        }
    }

    /** The CI-sized setting "T" of the validated notes: d 16, M 8, L 16, n 1000/1000. */
    public static PatternTaskConfig small() {
        return new PatternTaskConfig(16, 8, 16, 1, 0.3, 0.1, 1.0, 0.1, 1000, 1000);
    }

    /** Setting "A"/"P1": d 32, M 16, L 32, n 2000/2000. */
    public static PatternTaskConfig medium() {
        return new PatternTaskConfig(32, 16, 32, 1, 0.3, 0.1, 1.0, 0.1, 2000, 2000);
    }

    /** This config with k relevant patterns per class. */
    public PatternTaskConfig withRelevantPerClass(int k) {
        return new PatternTaskConfig(d, patterns, seqLen, k, alphaStar, alphaSpread, confusionRatio, tau, nTrain, nTest);
    }

    /** This config with other set sizes. */
    public PatternTaskConfig withSizes(int train, int test) {
        return new PatternTaskConfig(d, patterns, seqLen, relevantPerClass, alphaStar, alphaSpread, confusionRatio, tau, train, test);
    }

    /** Smallest number of label-relevant tokens a sample has. */
    public int minRelevant() {
        return minRelevant(alphaStar, alphaSpread, seqLen);
    }

    /** Largest number of label-relevant tokens a sample has. */
    public int maxRelevant() {
        return maxRelevant(alphaStar, alphaSpread, seqLen);
    }

    private static int minRelevant(double a, double s, int l) {
        return Math.max(1, (int) Math.round((a - s) * l));
    }

    private static int maxRelevant(double a, double s, int l) {
        return Math.min(l, (int) Math.round((a + s) * l));
    }
}
