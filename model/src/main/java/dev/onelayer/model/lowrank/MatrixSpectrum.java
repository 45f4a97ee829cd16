package dev.onelayer.model.lowrank;

/**
 * The spectrum of one weight update Delta W = W_final - W_init (issue 8 experiment 2).
 *
 * @param name              "wQ", "wK", "wV" or "wO"
 * @param sigma             singular values of Delta W, descending (float64 Jacobi SVD)
 * @param initialSigma      singular values of the random initial W, for comparison
 * @param ratio31           sigma_3 / sigma_1 of Delta W (NaN when there are fewer than 3)
 * @param initialRatio31    sigma_3 / sigma_1 of W_init
 * @param topEnergy         fraction of ||Delta W||_F^2 in the top r = 2k singular values
 * @param effectiveRank     entropy effective rank (Roy and Vetterli)
 * @param stableRank        ||Delta W||_F^2 / sigma_1^2
 * @param dominant          number of sigma_i above {@code relTol * sigma_1}
 * @param spanEnergy        fraction of ||Delta W||_F^2 on the input side in the relevant span:
 *                          span(mu_1..mu_2k) for Q, K, V; span(W_V mu_j) for W_O, whose inputs are values
 * @param anglesDegrees     principal angles between the top-r right singular subspace and that span
 */
public record MatrixSpectrum(String name, double[] sigma, double[] initialSigma, double ratio31, double initialRatio31,
                             double topEnergy, double effectiveRank, double stableRank, int dominant, double spanEnergy,
                             double[] anglesDegrees) {

    /** The largest principal angle in degrees (0 when the subspaces coincide). */
    public double maxAngleDegrees() {
        double m = 0;
        for (double a : anglesDegrees) m = Math.max(m, a);
        return m;
    }
}
