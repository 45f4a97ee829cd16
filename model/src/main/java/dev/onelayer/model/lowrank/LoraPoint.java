package dev.onelayer.model.lowrank;

/**
 * One rank of the LoRA-style experiment: final errors and the number of trained scalars.
 *
 * @param rank           r of every factor pair, or 0 for the unrestricted (full) reference run
 * @param trainedScalars scalars SGD updates (r (rows + cols) per matrix, or all of W)
 */
public record LoraPoint(int rank, double trainError, double testError, double testHinge, int trainedScalars) {
}
