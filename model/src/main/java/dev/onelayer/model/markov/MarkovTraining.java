package dev.onelayer.model.markov;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains the {@link TheoryModel} on a binary chain with the reference recipe (markov.md section 4):
 * a fresh batch every step, AdamW with decoupled weight decay on the {@code DECAY} group only, the
 * one-cycle cosine schedule ({@code OneCycleLR}), no gradient clipping, float32 throughout (the
 * reference uses fp16 autocast).
 *
 * <p>Streams of {@link TrainConfig#seed()}: "init" (initial weights), "data" (training batches,
 * owned by the {@link Trainer}), "heldout" (the fixed held-out batch of
 * {@link TrainConfig#evalSequences()} sequences, never trained on).
 */
public final class MarkovTraining {

    private MarkovTraining() {
    }

    /** Builds the model at its initial point. */
    public static TheoryModel initialModel(TrainConfig c) {
        if (c == null) throw new IllegalArgumentException("MarkovTraining: config is null");
        TheoryModel model = new TheoryModel(c.modelConfig());
        Rng init = Rng.stream(c.seed(), "init");
        if (c.init() == TrainConfig.Init.UNIGRAM) model.initUnigram(init, c.initStd(), c.p(), c.q());
        else model.initNormal(init, c.initStd());
        return model;
    }

    /** Runs one training run and evaluates it. */
    public static RunResult run(TrainConfig c) {
        TheoryModel model = initialModel(c);
        BinaryChain chain = c.chain();
        MarkovTask task = new MarkovTask(chain, c.seqLen());
        AdamW adamw = new AdamW(c.beta1(), c.beta2(), c.eps(), c.weightDecay(), true);
        Schedule schedule = Schedule.oneCycle(c.lr(), c.steps(), c.warmupFraction(), c.divFactor(), c.finalDivFactor());
        TrainerConfig tc = TrainerConfig.of(c.seed(), c.steps(), c.batchSize()).withChunks(c.chunkSize(), c.threads());
        Trainer<MarkovBatch> trainer = new Trainer<>(model, task, adamw, schedule, tc);

        MarkovBatch heldOut = task.newBatch(c.evalSequences());
        task.sample(Rng.stream(c.seed(), "heldout"), heldOut);
        Evaluation initial = Evaluation.of(model, heldOut, c.order(), c.chunkSize(), c.threads());
        double lambda0 = Curvature.lambdaMin(c.p(), c.q(), model.positions());

        double[] trainLoss = new double[Math.toIntExact(c.steps())];
        List<Long> evalSteps = new ArrayList<>();
        List<Double> evalLoss = new ArrayList<>();
        evalSteps.add(0L);
        evalLoss.add(initial.loss());
        Evaluation last = initial;
        for (int s = 0; s < c.steps(); s++) {
            trainLoss[s] = trainer.trainStep().loss();
            boolean curve = c.evalEvery() > 0 && (s + 1) % c.evalEvery() == 0;
            if (curve || s + 1 == c.steps()) {
                last = Evaluation.of(model, heldOut, c.order(), c.chunkSize(), c.threads());
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
