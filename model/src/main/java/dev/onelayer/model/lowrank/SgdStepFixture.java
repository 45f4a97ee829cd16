package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Rng;

/**
 * One SGD step of {@link AttentionMlpModel} at a chosen shape, ready to be timed (issue 8
 * "Performance": d 32, L 32, M 16, m 256, batch 64). Construction draws the data and the initial
 * weights; {@link #step()} runs one step on the next mini-batch of a fixed permutation of the
 * training set, cycling, so repeated calls cost the same.
 */
public final class SgdStepFixture {

    private final LowRankConfig config;
    private final AttentionMlpModel model;
    private final PatternData train;
    private final int[] order;
    private int pos;

    /**
     * A fixture with the validated init and rates (lr 2, W_O rate scaled by m/64), n_train =
     * max(4 batch, 256) samples.
     */
    public static SgdStepFixture of(int d, int seqLen, int patterns, int neurons, int batch, long seed) {
        return of(d, seqLen, patterns, neurons, batch, seed, 1);
    }

    /** As {@link #of(int, int, int, int, int, long)}, the step's batch chunks on up to {@code threads} threads. */
    public static SgdStepFixture of(int d, int seqLen, int patterns, int neurons, int batch, long seed, int threads) {
        int n = Math.max(4 * batch, 256);
        PatternTaskConfig task = new PatternTaskConfig(d, patterns, seqLen, 1, 0.3, 0.1, 1.0, 0.1, n, 2);
        LowRankConfig c = new LowRankConfig(task, ModelConfig.defaults().withNeurons(neurons), 2.0, neurons / 64.0, 1, batch, 1, seed, threads);
        return new SgdStepFixture(c);
    }

    /** The issue's benchmark shape: d 32, L 32, M 16, m 256, batch 64, single-threaded. */
    public static SgdStepFixture issueShape(long seed) {
        return issueShape(seed, 1);
    }

    /** The issue's benchmark shape on up to {@code threads} threads. */
    public static SgdStepFixture issueShape(long seed, int threads) {
        return of(32, 32, 16, 256, 64, seed, threads);
    }

    public SgdStepFixture(LowRankConfig config) {
        if (config == null) throw new IllegalArgumentException("SgdStepFixture: config is null");
        this.config = config;
        this.model = Training.freshModel(config);
        this.train = new PatternTask(config.task(), config.seed()).train();
        this.order = Rng.stream(config.seed(), "batches").permutation(train.n());
    }

    /** One SGD step; returns the mini-batch hinge loss before it. */
    public double step() {
        if (pos + config.batch() > order.length) pos = 0;
        double loss = model.sgdStep(train, order, pos, config.batch(), config.lr(), config.lrOMult());
        pos += config.batch();
        return loss;
    }

    public AttentionMlpModel model() {
        return model;
    }

    public LowRankConfig config() {
        return config;
    }

    /** Floating-point operations of one step (forward + backward GEMMs and attention, no update). */
    public double flopsPerStep() {
        double rows = (double) config.batch() * config.task().seqLen(), d = config.task().d(), m = config.model().neurons();
        double l = config.task().seqLen();
        double proj = 3 * 2 * rows * d * d;          // Q, K, V
        double out = 2 * rows * m * d;               // W_O
        double attn = 2 * config.batch() * l * l * 2 * d; // scores + weighted sum
        return 3 * (proj + out) + attn + 2 * config.batch() * l * l * 5 * d; // backward ~2x GEMMs; attention backward 5 d per pair
    }
}
