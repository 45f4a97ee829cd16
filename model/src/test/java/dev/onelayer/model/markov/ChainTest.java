package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reference losses of the chains: closed forms, the generic formula, and Monte-Carlo estimates. */
class ChainTest {

    /** Sum over states of pi_i H(P_i.), written out here independently of the Chain default. */
    private static double generic(Chain c) {
        double[] pi = c.stationary();
        double h = 0;
        for (int i = 0; i < c.states(); i++) {
            for (int j = 0; j < c.states(); j++) {
                double pij = c.transition(i, j);
                if (pij > 0) h -= pi[i] * pij * Math.log(pij);
            }
        }
        return h;
    }

    @Test
    void closedFormsMatchThePaperAndTheGenericFormula() {
        BinaryChain a = BinaryChain.of(0.2, 0.3), b = BinaryChain.of(0.5, 0.8);
        assertEquals(0.5446, a.entropyRate(), 5e-5);
        assertEquals(0.6730, a.unigramEntropy(), 5e-5);
        assertEquals(0.6190, b.entropyRate(), 5e-5);
        assertEquals(0.6663, b.unigramEntropy(), 5e-5);
        MultiStateChain s = MultiStateChain.of(5, 0.1);
        assertEquals(0.4637, s.entropyRate(), 5e-5);
        for (Chain c : new Chain[] {a, b, s, new BinaryChain(0.3, 0.9, 2, InitialLaw.UNIFORM)}) {
            assertEquals(generic(c), c.entropyRate(), 1e-12);
            assertEquals(Entropy.of(c.stationary()), c.unigramEntropy(), 1e-12);
        }
        // p + q = 1: the chain is iid and the two references coincide
        BinaryChain iid = BinaryChain.of(0.3, 0.7);
        assertEquals(iid.unigramEntropy(), iid.entropyRate(), 1e-12);
        assertEquals(a.entropyRate(), a.bayesLoss(100), 1e-12, "first order from pi: every target has the entropy rate");
    }

    /**
     * Monte Carlo: the mean of −log P(x_t | x_{t−k}) and of −log π(x_t) over one long sample.
     * Successive terms are correlated through the chain; the mixing time is ~1/(1−|1−p−q|)
     * (at most 10 steps here), so 400k samples give a standard error below 0.35·√(2·10/400k)
     * ≈ 0.0025; the bound is 0.01.
     */
    @Test
    void monteCarloEstimatesMatchTheReferences() {
        int len = 400_000;
        Chain[] chains = {BinaryChain.of(0.2, 0.3), BinaryChain.of(0.5, 0.8), new BinaryChain(0.2, 0.3, 2, InitialLaw.STATIONARY),
            MultiStateChain.of(5, 0.1), new MultiStateChain(3, 0.4, 3, InitialLaw.STATIONARY)};
        int[] x = new int[len];
        for (Chain c : chains) {
            c.sample(Rng.seeded(17), x, 0, len);
            int k = c.order();
            double[] pi = c.stationary();
            double cond = 0, marg = 0;
            for (int t = k; t < len; t++) {
                cond -= Math.log(c.transition(x[t - k], x[t]));
                marg -= Math.log(pi[x[t]]);
            }
            cond /= len - k;
            marg /= len - k;
            assertEquals(c.entropyRate(), cond, 0.01, c + " entropy rate");
            assertEquals(c.unigramEntropy(), marg, 0.01, c + " unigram entropy");
        }
    }

    @Test
    void bayesLossCountsTheUnpredictableFirstSymbolsOfAKthOrderChain() {
        // k = 3 from uniform: targets x_1, x_2 are fair coins (log 2 each), later ones have the kernel
        BinaryChain c = new BinaryChain(0.2, 0.3, 3, InitialLaw.UNIFORM);
        double n = 4;
        // x_3 and x_4 depend on x_0 and x_1, whose law is uniform: loss (h(0.2) + h(0.3))/2 each
        double expected = (2 * Math.log(2) + 2 * (Entropy.binary(0.2) + Entropy.binary(0.3)) / 2) / n;
        assertEquals(expected, c.bayesLoss(4), 1e-12);
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> BinaryChain.of(0, 0));
        assertThrows(IllegalArgumentException.class, () -> BinaryChain.of(1.2, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new BinaryChain(0.2, 0.3, 0, InitialLaw.STATIONARY));
        assertThrows(IllegalArgumentException.class, () -> MultiStateChain.of(1, 0.1));
    }
}
