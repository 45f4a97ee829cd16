package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;

/**
 * The S-state chain of the ICLR version (markov.md section 1, "Multi-state"): stay with
 * probability 1 - p, otherwise move to one of the other S - 1 states uniformly, i.e.
 * {@code P = (1-p) I + p/(S-1) (J - I)}. P is doubly stochastic, so pi is uniform.
 *
 * <p>Closed forms (nats): entropy rate {@code h(p) + p log(S-1)}, unigram entropy {@code log S}.
 * E.g. S = 5, p = 0.1: 0.4637 (the 0.464 bigram line of the ICLR figure).
 *
 * @param states  S &ge; 2
 * @param p       probability of leaving the current state, in [0, 1]
 * @param order   k &ge; 1 (next symbol depends on the symbol k back)
 * @param initial law of the first k symbols (both choices are uniform here, since pi is)
 */
public record MultiStateChain(int states, double p, int order, InitialLaw initial) implements Chain {

    public MultiStateChain {
        if (states < 2) throw new IllegalArgumentException("MultiStateChain: states=" + states + " must be at least 2");
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("MultiStateChain: p=" + p + " is outside [0, 1]");
        if (order < 1) throw new IllegalArgumentException("MultiStateChain: order=" + order + " must be at least 1");
        if (initial == null) throw new IllegalArgumentException("MultiStateChain: initial law is null");
    }

    /** First-order chain started at stationarity. */
    public static MultiStateChain of(int states, double p) {
        return new MultiStateChain(states, p, 1, InitialLaw.STATIONARY);
    }

    @Override
    public double transition(int from, int to) {
        if (from < 0 || from >= states || to < 0 || to >= states) {
            throw new IllegalArgumentException("MultiStateChain.transition: states " + from + " -> " + to + " outside [0, " + states + ")");
        }
        return from == to ? 1 - p : p / (states - 1);
    }

    @Override
    public double[] stationary() {
        double[] pi = new double[states];
        java.util.Arrays.fill(pi, 1.0 / states);
        return pi;
    }

    @Override
    public double[] initialDistribution() {
        return stationary();
    }

    /** Closed form {@code h(p) + p log(S-1)}. */
    @Override
    public double entropyRate() {
        return Entropy.binary(p) + p * Math.log(states - 1);
    }

    /** Closed form {@code log S}. */
    @Override
    public double unigramEntropy() {
        return Math.log(states);
    }

    @Override
    public void sample(Rng rng, int[] out, int off, int len) {
        if (rng == null || out == null) throw new IllegalArgumentException("MultiStateChain.sample: rng and out are required");
        if (off < 0 || len < 0 || off > out.length - len) {
            throw new IllegalArgumentException("MultiStateChain.sample: [" + off + ", " + off + "+" + len + ") outside an array of " + out.length);
        }
        for (int t = 0; t < len; t++) {
            if (t < order) {
                out[off + t] = rng.nextInt(states);
            } else {
                int prev = out[off + t - order];
                if (rng.nextDouble() < p) {
                    int j = rng.nextInt(states - 1); // uniform over the other states
                    out[off + t] = j >= prev ? j + 1 : j;
                } else {
                    out[off + t] = prev;
                }
            }
        }
    }
}
