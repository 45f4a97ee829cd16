package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link MarkovModel} on a binary chain with the reference recipe (markov.md section 4):
 * a fresh batch every step, AdamW with decoupled weight decay on the {@code DECAY} group only, the
 * one-cycle cosine schedule ({@code OneCycleLR}), no gradient clipping, float32 throughout (the
 * reference uses fp16 autocast).
 *
 * <p>Streams of {@link TrainConfig#seed()}: "init" (initial weights), "data" (training batches,
 * owned by the {@link Trainer}), "heldout" (the fixed held-out batch of
 * {@link TrainConfig#evalSequences()} sequences, never trained on).
 *
 * <p>In the online setting every training batch is fresh, so the training loss of a step (measured
 * before its update) is already an unbiased estimate of the population loss: the loss curves use
 * it, and the held-out batch is evaluated only every {@link TrainConfig#evalEvery()} steps and at
 * the end.
 */
public final class MarkovTraining {

    private MarkovTraining() {
    }

    /** Called after every training step (for progress bars). */
    @FunctionalInterface
    public interface StepListener {
        void onStep(long step, double loss);
    }

    /** Builds the model at its initial point. */
    public static MarkovModel initialModel(TrainConfig c) {
        if (c == null) throw new IllegalArgumentException("MarkovTraining: config is null");
        Rng init = Rng.stream(c.seed(), "init");
        if (c.architecture() == TrainConfig.Architecture.FULL) return new FullModel(c.fullModelConfig()).initGpt2(init, c.initStd());
        TheoryModel model = new TheoryModel(c.modelConfig());
        if (c.init() == TrainConfig.Init.UNIGRAM) model.initUnigram(init, c.initStd(), c.p(), c.q());
        else model.initNormal(init, c.initStd());
        return model;
    }

    /** The optimizer of the recipe: AdamW(β₁, β₂, ε), decoupled decay on {@code DECAY} only. */
    public static AdamW optimizer(TrainConfig c) {
        return new AdamW(c.beta1(), c.beta2(), c.eps(), c.weightDecay(), true);
    }

    /** The one-cycle cosine schedule of the recipe. */
    public static Schedule schedule(TrainConfig c) {
        return Schedule.oneCycle(c.lr(), c.steps(), c.warmupFraction(), c.divFactor(), c.finalDivFactor());
    }

    /**
     * Model, task, optimizer and schedule of {@code c} wired into a {@link Trainer}, ready for
     * {@link Trainer#trainStep()}: the entry point for benchmarks of one training step at a
     * given shape (e.g. {@code TrainConfig.paper(0.5, 0.8, true).withParallelism(16, 2)}).
     */
    public static Trainer<MarkovBatch> trainer(TrainConfig c) {
        return trainer(c, initialModel(c));
    }

    /** {@link #trainer(TrainConfig)} for a model already built from {@code c}. */
    public static Trainer<MarkovBatch> trainer(TrainConfig c, MarkovModel model) {
        if (c == null || model == null) throw new IllegalArgumentException("MarkovTraining.trainer: config and model are required");
        if (model.seqLen() != c.seqLen()) {
            throw new IllegalArgumentException("MarkovTraining.trainer: model has N=" + model.seqLen() + ", config has N=" + c.seqLen());
        }
        MarkovTask task = new MarkovTask(c.chain(), c.seqLen());
        TrainerConfig tc = TrainerConfig.of(c.seed(), c.steps(), c.batchSize()).withChunks(Math.min(c.chunkSize(), c.batchSize()), c.threads());
        return new Trainer<>(model, task, optimizer(c), schedule(c), tc);
    }

    /** Runs one training run and evaluates it. */
    public static RunResult run(TrainConfig c) {
        return run(c, null);
    }

    /** Runs one training run, reporting every step to {@code listener} (may be null). */
    public static RunResult run(TrainConfig c, StepListener listener) {
        MarkovModel model = initialModel(c);
        BinaryChain chain = c.chain();
        Trainer<MarkovBatch> trainer = trainer(c, model);
        MarkovTask task = new MarkovTask(chain, c.seqLen());
        MarkovBatch heldOut = task.newBatch(c.evalSequences());
        task.sample(Rng.stream(c.seed(), "heldout"), heldOut);
        int chunk = Math.min(c.chunkSize(), c.evalSequences());
        Evaluation initial = Evaluation.of(model, heldOut, chain, chunk, c.threads());
        double lambda0 = Curvature.lambdaMin(c.p(), c.q(), model.positions());

        double[] trainLoss = new double[Math.toIntExact(c.steps())];
        List<Long> evalSteps = new ArrayList<>();
        List<Double> evalLoss = new ArrayList<>();
        evalSteps.add(0L);
        evalLoss.add(initial.loss());
        Evaluation last = initial;
        for (int s = 0; s < c.steps(); s++) {
            trainLoss[s] = trainer.trainStep().loss();
            if (listener != null) listener.onStep(s + 1, trainLoss[s]);
            boolean curve = c.evalEvery() > 0 && (s + 1) % c.evalEvery() == 0;
            if (curve || s + 1 == c.steps()) {
                last = Evaluation.of(model, heldOut, chain, chunk, c.threads());
                evalSteps.add((long) s + 1);
                evalLoss.add(last.loss());
            }
        }
        long[] es = new long[evalSteps.size()];
        double[] el = new double[evalLoss.size()];
        for (int i = 0; i < es.length; i++) {
            es[i] = evalSteps.get(i);
            el[i] = evalLoss.get(i);
        }
        return new RunResult(c, trainLoss, es, el, initial, last, chain.entropyRate(), chain.unigramEntropy(),
                chain.bayesLoss(c.seqLen()), lambda0, Curvature.lambdaMin(c.p(), c.q(), model.positions()),
                model.params().values().clone());
    }
}
