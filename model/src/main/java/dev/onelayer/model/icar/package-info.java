/**
 * In-context autoregressive learning (Sander, Giryes, Suzuki, Blondel, Peyré, ICML 2024;
 * notes: {@code shared/papers/icar.md}): sequences {@code s_{t+1} = W s_t} with an orthogonal W
 * drawn per sequence, and one-layer linear Transformers that learn W in context.
 *
 * <h2>Contents</h2>
 * <ul>
 *   <li>{@link dev.onelayer.model.icar.ArProcess}: the data (2x2 rotation blocks, the complex
 *       unitary diagonal case as real pairs, Haar O(d), the d = 1 complex case with angles in
 *       [0, 2pi/mu)), s_0 options, additive noise; {@link dev.onelayer.model.icar.SequenceBatch}.</li>
 *   <li>{@link dev.onelayer.model.icar.DiagonalAttentionModel}: diagonal multi-head linear
 *       attention with a shared positional matrix and the previous token as query (notes 2(b)),
 *       through the kernel's form 3; {@link dev.onelayer.model.icar.UnitaryPopulationLoss}: its
 *       closed-form population loss under unitary data; {@code positionalOnly} is the d = 1 PE-only
 *       model of Fig 6, trained full-batch on {@link dev.onelayer.model.icar.FixedSequences}.</li>
 *   <li>{@link dev.onelayer.model.icar.AugmentedModel}: the augmented linear Transformer
 *       {@code e_t + sum P e_t' (e_t'^T Q e_t)} with first-block readout (notes 2(a)).</li>
 *   <li>{@link dev.onelayer.model.icar.DiagonalExperiment} (issue experiments 1 and 2) and
 *       {@link dev.onelayer.model.icar.AugmentedExperiment} (experiment 3),
 *       {@link dev.onelayer.model.icar.PeOnlyExperiment} (experiment 4): config record to result
 *       record with the theory's values side by side.</li>
 *   <li>{@link dev.onelayer.model.icar.GeneralAttentionModel} and
 *       {@link dev.onelayer.model.icar.HaarExperiment} (experiment 5): the reference code's general
 *       models (full Q/K/V per head, heads summed, linear readout; augmented tokens, or duplicated
 *       tokens with a learned absolute positional embedding whose softmax score multiplies the
 *       token score) on Haar O(d), with fixed training/test sets served by
 *       {@link dev.onelayer.model.icar.EpochSampler}.</li>
 * </ul>
 *
 * <h2>Choices the notes leave open</h2>
 * <ul>
 *   <li><b>Complex data, real parameters.</b> The unitary case keeps complex states (stored as
 *       (re, im) pairs) and real A, B, P; complex products are done as real pairs. The model is then
 *       exactly two real form-3 calls (see {@link dev.onelayer.model.icar.DiagonalAttentionModel}).
 *       A real diagonal model on the 2d pair coordinates would be the rotation case instead.</li>
 *   <li><b>Which rows of P are trained.</b> With T tokens s_0..s_{T-1} as keys/values and targets
 *       s_2..s_T, rows r = 0..T-2 attend to t' &lt;= r+1; row T-1 and the masked entries never get
 *       a gradient and keep their initial values, so structure is read on the causal entries only.</li>
 *   <li><b>Loss.</b> Sum of squared errors over rows and coordinates per sequence, mean over the
 *       batch; reported normalised by the zero predictor's loss (sum of squared targets), so the
 *       H &lt; d floor reads (d - H)/d.</li>
 *   <li><b>Noise.</b> Process noise {@code s_{t+1} = W s_t + sigma xi_t}, xi ~ N(0, I); every
 *       reference script uses sigma = 0, and so do the experiments.</li>
 *   <li><b>Random s_0.</b> Keeps the per-coordinate (complex) or per-block (rotations) norm of the
 *       all-ones start and randomises the direction (random phases / R(phi)(1, 1) per block / a
 *       uniform direction of norm sqrt(d) for Haar), so the theory's constants are unchanged.</li>
 *   <li><b>Augmented model.</b> Real data only (2x2 rotations, Haar); full 3d x 3d P and Q,
 *       no 1/t normalisation, no bias, first-block readout. Per-position models train on position t
 *       only (tokens e_0..e_t); the shared model on every position 0..L-1. Position 0 has
 *       W^_0 = 0 and does not enter the best shared step {@code sum_{t=1}^{L-1} t / sum (t^2 + (d-1)t)}.
 *       The step is fitted as {@code <pred, s_{t+1}> / <W^_t s_t, s_{t+1}>} (free of the sign gauge
 *       D W^ D of the trained weights).</li>
 *   <li><b>PE-only.</b> The repo's stopping rule "loss &lt; 1e-3" is applied to the normalised loss
 *       (zero predictor = 1), and its SGD learning rate 0.5 (on a mean over rows) becomes
 *       0.5/(T-1) on this package's sum over rows; the profile shape is summarised by the number of
 *       turning points of row T-2 over t' = 0..T-2 (the repo plots tril(P)).</li>
 *   <li><b>Optimiser.</b> Adam (PyTorch defaults) with cosine decay from lr to 0, fresh sequences
 *       every step, initialisation 0.1 N(0,1) (diagonal model, as the repo) and 0.1/sqrt(3d) N(0,1)
 *       (augmented), as in the notes' validated settings.</li>
 *   <li><b>General models (experiment 5).</b> Kept from the repo: head width = token width D,
 *       1/sqrt(Dh) score scale, causal linear token score times a causal softmax positional score
 *       through the same Wq, Wk (non-augmented), no positional term (augmented), tokens duplicated
 *       {@code ext = 2} times (non-augmented), s_0 = 1/sqrt(d) 1, Adam with a constant lr,
 *       PyTorch's default initialisation. The readout is either one linear map Wo from the summed
 *       heads to R^d, or ({@code layerNorm}) the repo's fc_out + LayerNorm (+ residual for the
 *       augmented model, + output Linear for the non-augmented one). Left out: biases. Loss summed over positions and coordinates (Adam
 *       is insensitive to the repo's mean); minibatches epoch by epoch from the fixed training
 *       set.</li>
 * </ul>
 */
package dev.onelayer.model.icar;
