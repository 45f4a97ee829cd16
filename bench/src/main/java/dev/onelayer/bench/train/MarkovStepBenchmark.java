package dev.onelayer.bench.train;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.markov.BinaryChain;
import dev.onelayer.model.markov.MarkovBatch;
import dev.onelayer.model.markov.MarkovTask;
import dev.onelayer.model.markov.MarkovTraining;
import dev.onelayer.model.markov.MarkovModel;
import dev.onelayer.model.markov.TrainConfig;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the Markov theory model (Makkuva et al. 2024, Section 3; issue 5) at
 * d = 8, N = 1024, B = 16: {@link Trainer#trainStep()} = forward (embedding, Q/K/V, fused causal
 * softmax attention, W_O, ReLU MLP, logit, BCE), backward, gradient guard and norm, AdamW
 * (0.9, 0.95, eps 1e-8, decay 1e-3 on the DECAY group) with the one-cycle schedule. Chunks of 8
 * sequences (the reference config), on 1 or 2 threads. The batch is drawn once
 * ({@link ReplayTask}). Counterpart: {@code bench/pytorch/markov_step.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class MarkovStepBenchmark {

    @Param({"1", "2"})
    public int threads;

    @Param({"false"})
    public boolean tied;

    Trainer<MarkovBatch> trainer;

    @Setup
    public void setup() {
        TrainConfig paper = TrainConfig.paper(0.2, 0.3, tied);
        TrainConfig c = paper.withModel(8, tied, paper.window()).withParallelism(8, threads);
        MarkovModel model = MarkovTraining.initialModel(c);
        MarkovTask source = new MarkovTask(BinaryChain.of(c.p(), c.q()), c.seqLen());
        ReplayTask<MarkovBatch> task = new ReplayTask<>(source, c.batchSize(), Rng.stream(c.seed(), Rng.DATA));
        AdamW adamw = new AdamW(c.beta1(), c.beta2(), c.eps(), c.weightDecay(), true);
        // A schedule long enough that the benchmark never leaves it (PyTorch's OneCycleLR raises there).
        Schedule schedule = Schedule.oneCycle(c.lr(), 1_000_000_000L, c.warmupFraction(), c.divFactor(), c.finalDivFactor());
        TrainerConfig tc = TrainerConfig.of(c.seed(), Long.MAX_VALUE, c.batchSize()).withChunks(c.chunkSize(), c.threads());
        trainer = new Trainer<>(model, task, adamw, schedule, tc);
        trainer.trainStep();
    }

    @Benchmark
    public double step() {
        return trainer.trainStep().loss();
    }
}
