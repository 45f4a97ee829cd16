package dev.onelayer.model.markov;

import dev.onelayer.kernel.SoftmaxAttentionSpec;

/**
 * Everything one training run of the {@link TheoryModel} on a binary chain needs; every default
 * comes from the reference code (markov.md sections 4-5) and every one can be overridden with the
 * {@code with...} methods.
 *
 * @param p               switching probability P(0 -> 1)
 * @param q               switching probability P(1 -> 0)
 * @param order           k of the chain (1: first order)
 * @param initialLaw      law of the first k symbols
 * @param d               embedding width
 * @param seqLen          N
 * @param batchSize       B
 * @param steps           optimizer steps (one fresh batch each)
 * @param tied            weight tying a = e
 * @param window          attention window M, or {@link SoftmaxAttentionSpec#NO_WINDOW}
 * @param architecture    which model ({@link TheoryModel} or {@link FullModel})
 * @param layers          transformer blocks of the full model (the theory model has exactly one)
 * @param init            starting point
 * @param initStd         standard deviation of the normal initialisation
 * @param lr              peak learning rate of the one-cycle schedule
 * @param beta1           AdamW beta1
 * @param beta2           AdamW beta2
 * @param eps             AdamW epsilon
 * @param weightDecay     decoupled weight decay of the matrix weights (and e, a)
 * @param warmupFraction  one-cycle pct_start
 * @param divFactor       one-cycle div_factor (initial lr = lr/divFactor)
 * @param finalDivFactor  one-cycle final_div_factor (final lr = initial lr/finalDivFactor)
 * @param evalSequences   fresh held-out sequences for the evaluation loss and the estimates
 * @param evalEvery       evaluate every k steps for the curve (0: only at the end)
 * @param seed            root seed (data, evaluation and initialisation streams derive from it)
 * @param chunkSize       sequences per chunk (fixes summation order)
 * @param threads         threads (results do not depend on it)
 */
