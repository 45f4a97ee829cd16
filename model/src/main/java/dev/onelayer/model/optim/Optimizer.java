package dev.onelayer.model.optim;

import dev.onelayer.model.core.Params;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A first-order update {@code θ ← update(θ, ∇θ, lr)} reading {@link Params#grads()} and writing
 * {@link Params#values()}, with state (moments, step count) that a checkpoint saves and restores.
 */
public interface Optimizer {

    /** Applies one update with learning rate {@code lr} using the current gradients. */
    void step(Params params, double lr);

    /** Short name stored in checkpoints ("sgd", "adamw"); restoring checks it matches. */
    String name();

    /** Writes all state needed to continue bit-for-bit. */
    void writeState(DataOutputStream out) throws IOException;

    /**
     * Reads state written by {@link #writeState}; validates everything (sizes against
     * {@code params}) before changing anything, so a failure leaves this optimizer untouched.
     */
    void readState(DataInputStream in, Params params) throws IOException;
}
