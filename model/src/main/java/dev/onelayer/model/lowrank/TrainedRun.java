package dev.onelayer.model.lowrank;

/**
 * A finished training run: the task (patterns, fixed sets), the trained model, the initial
 * parameter values (same layout as {@code model.params().values()}) for Delta W, and the curve.
 */
public record TrainedRun(LowRankConfig config, PatternTask task, AttentionMlpModel model, float[] initialValues,
                         TrainingCurve curve, double seconds) {

    public double finalTestError() {
        return curve.testError()[curve.last()];
    }

    public double finalTrainError() {
        return curve.trainError()[curve.last()];
    }

    public double initialAttention() {
        return curve.relevantAttention()[0];
    }

    public double finalAttention() {
        return curve.relevantAttention()[curve.last()];
    }

    /** Delta W = W_final - W_init of parameter {@code name} ("wQ", "wK", "wV", "wO"), float64 row-major. */
    public double[] delta(String name) {
        var p = model.params().get(name);
        float[] w = model.params().values();
        double[] dw = new double[p.size()];
        for (int i = 0; i < dw.length; i++) dw[i] = (double) w[p.offset() + i] - initialValues[p.offset() + i];
        return dw;
    }

    /** The initial value of parameter {@code name}, float64 row-major. */
    public double[] initial(String name) {
        var p = model.params().get(name);
        double[] w = new double[p.size()];
        for (int i = 0; i < w.length; i++) w[i] = initialValues[p.offset() + i];
        return w;
    }
}
