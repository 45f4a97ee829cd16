/**
 * The training loop: a {@link dev.onelayer.model.train.Model} (forward into a workspace, backward
 * into a gradient buffer) and a {@link dev.onelayer.model.train.Task} (batches from an Rng) driven
 * by the {@link dev.onelayer.model.train.Trainer}, which shards batches into fixed chunks for
 * thread-count-independent bits, reports to {@link dev.onelayer.model.train.MetricsListener}s,
 * guards against non-finite values and writes atomic, checksummed
 * {@link dev.onelayer.model.train.Checkpoint}s. {@code toy} holds linear regression, the smallest
 * model that exercises all of it.
 */
package dev.onelayer.model.train;
