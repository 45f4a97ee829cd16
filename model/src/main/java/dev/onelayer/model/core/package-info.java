/**
 * Building blocks every model shares: {@link dev.onelayer.model.core.Params} (named tensors in one
 * flat buffer with gradients), {@link dev.onelayer.model.core.Workspace} (reused activations),
 * {@link dev.onelayer.model.core.Rng} (seeded named streams with serialisable state and samplers),
 * {@link dev.onelayer.model.core.Npy}/{@link dev.onelayer.model.core.Npz} (NumPy file exchange) and
 * {@link dev.onelayer.model.core.GradCheck} (finite-difference gradient checks).
 */
package dev.onelayer.model.core;
