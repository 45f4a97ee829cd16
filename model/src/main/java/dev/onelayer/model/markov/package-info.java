/**
 * Makkuva et al. 2024, "Attention with Markov" (notes: {@code papers/markov.md}): binary, k-th
 * order and S-state Markov sources with exact reference losses ({@link dev.onelayer.model.markov.Chain}),
 * the Section 3 single-layer model ({@link dev.onelayer.model.markov.TheoryModel}) and the GPT-2
 * style full model ({@link dev.onelayer.model.markov.FullModel}), both tied or untied, the training
 * recipe of the reference code ({@link dev.onelayer.model.markov.MarkovTraining}) and the six
 * experiments ({@link dev.onelayer.model.markov.MarkovExperiments}).
 *
 * <p>Choices where the paper or its code is silent or PyTorch-specific, each a
 * {@link dev.onelayer.model.markov.TrainConfig} field unless marked fixed:
 * <ul>
 *   <li>float32 everywhere instead of fp16 autocast (fixed); losses and metrics in float64;</li>
 *   <li>theory model init: every matrix, e, the untied a and the positional table ~ N(0, 0.02²),
 *       b = 0 ({@code initStd}); θ_π keeps W_Q, W_K, W_V, the positions and an untied a at that
 *       normal draw ({@code init});</li>
 *   <li>evaluation on {@code evalSequences} = 384 fresh sequences (24 × 16, the reference's
 *       {@code val/loss}) drawn once per run from the "heldout" stream, at the end;</li>
 *   <li>k-th order chains draw their first k symbols from π (the v1 code uses Bernoulli(π_0) and
 *       leaves the last target at 0) ({@code initialLaw});</li>
 *   <li>window M: position n attends to n − M … n, M + 1 keys ({@code window});</li>
 *   <li>full model GELU is the tanh form (fixed; {@code nn.GELU()} is erf); LayerNorm ε = 1e-5 (fixed);</li>
 *   <li>"stays"/"reaches": a final loss is classified by the nearer of entropy rate and H(π)
 *       ({@link dev.onelayer.model.markov.MarkovExperiments#regimeOf}); the claims tests use the
 *       paper's 0.01-nat closeness.</li>
 * </ul>
 */
package dev.onelayer.model.markov;
