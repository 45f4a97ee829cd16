/**
 * Li, Wang, Zhang, Liu, Chen 2024, "Learning on Transformers is Provable Low-Rank and Sparse: A
 * One-layer Analysis" (arXiv 2406.17167; notes: {@code shared/papers/lowrank.md}, whose data and
 * model are reconstructed from the authors' sibling papers): binary classification of token
 * sequences built from orthonormal patterns by a one-layer softmax-attention Transformer with a
 * ReLU MLP and hinge loss, and the structure SGD leaves in its weights.
 *
 * <h2>Contents</h2>
 * <ul>
 *   <li>{@link dev.onelayer.model.lowrank.PatternTaskConfig}, {@link dev.onelayer.model.lowrank.PatternTask},
 *       {@link dev.onelayer.model.lowrank.PatternData}: the data (relevant / confusion / irrelevant
 *       tokens, noise, majority-vote labels, fixed balanced train and test sets, k relevant
 *       patterns per class).</li>
 *   <li>{@link dev.onelayer.model.lowrank.AttentionMlpModel} with {@link dev.onelayer.model.lowrank.ModelConfig}:
 *       {@code F(X) = (1/L) sum_l a^T ReLU(W_O W_V X softmax(X^T W_K^T W_Q x_l))}, hinge loss,
 *       forward/backward as kernel GEMMs over fixed chunks of samples (projections and the MLP over
 *       all of a chunk's tokens, attention as three small products per sample), the chunks on
 *       {@code LowRankConfig.threads} threads with the same bits on any count; one SGD step is
 *       {@link dev.onelayer.model.lowrank.AttentionMlpModel#sgdStep}, packaged at any shape by
 *       {@link dev.onelayer.model.lowrank.SgdStepFixture} (what the benchmark times).</li>
 *   <li>Experiment 1: {@link dev.onelayer.model.lowrank.Training} (config
 *       {@link dev.onelayer.model.lowrank.LowRankConfig}, result {@link dev.onelayer.model.lowrank.TrainedRun}
 *       with its {@link dev.onelayer.model.lowrank.TrainingCurve}: errors, hinge, attention mass on
 *       relevant tokens).</li>
 *   <li>Experiment 2: {@link dev.onelayer.model.lowrank.SpectraAnalysis} ({@link dev.onelayer.model.lowrank.MatrixSpectrum}
 *       per Delta W) and {@link dev.onelayer.model.lowrank.RankScaling} (k relevant patterns per class).</li>
 *   <li>Experiment 3: {@link dev.onelayer.model.lowrank.RowNormSplit} and
 *       {@link dev.onelayer.model.lowrank.Pruning} ({@link dev.onelayer.model.lowrank.PruningResult}).</li>
 *   <li>Experiment 4: {@link dev.onelayer.model.lowrank.LoraTraining} ({@link dev.onelayer.model.lowrank.LoraPoint}).</li>
 * </ul>
 *
 * <h2>Choices the notes leave open (each a config field)</h2>
 * <ul>
 *   <li><b>Patterns</b>: the first M rows of a Haar orthogonal d x d matrix (not basis vectors), as
 *       in the validated implementation.</li>
 *   <li><b>Token counts</b> ({@code alphaStar}, {@code alphaSpread}, {@code confusionRatio}):
 *       nRel uniform on round((alpha* -+ 0.1) L), nConf uniform on 0..min(nRel - 1, conf nRel), so
 *       the vote always equals the label; irrelevant tokens uniform over the other patterns.</li>
 *   <li><b>Noise</b> ({@code tau}): norm tau U[0,1] in a uniform direction (bounded by tau).</li>
 *   <li><b>Balance</b>: even sample indices are +1, odd -1; training batches come from a fresh
 *       permutation each epoch.</li>
 *   <li><b>Shapes</b>: W_Q, W_K, W_V in R^{d x d}, W_O in R^{m x d}; no 1/sqrt(d) score scale (the
 *       formula has none); S = all L tokens (query set of the output mean).</li>
 *   <li><b>Initialisation</b> ({@code initQk}, {@code initV}, {@code initO}): N(0, (s/sqrt d)^2)
 *       with s = 0.1, 1, 0.01 by default: small key/query and W_O scales matter for the rank of
 *       Delta W_Q and for a clean W_O split (notes "Validated settings").</li>
 *   <li><b>Output layer</b> ({@code sqrtScale}): a = +-1/m, exactly half of each sign, fixed.</li>
 *   <li><b>Optimiser</b> ({@code lr}, {@code lrOMult}): plain constant-rate SGD on all four
 *       matrices, W_O's rate times lrOMult (scale by m/64 when m changes).</li>
 *   <li><b>Dominant singular values</b>: those above 0.1 sigma_1 ({@code relTol}); W_O's update is
 *       compared with span(W_V mu_j), its inputs, not span(mu_j).</li>
 *   <li><b>Pruning</b>: W_O rows zeroed; small group by exact 2-means on log row norms; random
 *       pruning averaged over 20 draws (stream "pruning").</li>
 *   <li><b>LoRA</b>: W = W_init + B A on all four matrices, B = 0, A ~ N(0, 1/cols), same rates.</li>
 * </ul>
 */
package dev.onelayer.model.lowrank;
