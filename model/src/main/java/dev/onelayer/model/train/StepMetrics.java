package dev.onelayer.model.train;

/**
 * What one training step reports.
 *
 * @param step      0-based index of the step just taken
 * @param loss      mean training loss of the step's batch (before the update)
 * @param lr        learning rate used
 * @param gradNorm  global Euclidean norm of the gradient before clipping
 * @param clipped   whether the gradient was rescaled by clipping
 */
public record StepMetrics(long step, double loss, double lr, double gradNorm, boolean clipped) {
}
