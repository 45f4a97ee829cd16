package dev.onelayer.model.lowrank;

/**
 * One training run of Li et al. 2024: data, model, and plain mini-batch SGD on the hinge loss
 * (notes section 3; values from "Validated settings").
 *
 * @param task      the data
 * @param model     width and initialisation
 * @param lr        constant SGD rate for W_Q, W_K, W_V (2 at size T, 3 for P1)
 * @param lrOMult   multiplier of the W_O rate (1 at m = 64; m/64 keeps the effective rate when m changes)
 * @param steps     SGD steps
 * @param batch     samples per step, drawn without replacement from a reshuffled training set each epoch
 * @param evalEvery evaluate train/test error, test hinge and attention mass every this many steps (and at 0 and the end)
 * @param seed      root seed (streams: task, data, eval, init, "batches")
 * @param threads   threads for the batch chunks of each step and evaluation; results do not depend on it
 */
public record LowRankConfig(PatternTaskConfig task, ModelConfig model, double lr, double lrOMult, int steps, int batch,
                            int evalEvery, long seed, int threads) {

    public LowRankConfig {
        String k = "LowRankConfig";
        if (task == null || model == null) throw new IllegalArgumentException(k + ": task and model must not be null");
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(k + ": lr=" + lr + " must be finite and > 0");
        if (!(lrOMult > 0) || Double.isInfinite(lrOMult)) throw new IllegalArgumentException(k + ": lrOMult=" + lrOMult + " must be finite and > 0");
        if (steps < 0) throw new IllegalArgumentException(k + ": steps=" + steps + " must be >= 0");
        if (batch < 1 || batch > task.nTrain()) throw new IllegalArgumentException(k + ": batch=" + batch + " must be in [1, nTrain=" + task.nTrain() + "]");
        if (evalEvery < 1) throw new IllegalArgumentException(k + ": evalEvery=" + evalEvery + " must be >= 1");
        if (threads < 1) throw new IllegalArgumentException(k + ": threads=" + threads + " must be >= 1");
    }

    /** A single-threaded config (threads = 1). */
    public LowRankConfig(PatternTaskConfig task, ModelConfig model, double lr, double lrOMult, int steps, int batch,
                         int evalEvery, long seed) {
        this(task, model, lr, lrOMult, steps, batch, evalEvery, seed, 1);
    }

    /** Validated setting "T" (CI size): d 16, M 8, L 16, m 64, init_qk 0.1, lr 2, 1000 steps, batch 64. */
    public static LowRankConfig small(long seed) {
        return new LowRankConfig(PatternTaskConfig.small(), ModelConfig.defaults(), 2.0, 1.0, 1000, 64, 100, seed);
    }

    /** Validated setting "A": d 32, M 16, L 32, m 64, init_qk 0.1, lr 2, 2000 steps. */
    public static LowRankConfig medium(long seed) {
        return new LowRankConfig(PatternTaskConfig.medium(), ModelConfig.defaults(), 2.0, 1.0, 2000, 64, 100, seed);
    }

    /** Validated setting "P1" (paper-like pruning): as A with init_qk 0.5 and lr 3. */
    public static LowRankConfig pruning(long seed) {
        return new LowRankConfig(PatternTaskConfig.medium(), ModelConfig.defaults().withInitQk(0.5), 3.0, 1.0, 2000, 64, 100, seed);
    }

    public LowRankConfig withTask(PatternTaskConfig t) {
        return new LowRankConfig(t, model, lr, lrOMult, steps, batch, evalEvery, seed, threads);
    }

    public LowRankConfig withModel(ModelConfig mc) {
        return new LowRankConfig(task, mc, lr, lrOMult, steps, batch, evalEvery, seed, threads);
    }

    public LowRankConfig withSteps(int n) {
        return new LowRankConfig(task, model, lr, lrOMult, n, batch, evalEvery, seed, threads);
    }

    public LowRankConfig withSeed(long s) {
        return new LowRankConfig(task, model, lr, lrOMult, steps, batch, evalEvery, s, threads);
    }

    public LowRankConfig withLr(double rate, double oMult) {
        return new LowRankConfig(task, model, rate, oMult, steps, batch, evalEvery, seed, threads);
    }

    public LowRankConfig withEvalEvery(int n) {
        return new LowRankConfig(task, model, lr, lrOMult, steps, batch, n, seed, threads);
    }

    public LowRankConfig withThreads(int n) {
        return new LowRankConfig(task, model, lr, lrOMult, steps, batch, evalEvery, seed, n);
    }
}