public record TrainConfig(double p, double q, int order, InitialLaw initialLaw,
                          int d, int seqLen, int batchSize, long steps, boolean tied, int window,
                          Architecture architecture, int layers, Init init, double initStd,
                          double lr, double beta1, double beta2, double eps, double weightDecay,
                          double warmupFraction, double divFactor, double finalDivFactor,
                          int evalSequences, int evalEvery, long seed, int chunkSize, int threads) {

    /** Starting points. */
    public enum Init {
        /** Every weight ~ N(0, initStd²), b = 0. */
        NORMAL,
        /** The unigram point θ_π of Thm 2 ({@link TheoryModel#initUnigram}). */
        UNIGRAM
    }

    /** The two models of markov.md section 2. */
    public enum Architecture {
        /** The Section 3 model ({@code Markov-Simple}): scalar logit, ReLU feed-forward, no LayerNorm. */
        THEORY,
        /** GPT-2 blocks ({@code Markov-LLM}): pre-LayerNorm, GELU, 2-row embedding, 2-way softmax head. */
        FULL
    }

    public TrainConfig {
        new BinaryChain(p, q, order, initialLaw); // validates p, q, order, law
        if (architecture == null) throw new IllegalArgumentException("TrainConfig: architecture is null");
        if (architecture == Architecture.THEORY) {
            new TheoryModel.Config(d, seqLen, tied, window);
            if (layers != 1) throw new IllegalArgumentException("TrainConfig: the theory model has exactly one layer, got layers=" + layers);
        } else {
            new FullModel.Config(2, d, layers, seqLen, tied, window);
        }
        if (batchSize < 1) throw new IllegalArgumentException("TrainConfig: batchSize=" + batchSize + " must be at least 1");
        if (steps < 2) throw new IllegalArgumentException("TrainConfig: steps=" + steps + " must be at least 2 (one-cycle schedule)");
        if (init == null) throw new IllegalArgumentException("TrainConfig: init is null");
        if (!(initStd >= 0) || Double.isInfinite(initStd)) throw new IllegalArgumentException("TrainConfig: initStd=" + initStd + " must be finite and >= 0");
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("TrainConfig: lr=" + lr + " must be finite and positive");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("TrainConfig: weightDecay=" + weightDecay + " must be >= 0");
        if (evalSequences < 1) throw new IllegalArgumentException("TrainConfig: evalSequences=" + evalSequences + " must be at least 1");
        if (evalEvery < 0) throw new IllegalArgumentException("TrainConfig: evalEvery=" + evalEvery + " is negative");
        if (chunkSize < 1 || threads < 1) {
            throw new IllegalArgumentException("TrainConfig: chunkSize=" + chunkSize + " and threads=" + threads + " must be at least 1");
        }
        try {
            dev.onelayer.model.optim.Schedule.oneCycle(lr, steps, warmupFraction, divFactor, finalDivFactor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TrainConfig: steps=" + steps + " with warm-up fraction " + warmupFraction
                    + " does not make a one-cycle schedule (needs warm-up fraction x steps > 1, e.g. steps >= 51 at 2%): " + e.getMessage());
        }
        if (init == Init.UNIGRAM && architecture != Architecture.THEORY) {
            throw new IllegalArgumentException("TrainConfig: the unigram init theta_pi is defined for the theory model only");
        }
        if (init == Init.UNIGRAM && !(p > 0 && p < 1 && q > 0 && q < 1)) {
            throw new IllegalArgumentException("TrainConfig: the unigram init needs p, q in (0, 1), got p=" + p + ", q=" + q);
        }
    }

    /**
     * The reference code's defaults for the Simple (theory) model at v1: first-order chain from
     * stationarity, d = 4, N = 1024, B = 16, 400 iterations, AdamW(0.9, 0.95, eps 1e-8), lr 2e-3,
     * weight decay 1e-3, one-cycle cosine (2% warm-up, div 100, final div 0.05), N(0, 0.02) init,
     * full causal attention. Evaluation: 24 batches of 16 fresh sequences (384), at the end.
     */
    public static TrainConfig paper(double p, double q, boolean tied) {
        return new TrainConfig(p, q, 1, InitialLaw.STATIONARY, 4, 1024, 16, 400, tied, SoftmaxAttentionSpec.NO_WINDOW,
                Architecture.THEORY, 1, Init.NORMAL, 0.02, 2e-3, 0.9, 0.95, 1e-8, 1e-3, 0.02, 100, 0.05, 384, 0, 1, 8, 1);
    }

    /**
     * The validated settings of markov.md (reproduce experiments 1 and 2 within 0.01 nats):
     * the paper's recipe with N = 256, 600 steps, evaluated on 256 fresh sequences.
     */
    public static TrainConfig validated(double p, double q, boolean tied) {
        return paper(p, q, tied).withSeqLen(256).withSteps(600).withEvalSequences(256);
    }

    /**
     * The full model's defaults of the reference code ({@code Markov-LLM}, markov.md section 5):
     * d = 8, one layer, N = 1024, B = 16, 400 iterations, the same optimizer and schedule as
     * {@link #paper}, GPT-2 initialisation N(0, 0.02).
     */
    public static TrainConfig paperFull(double p, double q, boolean tied) {
        return paper(p, q, tied).withArchitecture(Architecture.FULL, 1).withModel(8, tied, SoftmaxAttentionSpec.NO_WINDOW);
    }

    /** The full model with {@code n} layers (the theory model only with n = 1). */
    public TrainConfig withArchitecture(Architecture a, int n) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, a, n, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withLayers(int n) {
        return withArchitecture(architecture, n);
    }

    public TrainConfig withWindow(int w) {
        return withModel(d, tied, w);
    }

    /** The chain this config trains on. */
    public BinaryChain chain() {
        return new BinaryChain(p, q, order, initialLaw);
    }

    /** The theory model's shape. */
    public TheoryModel.Config modelConfig() {
        return new TheoryModel.Config(d, seqLen, tied, window);
    }

    /** The full model's shape (binary vocabulary). */
    public FullModel.Config fullModelConfig() {
        return new FullModel.Config(2, d, layers, seqLen, tied, window);
    }

    public TrainConfig withChain(double p2, double q2) {
        return new TrainConfig(p2, q2, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withOrder(int k, InitialLaw law) {
        return new TrainConfig(p, q, k, law, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withModel(int d2, boolean tied2, int window2) {
        return new TrainConfig(p, q, order, initialLaw, d2, seqLen, batchSize, steps, tied2, window2, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withTied(boolean tied2) {
        return withModel(d, tied2, window);
    }

    public TrainConfig withSeqLen(int n) {
        return new TrainConfig(p, q, order, initialLaw, d, n, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, b, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withSteps(long s) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, s, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withInit(Init i, double std) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, i, std, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withOptimizer(double lr2, double b1, double b2, double eps2, double wd) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr2, b1, b2, eps2,
                wd, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withSchedule(double warmup, double div, double finalDiv) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmup, div, finalDiv, evalSequences, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withEvalSequences(int n) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, n, evalEvery, seed, chunkSize, threads);
    }

    public TrainConfig withEvalEvery(int every) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, every, seed, chunkSize, threads);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, s, chunkSize, threads);
    }

    public TrainConfig withParallelism(int chunk, int nThreads) {
        return new TrainConfig(p, q, order, initialLaw, d, seqLen, batchSize, steps, tied, window, architecture, layers, init, initStd, lr, beta1, beta2, eps,
                weightDecay, warmupFraction, divFactor, finalDivFactor, evalSequences, evalEvery, seed, chunk, nThreads);
    }
}
