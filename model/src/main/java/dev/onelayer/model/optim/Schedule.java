package dev.onelayer.model.optim;

/**
 * A learning rate as a function of the step index (0 for the first update). Pure functions of the
 * step, so a resumed run sees exactly the rates an uninterrupted one would.
 */
@FunctionalInterface
public interface Schedule {

    double lr(long step);

    /** Always {@code lr}. */
    static Schedule constant(double lr) {
        Steps.checkLr("constant schedule", lr);
        return step -> lr;
    }

    /**
     * Linear warm-up from {@code peak/warmupSteps} (step 0) to {@code peak} (step warmupSteps−1),
     * then half a cosine from {@code peak} down to {@code floor} at step {@code totalSteps}, and
     * {@code floor} after (nanoGPT's {@code get_lr}).
     */
    static Schedule cosineWithWarmup(double peak, long warmupSteps, long totalSteps, double floor) {
        Steps.checkLr("cosine schedule peak", peak);
        Steps.checkLr("cosine schedule floor", floor);
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("cosine schedule: need 0 <= warmupSteps=" + warmupSteps + " <= totalSteps=" + totalSteps);
        }
        return step -> {
            if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
            if (step >= totalSteps) return floor;
            double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return floor + 0.5 * (1 + StrictMath.cos(Math.PI * progress)) * (peak - floor);
        };
    }

    /** {@link OneCycle} with PyTorch's cosine annealing. */
    static Schedule oneCycle(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        return new OneCycle(maxLr, totalSteps, pctStart, divFactor, finalDivFactor);
    }
}
