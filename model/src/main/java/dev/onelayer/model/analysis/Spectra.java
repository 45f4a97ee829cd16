package dev.onelayer.model.analysis;

/**
 * Summaries of a spectrum σ₁ ≥ σ₂ ≥ … ≥ 0 (singular values from {@link Svd}), used to say how
 * low-rank a weight or a weight update is (Li et al. 2024: updates are low rank).
 */
public final class Spectra {

    private Spectra() {
    }

    /**
     * Entropy effective rank (Roy &amp; Vetterli 2007): {@code exp(−Σ pᵢ ln pᵢ)} with
     * {@code pᵢ = σᵢ / Σσ}. A real number in [1, k]: 1 for rank one, k for k equal values. A zero
     * spectrum has effective rank 0.
     */
    public static double entropyEffectiveRank(double[] sigma) {
        check("entropyEffectiveRank", sigma);
        double total = 0;
        for (double s : sigma) total += s;
        if (total == 0) return 0;
        double h = 0;
        for (double s : sigma) {
            if (s > 0) {
                double p = s / total;
                h -= p * Math.log(p);
            }
        }
        return Math.exp(h);
    }

    /**
     * Threshold effective rank: the number of σᵢ strictly above {@code relTol·σ₁} (the numerical
     * rank for a relative tolerance, e.g. 1e-3 to ignore directions a thousand times weaker than
     * the strongest). 0 for a zero spectrum.
     */
    public static int thresholdRank(double[] sigma, double relTol) {
        check("thresholdRank", sigma);
        if (!(relTol >= 0) || relTol > 1) throw new IllegalArgumentException("thresholdRank: relTol=" + relTol + " must be in [0, 1]");
        double max = 0;
        for (double s : sigma) max = Math.max(max, s);
        if (max == 0) return 0;
        int r = 0;
        for (double s : sigma) if (s > relTol * max) r++;
        return r;
    }

    /**
     * Stable rank {@code ‖A‖_F² / ‖A‖₂² = Σσᵢ² / σ₁²}: a continuous rank that is insensitive to
     * tiny singular values. 0 for a zero spectrum.
     */
    public static double stableRank(double[] sigma) {
        check("stableRank", sigma);
        double max = 0, sq = 0;
        for (double s : sigma) {
            max = Math.max(max, s);
            sq += s * s;
        }
        return max == 0 ? 0 : sq / (max * max);
    }

    /**
     * Fraction of the energy {@code Σᵢ<k σᵢ² / Σ σᵢ²} held by the top k singular values (the
     * squared Frobenius norm kept by the best rank-k approximation, Eckart–Young). The spectrum
     * must be sorted in descending order. 1 for a zero spectrum (nothing is lost).
     */
    public static double energyFraction(double[] sigma, int k) {
        check("energyFraction", sigma);
        if (k < 0 || k > sigma.length) throw new IllegalArgumentException("energyFraction: k=" + k + " is outside [0, " + sigma.length + "]");
        for (int i = 1; i < sigma.length; i++) {
            if (sigma[i] > sigma[i - 1]) throw new IllegalArgumentException("energyFraction: spectrum is not descending at index " + i);
        }
        double top = 0, total = 0;
        for (int i = 0; i < sigma.length; i++) {
            double e = sigma[i] * sigma[i];
            total += e;
            if (i < k) top += e;
        }
        return total == 0 ? 1 : top / total;
    }

    /** The smallest k whose top-k energy fraction is at least {@code fraction} (in (0, 1]). */
    public static int rankForEnergy(double[] sigma, double fraction) {
        if (!(fraction > 0) || fraction > 1) throw new IllegalArgumentException("rankForEnergy: fraction=" + fraction + " must be in (0, 1]");
        for (int k = 0; k <= sigma.length; k++) {
            if (energyFraction(sigma, k) >= fraction) return k;
        }
        return sigma.length;
    }

    private static void check(String what, double[] sigma) {
        if (sigma == null || sigma.length == 0) throw new IllegalArgumentException(what + ": spectrum is null or empty");
        for (int i = 0; i < sigma.length; i++) {
            if (!(sigma[i] >= 0) || Double.isInfinite(sigma[i])) {
                throw new IllegalArgumentException(what + ": singular value " + i + " is " + sigma[i] + " (must be finite and >= 0)");
            }
        }
    }
}
