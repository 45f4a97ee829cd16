package dev.onelayer.model.scb;

/**
 * Every switchable piece of the SCB optimisers (Validated settings, "PPPD as built"). At step n
 * (samples seen before the step) the rates are {@code eta * 1/(1 + n/decaySamples)}.
 * <ul>
 *   <li>V step: {@code V <- proj(V - etaV' G_V H^-1)} with {@code H = s D + m mu mu^T},
 *       {@code s = sum_k pi_k |a_k|^2}, {@code m = sum_k pi_k (1^T a_k)^2} from the current A and
 *       mu, pi estimated online ({@code precondition}); {@code etaV' = etaV min(1, s/vnScale)}
 *       when {@code vnScale > 0} (PPPD-vn).</li>
 *   <li>A step, column k: {@code a_k <- proj(soft(a_k - etaA' G_A e_k / (pi_k max(tr(V D V^T), curvatureFloor)),
 *       etaA' lambda))}; {@code divideByPi} and {@code curvatureFloor > 0} switch the two divisors.</li>
 * </ul>
 *
 * @param name           label used in results
 * @param etaV           base step for V
 * @param etaA           base step for A
 * @param decaySamples   decay horizon (samples); 0 = constant rates
 * @param precondition   multiply G_V by H^-1 on the right
 * @param simplexV       project V's columns onto the simplex (else V is unconstrained)
 * @param simplexA       project A's columns onto the simplex (else A is unconstrained)
 * @param lambda         l1 weight on A (soft-threshold by etaA' lambda); 0 = no proximal step
 * @param divideByPi     divide column k's A step by pi_k (its share of the queries)
 * @param curvatureFloor divide the A step by max(tr(V D V^T), curvatureFloor); 0 = off
 * @param vnScale        PPPD-vn: scale etaV by min(1, s/vnScale); 0 = off
 */
public record ScbOptimizerConfig(String name, double etaV, double etaA, double decaySamples, boolean precondition,
                                 boolean simplexV, boolean simplexA, double lambda, boolean divideByPi,
                                 double curvatureFloor, double vnScale) {

    public ScbOptimizerConfig {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("ScbOptimizerConfig: name is empty");
        positive("etaV", etaV);
        positive("etaA", etaA);
        nonNegative("decaySamples", decaySamples);
        nonNegative("lambda", lambda);
        nonNegative("curvatureFloor", curvatureFloor);
        nonNegative("vnScale", vnScale);
    }

    private static void positive(String k, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("ScbOptimizerConfig: " + k + "=" + v + " must be finite and > 0");
    }

    private static void nonNegative(String k, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("ScbOptimizerConfig: " + k + "=" + v + " must be finite and >= 0");
    }

    /**
     * PPPD exactly as in the Validated settings: etaV = 0.1, etaA = 0.01, decay 1/(1 + n/2e4),
     * preconditioned V step, simplex on V and A, A step divided by pi_k max(tr(V D V^T), 0.02).
     * The l1 weight 3e-4 is the notes' working value for unconstrained A; under the simplex it is
     * nearly redundant, as the notes say.
     */
    public static ScbOptimizerConfig pppd() {
        return new ScbOptimizerConfig("PPPD", 0.1, 0.01, 2e4, true, true, true, 3e-4, true, 0.02, 0);
    }

    /** PPPD-vn (Validated settings 3): etaV scaled by min(1, s/0.5), A step divided by pi_k only. */
    public static ScbOptimizerConfig pppdVn() {
        return new ScbOptimizerConfig("PPPD-vn", 0.1, 0.01, 2e4, true, true, true, 3e-4, true, 0, 0.5);
    }

    /** Plain unregularised SGD on V and A with one constant learning rate (scb.md 3 [C]). */
    public static ScbOptimizerConfig sgd(double lr) {
        return new ScbOptimizerConfig("SGD lr=" + lr, lr, lr, 0, false, false, false, 0, false, 0, 0);
    }

    /** A copy with a different name. */
    public ScbOptimizerConfig named(String newName) {
        return new ScbOptimizerConfig(newName, etaV, etaA, decaySamples, precondition, simplexV, simplexA, lambda, divideByPi,
                curvatureFloor, vnScale);
    }
}
