package dev.onelayer.model.train;

import dev.onelayer.model.core.Params;
import dev.onelayer.model.core.Workspace;

/**
 * A differentiable model: a forward that writes its activations into a {@link Workspace} and a
 * backward that turns them into gradients. The batch loss is the mean of per-example losses, so
 * the trainer can cut the batch into chunks {@code [start, end)}, run them on different threads
 * (each with its own workspace and gradient buffer) and add the chunk gradients in chunk order.
 *
 * <p>Thread-safety contract: {@code forward} and {@code backward} only read {@link #params()} and
 * write into their own workspace and gradient buffer, so chunks may run concurrently.
 *
 * @param <B> the batch type
 */
public interface Model<B extends Batch> {

    /** The trainable parameters (their layout is also the layout of every gradient buffer). */
    Params params();

    /**
     * Sum over examples {@code start <= i < end} of the per-example loss, in float64, saving what
     * {@link #backward} needs in {@code ws}.
     */
    double forward(B batch, int start, int end, Workspace ws);

    /**
     * Adds {@code scale · ∂/∂θ Σ_{start<=i<end} loss_i} into {@code grad} (laid out like
     * {@link Params#values()}), using what the last {@link #forward} on the same range saved in
     * {@code ws}. The trainer passes {@code scale = 1/batchSize}.
     */
    void backward(B batch, int start, int end, Workspace ws, float scale, float[] grad);
}
