package dev.onelayer.model.markov;

/**
 * One training run: the curves and final numbers, with the reference values of the chain next to
 * them.
 *
 * @param config           what was run
 * @param trainLoss        mean training loss of each step's fresh batch, index = step
 * @param evalSteps        steps completed at each curve evaluation (starts with 0: the initial point)
 * @param evalLoss         held-out loss at {@code evalSteps}
 * @param initial          held-out evaluation before the first step
 * @param result           held-out evaluation after the last step
 * @param entropyRate      entropy rate of the chain (global-minimum loss), nats
 * @param unigramEntropy   H(π) (loss of θ_π), nats
 * @param bayesLoss        exact best achievable mean loss at this N (= entropy rate for a first-order chain started at π)
 * @param lambdaMinInitial {@link Curvature#lambdaMin} of the initial positional embeddings
 * @param lambdaMinFinal   {@link Curvature#lambdaMin} of the final positional embeddings
 * @param finalParams      the trained parameter values (layout of {@link TheoryModel#params()})
 */
public record RunResult(TrainConfig config, double[] trainLoss, long[] evalSteps, double[] evalLoss,
                        Evaluation initial, Evaluation result, double entropyRate, double unigramEntropy, double bayesLoss,
                        double lambdaMinInitial, double lambdaMinFinal, float[] finalParams) {

    /** Final held-out loss. */
    public double finalLoss() {
        return result.loss();
    }

    /** Final loss minus the entropy rate. */
    public double gapToEntropyRate() {
        return result.loss() - entropyRate;
    }

    /** Final loss minus H(π). */
    public double gapToUnigram() {
        return result.loss() - unigramEntropy;
    }
}
