package dev.onelayer.model.train;

import dev.onelayer.model.core.Params;

import java.util.Map;

/** A measurement taken at every evaluation (accuracy, attention statistics, distances to a target...). */
@FunctionalInterface
public interface Probe {

    /** Named values at {@code step} completed steps. */
    Map<String, Double> measure(long step, Params params);
}
