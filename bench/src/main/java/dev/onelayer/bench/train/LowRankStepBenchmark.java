package dev.onelayer.bench.train;

import dev.onelayer.model.lowrank.SgdStepFixture;
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
 * One mini-batch SGD step of the low-rank paper's model (Li et al. 2024; issue 8),
 * {@code F(X) = (1/L) Σ_l aᵀ ReLU(W_O W_V X softmax(Xᵀ W_Kᵀ W_Q x_l))} with hinge loss, at the
 * issue's shape d = 32, L = 32, M = 16, m = 256, batch 64 ({@link SgdStepFixture#issueShape}):
 * forward, backward and the SGD update of W_Q, W_K, W_V, W_O, with the batch's fixed chunks on
 * {@code threads} threads (the result bits do not depend on it).
 * Counterpart: {@code bench/pytorch/lowrank_step.py --threads N}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class LowRankStepBenchmark {

    @Param({"1", "2"})
    public int threads;

    SgdStepFixture fixture;

    @Setup
    public void setup() {
        fixture = SgdStepFixture.issueShape(1, threads);
        fixture.step();
    }

    @Benchmark
    public double step() {
        return fixture.step();
    }
}
