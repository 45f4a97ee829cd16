/**
 * Sparse Contextual Bigrams (Ren, Wang, Lee, NeurIPS 2024; notes: shared/papers/scb.md): the task,
 * the reduced one-layer linear transformer, preconditioned projected proximal descent (PPPD), the
 * SGD baseline, transfer, and the experiments as library functions.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.onelayer.model.scb.ScbTask}: P, mu, A*, sampling; generators
 *       {@link dev.onelayer.model.scb.TransitionGenerator} (pmix, Dirichlet columns, given) and
 *       {@link dev.onelayer.model.scb.SparseAttentionGenerator} (random support, given);
 *       {@link dev.onelayer.model.scb.ScbTaskConfig} names them for experiments.</li>
 *   <li>{@link dev.onelayer.model.scb.ScbPopulation}: the closed-form second moment, population loss,
 *       L* and excess loss.</li>
 *   <li>{@link dev.onelayer.model.scb.ScbModel}: {@code y_hat = V X A e_k} through the kernel's form-5
 *       readout ({@code Attention.scbReadout}, gathers from token indices); the backward starts from
 *       the forward's hidden {@code X A e_k}, so a step reads the B T tokens once per direction.</li>
 *   <li>{@link dev.onelayer.model.scb.ScbOptimizer} with {@link dev.onelayer.model.scb.ScbOptimizerConfig}
 *       (presets {@code pppd()}, {@code pppdVn()}, {@code sgd(lr)}; every piece a field).</li>
 *   <li>{@link dev.onelayer.model.scb.ScbRun} (online training, curves, milestones, transfer init),
 *       {@link dev.onelayer.model.scb.ScbMetrics} (gauge-fixed distances, corr).</li>
 *   <li>Experiments: {@link dev.onelayer.model.scb.RecoveryExperiment} (1),
 *       {@link dev.onelayer.model.scb.PlateauExperiment} (2),
 *       {@link dev.onelayer.model.scb.StageTwoExperiment} (2b),
 *       {@link dev.onelayer.model.scb.TransferExperiment} (3),
 *       {@link dev.onelayer.model.scb.SoftmaxComparisonExperiment} (4); each {@code run(Config) -> Result}
 *       with the paper-claim text in {@code Result.claim()}; {@code run(Config, RunListener[, threads])}
 *       reports each finished run (progress bars) and spreads the independent runs over threads
 *       (kernel {@code Parallel}; the result does not depend on the thread count). Command line:
 *       {@code onelayer scb recovery|plateau|transfer|softmax}; measured results: docs/results-scb.md.</li>
 *   <li>{@link dev.onelayer.model.scb.GeneralLinearTransformer}: the general one-layer linear transformer
 *       (one-hot token + position embeddings, merged W_KQ, W_PV) and its embedding of (V, A), tested to give
 *       the same predictions and gradients. {@link dev.onelayer.model.scb.FloatSoftmaxScbModel}: the softmax
 *       counterpart in float32 on the kernels (W kept transposed; the form-5 gather with A^T = the
 *       attention, {@code Kernels.softmaxRows}/{@code softmaxRowsBackward}), trained by
 *       {@link dev.onelayer.model.scb.FloatSoftmaxAdam} (float32 {@code Kernels.adam}) in experiment 4;
 *       {@link dev.onelayer.model.scb.SoftmaxScbModel} is its float64 reference (finite-difference tested,
 *       and the float32 model is tested against it).</li>
 * </ul>
 *
 * <h2>Choices the notes leave open (README material)</h2>
 * <ol>
 *   <li><b>Sampling rule</b> [R]: s ~ q^(k), then x_o ~ P(. | x_s); context and query tokens i.i.d. mu
 *       (scb.md 1). P is column-stochastic, {@code P[i][j] = Pr[i | j]}.</li>
 *   <li><b>mu</b>: computed from P by power iteration on the lazy chain (I + P)/2 from the uniform law
 *       (handles periodic P such as permutation mixtures); if P has several stationary laws the one
 *       reached from uniform is used.</li>
 *   <li><b>P generators</b>: "pmix" = Dirichlet(2)-weighted mixture of 3 uniformly random permutation
 *       matrices (permutations may coincide on some columns, which makes P sparser: seed 2 of the
 *       recovery test has tr(PDP^T) = 0.70 against 0.28-0.49 for seeds 1 and 3-8); "dirichlet" = columns
 *       i.i.d. Dirichlet(1).</li>
 *   <li><b>q^(k)</b>: support = Q distinct positions uniformly at random, weights Dirichlet(2) on it
 *       (|A*|_F = 2.35-2.55 at N = 10, T = 50, Q = 2; the notes report about 2.3). The P stream
 *       ("task/P") does not depend on T, so a T sweep at one seed keeps the same P.</li>
 *   <li><b>Loss</b>: 1/2 |e_{x_o} - y_hat|^2 averaged over the batch; the l1 term is applied only as
 *       the proximal step (not added to the reported loss).</li>
 *   <li><b>Population loss</b>: closed form (see {@link dev.onelayer.model.scb.ScbPopulation}); excess =
 *       L - L* with L* = L(P, A*) (the Bayes predictor lies in the model class).</li>
 *   <li><b>PPPD</b> (Validated settings): {@code V <- simplex(V - etaV G_V H^-1)},
 *       {@code H = s D + m mu mu^T}, {@code s = sum_k pi_k |a_k|^2}, {@code m = sum_k pi_k (1^T a_k)^2}
 *       from the current A; {@code a_k <- simplex(soft(a_k - etaA G_A e_k / (pi_k max(tr(V D V^T), 0.02)),
 *       etaA lambda))}; etaV = 0.1, etaA = 0.01, both times 1/(1 + n/2e4) with n = samples seen
 *       before the step; init V = 11^T/N, A = 11^T/T. Open details fixed here:
 *       mu and pi are online estimates from all context tokens resp. query tokens seen so far
 *       <em>including the current batch</em>, with one pseudo-count per token
 *       ({@code (count + 1)/(total + N)}); tr(V D V^T) uses the estimated mu and the V before the step;
 *       both blocks use gradients at the same point (simultaneous update); lambda = 3e-4 (the notes'
 *       working value; nearly redundant under the simplex); H^-1 by Sherman-Morrison.</li>
 *   <li><b>PPPD-vn</b>: as PPPD but etaV times min(1, s/0.5) and the A step divided by pi_k only.</li>
 *   <li><b>SGD</b>: plain, unregularised, unconstrained, constant learning rate on both V and A (no decay).
 *       Gauge: distances are measured after rescaling A's columns to sum to 1 on average and V by the
 *       inverse factor ({@link dev.onelayer.model.scb.ScbMetrics}); a no-op for simplex methods.</li>
 *   <li><b>Distances</b>: absolute Frobenius |cV - P|_F and |A/c - A*|_F. <b>corr(V, P)</b>: cosine of
 *       cV - mu 1^T and P - mu 1^T.</li>
 *   <li><b>Plateau</b>: samples until the exact population loss first falls to
 *       L* + 0.8 (L(11^T/N, 11^T/T) - L*), checked after every step; seed median; exponent = least-squares
 *       slope of ln median against ln T. Second measure: samples until corr(V, P) >= 0.9.
 *       <b>Transfer</b> uses the same absolute loss level (that of the scratch start) for both starts.</li>
 *   <li><b>Transfer init</b>: V0 = (1 - rho) P + rho R with R's columns Dirichlet(1) (stream "init/transfer"),
 *       A = 11^T/T; this stands in for "V pretrained on a task with P_pre = (1 - rho) P + rho R" (the
 *       optimiser's mu/pi estimates start fresh). Config field {@code pretrainSamples > 0} replaces it by
 *       an actual pretraining run ({@link dev.onelayer.model.scb.Pretraining}: same optimiser and batch,
 *       the downstream T and attention pattern, data stream "data/pretrain"); only V is handed over.</li>
 *   <li><b>Stage 2</b>: samples between closing 20% and 90% of the loss gap.</li>
 *   <li><b>General linear transformer</b>: query at position T, attends to the T context positions only
 *       (not to itself); reduced form = only the position-by-query-token block of W_KQ and the token block of W_PV.</li>
 *   <li><b>Softmax model</b> [R]: the same reduction with softmax over positions of a score table W (T x N),
 *       logits z = V X softmax(W e_k), cross-entropy; zero init; float32 Adam (0.9, 0.999, 1e-8) at lr 0.01 on the
 *       same batches as the linear PPPD run; compared through softmax(W e_k) against A* and softmax(V e_j)
 *       against P's column j (the latter cannot reach exact zeros, so its distance to P stays large).</li>
 *   <li><b>Seeds</b>: seed i draws the task (streams "task/P", "task/A") and the data (stream "data");
 *       the claims tests use seeds 1-3.</li>
 * </ol>
 *
 * <h2>Measured (claims test uses seeds 1-3; ranges over seeds 1-8 in brackets)</h2>
 * Recovery (pmix, N=10, T=50, Q=2, B=64, 4e5 samples), final (dV, dA):
 * PPPD (0.057-0.061, 0.055-0.060) [(0.048-0.065, 0.047-0.060)], first below 0.1 on both at
 * 115k-166k samples; SGD 0.03: dA 0.180 / 0.091 / 0.301 [0.091-0.361]; SGD 0.1: 0.175 / 0.155 / 0.177
 * [0.139-0.187]; SGD 0.3: 0.217-0.271 [0.217-0.295]; SGD 1: 0.390-0.577 [0.390-0.577].
 * Single seeds can put SGD at lr 0.03 or 0.1 below the issue's 0.15 on A (seed 2, whose P is
 * near-deterministic, for 0.03; seed 5 for 0.1), so the test asserts the issue's 0.15 on the seed
 * median and, per seed, that every SGD rate is worse on A than PPPD. Excess loss: PPPD 1.3e-4 to 2.2e-4,
 * SGD 0.03 2.1e-4 to 3.1e-4, SGD 0.1 5.6e-4 to 9.8e-4: the excess loss separates PPPD clearly from SGD
 * at lr >= 0.1 only. Dense P (Dirichlet(1) columns, 1e6 samples, seeds 1-3): raw distances do not
 * converge (PPPD dA 0.34-0.51, the valley), max excess PPPD 1.9e-4, SGD 0.03 2.6e-4, SGD 0.1 5.9e-4.
 * <p>Plateau (PPPD-vn, T = 25, 50, 100, 200, 400): medians 6144, 8704, 10624, 13248, 16384, exponent 0.34
 * (PPPD itself: 704, 896, 832, 1024, 1344, exponent 0.21, not monotone, as the notes warn; SGD 0.3: 10368 to
 * 21056, exponent 0.25; with the corr >= 0.9 measure: PPPD-vn 2176 to 7872, exponent 0.44; SGD 0.3 exponent 0.52;
 * PPPD 0.13).
 * <p>Transfer (PPPD-vn, rho = 0.8, initial corr 0.51): ratio 1.39, 1.56, 1.77, 2.13, 2.42; exponents scratch
 * 0.34, transfer 0.14 (seeds 4-6: ratio 1.23 to 2.08 at T=400, exponents 0.40 / 0.21, initial corr 0.40;
 * seeds 7-9: 1.34 to 2.40, exponents 0.40 / 0.18).
 * <p>Stage 2 (PPPD, T = 100, 20% to 90% of the gap; rows N = 5, 10, 20, columns Q = 1, 2, 4), seed medians:
 * [10880, 11136, 11648], [12864, 13888, 14784], [13696, 15488, 17728]: grows with N and with Q.
 * <p>Softmax vs linear (seeds 1-3, 1e5 and 2e5 samples): both models' top-2 attention positions equal A*'s
 * support for all 10 queries; squared loss of the predicted distribution: linear within 6e-4 of L*, softmax
 * 0.351 vs L* 0.338 from 0.45 at the start (seed 1; 86-89% of the gap); softmax distances to A* 0.34-0.60
 * and of softmax(V) to P 0.36-0.58.
 */
package dev.onelayer.model.scb;
