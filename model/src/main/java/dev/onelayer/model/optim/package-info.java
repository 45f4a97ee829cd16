/**
 * Updates of {@link dev.onelayer.model.core.Params}: {@link dev.onelayer.model.optim.Sgd},
 * {@link dev.onelayer.model.optim.AdamW} (decay groups, bias correction), post-update
 * {@link dev.onelayer.model.optim.Constraint}s ({@link dev.onelayer.model.optim.Prox} soft
 * thresholding, {@link dev.onelayer.model.optim.Projections} onto column simplices or affine sets),
 * {@link dev.onelayer.model.optim.GradClip} and learning-rate
 * {@link dev.onelayer.model.optim.Schedule}s including PyTorch's
 * {@link dev.onelayer.model.optim.OneCycle}.
 */
package dev.onelayer.model.optim;
