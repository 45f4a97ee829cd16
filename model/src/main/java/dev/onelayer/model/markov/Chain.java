package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;

/**
 * A stationary Markov source over {@code states()} symbols in which symbol {@code x_t} depends on
 * {@code x_{t-k}} only, {@code k = order()} (k = 1: an ordinary first-order chain; markov.md
 * section 1). The first k symbols are drawn iid from {@link #initialDistribution}.
 *
 * <p>Reference losses (nats). With transition kernel P and stationary law pi:
 * <ul>
 *   <li>entropy rate {@code H(x_{t+1} | past) = sum_i pi_i H(P_i.)}: the loss of the Bayes
 *       predictor, i.e. of the global minimum theta* (Thm 1);</li>
 *   <li>unigram entropy {@code H(pi)}: the loss of predicting pi whatever the context, i.e. of the
 *       bad local minimum theta_pi (Thm 2).</li>
 * </ul>
 * Every residue class mod k of a k-th order chain is a first-order chain with the same kernel, so
 * both numbers do not depend on k.
 */
public interface Chain {

    /** Number of symbols S (2 for binary chains). */
    int states();

    /** k: the next symbol depends on the symbol k steps back. */
    int order();

    /** {@code P(x_{t+1} = to | x_{t+1-k} = from)}. */
    double transition(int from, int to);

    /** Stationary law pi (a fresh array). */
    double[] stationary();

    /** Law of each of the first k symbols (a fresh array). */
    double[] initialDistribution();

    /** Writes {@code len} consecutive symbols of a fresh sequence to {@code out[off..off+len)}. */
    void sample(Rng rng, int[] out, int off, int len);

    /** {@code sum_i pi_i H(P_i.)} in nats. */
    default double entropyRate() {
        double[] pi = stationary();
        double h = 0;
        for (int i = 0; i < states(); i++) h += pi[i] * Entropy.of(row(i));
        return h;
    }

    /** {@code H(pi)} in nats. */
    default double unigramEntropy() {
        return Entropy.of(stationary());
    }

    /** Row i of the kernel. */
    default double[] row(int i) {
        double[] r = new double[states()];
        for (int j = 0; j < r.length; j++) r[j] = transition(i, j);
        return r;
    }

    /**
     * Exact expected loss of the Bayes predictor averaged over the targets {@code x_1 .. x_n} of a
     * sequence {@code x_0 .. x_n} started from {@link #initialDistribution} (what a model trained on
     * length-n inputs can reach at best). Targets {@code x_t} with t &lt; k are independent of the
     * past (entropy H(initial)); for t &ge; k the loss is {@code sum_i mu_{t-k}(i) H(P_i.)}, where
     * the marginal {@code mu_s = initial · P^{floor(s/k)}}. Equals {@link #entropyRate()} for a
     * first-order chain started at stationarity.
     */
    default double bayesLoss(int n) {
        if (n < 1) throw new IllegalArgumentException("Chain.bayesLoss: n=" + n + " must be at least 1");
        int s = states(), k = order();
        double[] rowH = new double[s];
        for (int i = 0; i < s; i++) rowH[i] = Entropy.of(row(i));
        double hInit = Entropy.of(initialDistribution());
        double total = 0;
        double[] mu = initialDistribution();
        double[] next = new double[s];
        for (int t = 1; t <= n; t++) {
            if (t < k) {
                total += hInit;
                continue;
            }
            int src = t - k; // marginal of x_{t-k} is initial · P^{floor(src/k)}
            if (src > 0 && src % k == 0) {
                java.util.Arrays.fill(next, 0);
                for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) next[j] += mu[i] * transition(i, j);
                System.arraycopy(next, 0, mu, 0, s);
            }
            double h = 0;
            for (int i = 0; i < s; i++) h += mu[i] * rowH[i];
            total += h;
        }
        return total / n;
    }
}
