package dev.onelayer.model.lowrank;

/**
 * Evaluations during training, one entry per evaluation step: training and test 0-1 error, test
 * hinge loss, the mean mini-batch hinge loss since the previous evaluation, and the attention mass
 * on label-relevant test tokens.
 */
public record TrainingCurve(int[] step, double[] batchLoss, double[] trainError, double[] testError, double[] testHinge,
                            double[] relevantAttention) {

    public int size() {
        return step.length;
    }

    public int last() {
        return step.length - 1;
    }
}
