package dev.onelayer.model.lowrank;

import dev.onelayer.model.core.Rng;

/**
 * Experiment 1 of issue 8: mini-batch SGD on the hinge loss over the fixed training set, with
 * train/test error, test hinge and the attention mass on label-relevant tokens recorded every
 * {@code evalEvery} steps (notes section 3; ICLR'23: the mass rises towards 1).
 */
public final class Training {

    /** Called after each SGD step with the number of finished steps and the mini-batch loss. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int stepsDone, double batchLoss);
    }

    /** Samples per forward chunk; also the largest batch. */
    static final int CHUNK = 256;

    private Training() {
    }

    /** Trains the model of {@code config} from its seed. */
    public static TrainedRun run(LowRankConfig config) {
        return run(config, null);
    }

    /** As {@link #run(LowRankConfig)}, calling {@code onStep} with each finished step (for progress bars). */
    public static TrainedRun run(LowRankConfig config, StepListener onStep) {
        if (config == null) throw new IllegalArgumentException("Training.run: config is null");
        PatternTask task = new PatternTask(config.task(), config.seed());
        AttentionMlpModel model = freshModel(config);
        float[] init = model.params().values().clone();
        return continueRun(config, task, model, init, onStep);
    }

    /** A model of this config's shape with its initial weights, and the task, without training (for benchmarks). */
    public static AttentionMlpModel freshModel(LowRankConfig config) {
        return new AttentionMlpModel(config.task().d(), config.task().seqLen(), config.model(),
                Rng.stream(config.seed(), Rng.INIT), Math.max(CHUNK, config.batch()), config.threads());
    }

    static TrainedRun continueRun(LowRankConfig config, PatternTask task, AttentionMlpModel model, float[] init, StepListener onStep) {
        long t0 = System.nanoTime();
        PatternData train = task.train(), test = task.test();
        int evals = config.steps() / config.evalEvery() + 2;
        int[] stepAt = new int[evals];
        double[] batchLoss = new double[evals], trainErr = new double[evals], testErr = new double[evals],
                testHinge = new double[evals], attn = new double[evals];
        int e = 0;
        Rng batches = Rng.stream(config.seed(), "batches");
        int[] order = batches.permutation(train.n());
        int pos = 0;
        double lossSum = 0;
        int lossCount = 0;
        for (int step = 0; ; step++) {
            if (step % config.evalEvery() == 0 || step == config.steps()) {
                double[] fTest = model.outputs(test);
                stepAt[e] = step;
                batchLoss[e] = lossCount > 0 ? lossSum / lossCount : Double.NaN;
                trainErr[e] = AttentionMlpModel.error(model.outputs(train), train.y());
                testErr[e] = AttentionMlpModel.error(fTest, test.y());
                testHinge[e] = AttentionMlpModel.hinge(fTest, test.y());
                attn[e] = model.relevantAttention(test, task);
                e++;
                lossSum = 0;
                lossCount = 0;
            }
            if (step == config.steps()) break;
            if (pos + config.batch() > order.length) {
                order = batches.permutation(train.n());
                pos = 0;
            }
            double loss = model.sgdStep(train, order, pos, config.batch(), config.lr(), config.lrOMult());
            if (!Double.isFinite(loss)) throw new IllegalStateException("Training: non-finite loss at step " + step);
            pos += config.batch();
            lossSum += loss;
            lossCount++;
            if (onStep != null) onStep.onStep(step + 1, loss);
        }
        TrainingCurve curve = new TrainingCurve(java.util.Arrays.copyOf(stepAt, e), java.util.Arrays.copyOf(batchLoss, e),
                java.util.Arrays.copyOf(trainErr, e), java.util.Arrays.copyOf(testErr, e), java.util.Arrays.copyOf(testHinge, e),
                java.util.Arrays.copyOf(attn, e));
        return new TrainedRun(config, task, model, init, curve, (System.nanoTime() - t0) / 1e9);
    }
}
