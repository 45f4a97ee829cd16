package dev.onelayer.model.train;

import java.util.Map;

/**
 * What an evaluation reports.
 *
 * @param step     number of completed training steps when evaluated
 * @param evalLoss mean loss on the fixed held-out batch (NaN if evaluation batch size is 0)
 * @param extra    named values from the configured {@link Probe}s, in insertion order
 */
public record EvalMetrics(long step, double evalLoss, Map<String, Double> extra) {
}
