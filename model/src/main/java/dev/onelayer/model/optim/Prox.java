package dev.onelayer.model.optim;

import dev.onelayer.model.core.Param;
import dev.onelayer.model.core.Params;

/**
 * Proximal operator of {@code λ‖θ‖₁}: soft-thresholding
 * {@code prox(θ) = sign(θ)·max(|θ| − lr·λ, 0)} (the ISTA step; used by the SCB paper's proximal
 * descent on the attention weights).
 */
public final class Prox {

    private Prox() {
    }

    /** Soft-thresholds {@code a[off..off+n)} by {@code threshold}. */
    public static void softThreshold(float[] a, int off, int n, double threshold) {
        if (a == null) throw new IllegalArgumentException("softThreshold: array is null");
        if (n < 0 || off < 0 || (long) off + n > a.length) {
            throw new IllegalArgumentException("softThreshold: range [" + off + ", " + ((long) off + n) + ") outside an array of " + a.length);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("softThreshold: threshold=" + threshold + " must be finite and >= 0");
        }
        for (int i = off; i < off + n; i++) {
            double x = a[i];
            double m = Math.abs(x) - threshold;
            a[i] = m > 0 ? (float) Math.copySign(m, x) : 0f;
        }
    }

    /**
     * The proximal step for {@code λ‖θ_name‖₁} after a gradient step with learning rate lr
     * (threshold {@code lr·λ}), as a trainer constraint.
     */
    public static Constraint l1(String name, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("Prox.l1: lambda=" + lambda + " must be finite and >= 0");
        return (Params params, double lr) -> {
            Param p = params.get(name);
            softThreshold(params.values(), p.offset(), p.size(), lr * lambda);
        };
    }
}
