package dev.onelayer.model.optim;

import dev.onelayer.model.core.Params;

/**
 * A step applied to the parameters right after each optimizer update: a proximal operator or a
 * projection (projected / proximal gradient descent), with the step's learning rate.
 */
@FunctionalInterface
public interface Constraint {

    void apply(Params params, double lr);
}
