package dev.onelayer.model.train;

/**
 * @param steps        steps completed
 * @param finalLoss    mean training loss of the last step's batch
 * @param finalEvalLoss held-out loss at the end (NaN without an evaluation batch)
 */
public record TrainResult(long steps, double finalLoss, double finalEvalLoss) {
}
