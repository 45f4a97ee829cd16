package dev.onelayer.model.core;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Finite-difference gradient checker, usable on any model: for each scalar θᵢ it compares the
 * analytic ∂L/∂θᵢ with the float64 central difference
 * {@code (L(θᵢ⁺) − L(θᵢ⁻)) / (θᵢ⁺ − θᵢ⁻)}, where θᵢ± = fl(θᵢ ± h) are the float32 values the model
 * actually sees (so the denominator is exact, not 2h).
 *
 * <p>A scalar passes when {@code |numeric − analytic| <= atol + rtol·max(|numeric|, |analytic|)}.
 * Pick the bounds from the error model: the central difference has truncation error
 * {@code h²/6·|L'''|} and rounding error {@code ε_L / h}, where ε_L bounds the error of one float32
 * loss evaluation; the report names the worst scalar so a failure says where to look.
 */
public final class GradCheck {

    private GradCheck() {
    }

    /**
     * The worst scalar found.
     *
     * @param label     e.g. "W[1,2]"
     * @param index     flat index
     * @param analytic  analytic derivative
     * @param numeric   central difference
     * @param ratio     |numeric − analytic| / allowed error (≤ 1 passes)
     * @param checked   number of scalars compared
     */
    public record Report(String label, int index, double analytic, double numeric, double ratio, int checked) {

        public boolean passed() {
            return ratio <= 1;
        }

        @Override
        public String toString() {
            return "GradCheck over " + checked + " scalars: worst " + label + " analytic=" + analytic + " numeric=" + numeric
                    + " error/allowed=" + ratio + (passed() ? " (pass)" : " (FAIL)");
        }
    }

    /**
     * Checks every scalar of {@code params}.
     *
     * @param loss     evaluates the loss at the current {@link Params#values()} in float64
     * @param gradient writes the analytic gradient at the current values into the (zeroed) array given
     * @param h        perturbation (absolute)
     */
    public static Report check(Params params, DoubleSupplier loss, Consumer<float[]> gradient, double h, double rtol, double atol) {
        checkArgs(params, loss, gradient, h, rtol, atol);
        int[] all = new int[params.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return run(params, loss, gradient, h, rtol, atol, all);
    }

    /**
     * Like {@link #check} but compares at most {@code perParam} scalars of each parameter, chosen
     * uniformly without replacement by {@code rng} (two loss evaluations per scalar, so this keeps
     * larger models cheap while still touching every tensor).
     */
    public static Report checkSample(Params params, DoubleSupplier loss, Consumer<float[]> gradient, double h, double rtol, double atol,
                                     int perParam, Rng rng) {
        checkArgs(params, loss, gradient, h, rtol, atol);
        if (perParam < 1 || rng == null) throw new IllegalArgumentException("GradCheck: need perParam >= 1 and an rng (got " + perParam + ")");
        java.util.List<Integer> picked = new java.util.ArrayList<>();
        for (Param p : params.list()) {
            if (p.size() <= perParam) {
                for (int i = 0; i < p.size(); i++) picked.add(p.offset() + i);
            } else {
                int[] perm = rng.permutation(p.size());
                for (int i = 0; i < perParam; i++) picked.add(p.offset() + perm[i]);
            }
        }
        int[] idx = new int[picked.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = picked.get(i);
        return run(params, loss, gradient, h, rtol, atol, idx);
    }

    private static void checkArgs(Params params, DoubleSupplier loss, Consumer<float[]> gradient, double h, double rtol, double atol) {
        if (params == null || loss == null || gradient == null) throw new IllegalArgumentException("GradCheck: params, loss and gradient are required");
        if (!(h > 0) || !(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("GradCheck: need h > 0, rtol >= 0, atol >= 0 (got h=" + h + ", rtol=" + rtol + ", atol=" + atol + ")");
        }
    }

    private static Report run(Params params, DoubleSupplier loss, Consumer<float[]> gradient, double h, double rtol, double atol, int[] indices) {
        float[] w = params.values();
        float[] analytic = new float[w.length];
        gradient.accept(analytic);
        String worstLabel = "-";
        int worstIndex = -1;
        double worstA = 0, worstN = 0, worstRatio = 0;
        for (int i : indices) {
            float orig = w[i];
            float plus = (float) (orig + h), minus = (float) (orig - h);
            w[i] = plus;
            double lp = loss.getAsDouble();
            w[i] = minus;
            double lm = loss.getAsDouble();
            w[i] = orig;
            double numeric = (lp - lm) / ((double) plus - (double) minus);
            double a = analytic[i];
            double allowed = atol + rtol * Math.max(Math.abs(numeric), Math.abs(a));
            double err = Math.abs(numeric - a);
            double ratio = allowed > 0 ? err / allowed : (err == 0 ? 0 : Double.POSITIVE_INFINITY);
            if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY;
            if (worstIndex < 0 || ratio > worstRatio) {
                worstRatio = ratio;
                worstIndex = i;
                worstA = a;
                worstN = numeric;
            }
        }
        if (worstIndex >= 0) worstLabel = params.label(worstIndex);
        return new Report(worstLabel, worstIndex, worstA, worstN, worstRatio, indices.length);
    }
}
