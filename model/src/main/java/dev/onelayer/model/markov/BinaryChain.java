package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;

/**
 * The binary chain of the paper with switching probabilities p = P(0 -> 1) and q = P(1 -> 0),
 * kernel {@code P(p,q) = [[1-p, p], [q, 1-q]]} and stationary law
 * {@code pi = (q, p)/(p+q)} (markov.md section 1). With {@code order = k > 1} the next symbol
 * depends on the symbol k steps back with the same kernel (the v1 {@code Markov-LLM-k} process).
 *
 * <p>Closed forms (nats): entropy rate {@code [q h(p) + p h(q)]/(p+q)}, unigram entropy
 * {@code h(p/(p+q))}; they coincide iff p + q = 1. E.g. (0.2, 0.3): 0.5446 and 0.6730;
 * (0.5, 0.8): 0.6190 and 0.6663.
 *
 * <p>Differences from the reference code, on purpose: the first k symbols of a k-th order chain
 * are drawn from pi (or uniformly), where v1 draws them from Bernoulli(pi_0) and leaves the last
 * target at 0 (markov.md section 1, "quirks").
 *
 * @param p       P(0 -> 1), in [0, 1]
 * @param q       P(1 -> 0), in [0, 1]; p + q &gt; 0 so that pi exists
 * @param order   k &ge; 1
 * @param initial law of the first k symbols
 */
public record BinaryChain(double p, double q, int order, InitialLaw initial) implements Chain {

    public BinaryChain {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("BinaryChain: p=" + p + " is outside [0, 1]");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("BinaryChain: q=" + q + " is outside [0, 1]");
        if (!(p + q > 0)) throw new IllegalArgumentException("BinaryChain: p=q=0 has no unique stationary law");
        if (order < 1) throw new IllegalArgumentException("BinaryChain: order=" + order + " must be at least 1");
        if (initial == null) throw new IllegalArgumentException("BinaryChain: initial law is null");
    }

    /** First-order chain started at stationarity (the paper's default). */
    public static BinaryChain of(double p, double q) {
        return new BinaryChain(p, q, 1, InitialLaw.STATIONARY);
    }

    @Override
    public int states() {
        return 2;
    }

    /** {@code pi_1 = p/(p+q)}. */
    public double pi1() {
        return p / (p + q);
    }

    @Override
    public double transition(int from, int to) {
        if ((from != 0 && from != 1) || (to != 0 && to != 1)) {
            throw new IllegalArgumentException("BinaryChain.transition: states " + from + " -> " + to + " must be 0 or 1");
        }
        double toOne = from == 0 ? p : 1 - q;
        return to == 1 ? toOne : 1 - toOne;
    }

    @Override
    public double[] stationary() {
        return new double[] {q / (p + q), p / (p + q)};
    }

    @Override
    public double[] initialDistribution() {
        return initial == InitialLaw.STATIONARY ? stationary() : new double[] {0.5, 0.5};
    }

    /** Closed form {@code [q h(p) + p h(q)]/(p+q)}. */
    @Override
    public double entropyRate() {
        return (q * Entropy.binary(p) + p * Entropy.binary(q)) / (p + q);
    }

    /** Closed form {@code h(p/(p+q))}. */
    @Override
    public double unigramEntropy() {
        return Entropy.binary(pi1());
    }

    @Override
    public void sample(Rng rng, int[] out, int off, int len) {
        if (rng == null || out == null) throw new IllegalArgumentException("BinaryChain.sample: rng and out are required");
        if (off < 0 || len < 0 || off > out.length - len) {
            throw new IllegalArgumentException("BinaryChain.sample: [" + off + ", " + off + "+" + len + ") outside an array of " + out.length);
        }
        double first = initial == InitialLaw.STATIONARY ? pi1() : 0.5;
        for (int t = 0; t < len; t++) {
            double pOne = t < order ? first : (out[off + t - order] == 0 ? p : 1 - q);
            out[off + t] = rng.nextDouble() < pOne ? 1 : 0;
        }
    }
}
