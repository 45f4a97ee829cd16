package dev.onelayer.model.optim;

/**
 * The one-cycle policy exactly as {@code torch.optim.lr_scheduler.OneCycleLR} with
 * {@code anneal_strategy='cos', three_phase=False} (Smith &amp; Topin 2017):
 * <pre>
 *   initial_lr = max_lr / div_factor,   min_lr = initial_lr / final_div_factor
 *   phase 1: steps 0 .. pct_start·total − 1        initial_lr → max_lr
 *   phase 2: steps pct_start·total − 1 .. total − 1 max_lr → min_lr
 *   anneal_cos(start, end, pct) = end + (start − end)/2 · (cos(π·pct) + 1)
 * </pre>
 * The phase boundary is the float {@code pct_start·total − 1}, as in PyTorch, so the peak is hit
 * exactly only when that product is an integer. Steps past {@code total − 1} stay in phase 2's
 * formula (PyTorch raises there; we extrapolate no further than {@code min_lr}).
 */
public final class OneCycle implements Schedule {

    private final double maxLr, initialLr, minLr;
    private final double phase1End, phase2End;

    public OneCycle(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        Steps.checkLr("OneCycle max_lr", maxLr);
        if (totalSteps < 2) throw new IllegalArgumentException("OneCycle: total_steps=" + totalSteps + " must be at least 2");
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("OneCycle: pct_start=" + pctStart + " must be in (0, 1)");
        if (!(divFactor > 0) || !(finalDivFactor > 0)) {
            throw new IllegalArgumentException("OneCycle: div_factor=" + divFactor + " and final_div_factor=" + finalDivFactor + " must be positive");
        }
        this.maxLr = maxLr;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
        this.phase1End = pctStart * totalSteps - 1;
        this.phase2End = totalSteps - 1;
        if (!(phase1End > 0) || !(phase2End > phase1End)) {
            throw new IllegalArgumentException("OneCycle: pct_start*total_steps=" + (pctStart * totalSteps)
                    + " leaves an empty phase (need 1 < pct_start*total_steps < total_steps)");
        }
    }

    @Override
    public double lr(long step) {
        if (step < 0) throw new IllegalArgumentException("OneCycle: step " + step + " is negative");
        if (step <= phase1End) return annealCos(initialLr, maxLr, step / phase1End);
        double pct = Math.min(1, (step - phase1End) / (phase2End - phase1End));
        return annealCos(maxLr, minLr, pct);
    }

    public double initialLr() {
        return initialLr;
    }

    public double minLr() {
        return minLr;
    }

    public double maxLr() {
        return maxLr;
    }

    static double annealCos(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (StrictMath.cos(Math.PI * pct) + 1);
    }
}
