package dev.onelayer.bench.train;

import dev.onelayer.model.icar.HaarExperiment;
import dev.onelayer.model.icar.SequenceBatch;
import dev.onelayer.model.train.Trainer;
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
 * One training step of the reference code's general one-layer models on Haar O(5) (Sander et al.
 * 2024, Figs 5 and 7; issue 6 experiment 5), set up exactly as {@link HaarExperiment} runs them
 * ({@link HaarExperiment.Config#reference}: d = 5, n = 50, Dh = D = 10, LayerNorm readout,
 * batch 1024 from 16384 training sequences, Adam 1e-2, chunks of B/8): {@code non-augmented} with
 * H = 64 heads and the softmax positional attention, {@code augmented} with H = 1.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class GeneralAttentionStepBenchmark {

    @Param({"non-augmented", "augmented"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    Trainer<SequenceBatch> trainer;

    @Setup
    public void setup() {
        boolean augmented;
        switch (model) {
            case "non-augmented": augmented = false; break;
            case "augmented": augmented = true; break;
            default: throw new IllegalArgumentException("GeneralAttentionStepBenchmark: unknown model " + model);
        }
        HaarExperiment.Config cfg = HaarExperiment.Config.reference(augmented, augmented ? 1 : 64, Integer.MAX_VALUE, 1, threads);
        trainer = HaarExperiment.trainer(cfg, HaarExperiment.setup(cfg));
        trainer.trainStep();
    }

    @Benchmark
    public double step() {
        return trainer.trainStep().loss();
    }
}
