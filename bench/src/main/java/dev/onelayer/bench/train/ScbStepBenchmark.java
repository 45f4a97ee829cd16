package dev.onelayer.bench.train;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.scb.ScbBatch;
import dev.onelayer.model.scb.ScbModel;
import dev.onelayer.model.scb.ScbOptimizer;
import dev.onelayer.model.scb.ScbOptimizerConfig;
import dev.onelayer.model.scb.ScbTask;
import dev.onelayer.model.scb.ScbTaskConfig;
import dev.onelayer.model.scb.FloatSoftmaxAdam;
import dev.onelayer.model.scb.FloatSoftmaxScbModel;
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
 * One step of each SCB training algorithm (Ren, Wang, Lee 2024; issue 7) at N = 20, T = 500,
 * Q = 4, batch 64, on one thread (the SCB optimisers are single-threaded):
 * <ul>
 *   <li>{@code PPPD}, {@code PPPD-vn}, {@code SGD}: {@link ScbOptimizer#step} = form-5 readout
 *       forward, squared loss, backward, online mu/pi estimates, (preconditioned) V step, simplex
 *       projections, proximal A step, as {@code ScbRun} trains;</li>
 *   <li>{@code softmax}: the reduced softmax transformer ({@link FloatSoftmaxScbModel}, float32 on
 *       the kernels) with the cross-entropy gradient and float32 Adam (lr 0.01, {@link FloatSoftmaxAdam})
 *       as {@code SoftmaxComparisonExperiment} trains it.</li>
 * </ul>
 * Eight batches are drawn up front and used in turn (the cost of PPPD's projection depends a
 * little on the data and iterate). Counterpart: {@code bench/pytorch/scb_step.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class ScbStepBenchmark {

    static final int N = 20, T = 500, Q = 4, BATCH = 64, POOL = 8;

    @Param({"PPPD", "PPPD-vn", "SGD", "softmax"})
    public String algorithm;

    ScbBatch[] batches;
    int next;
    ScbModel model;
    ScbOptimizer optimizer;
    FloatSoftmaxAdam soft;

    @Setup
    public void setup() {
        long seed = 1;
        ScbTask task = new ScbTaskConfig(N, T, Q, "pmix", 2.0).build(seed);
        Rng data = Rng.stream(seed, Rng.DATA);
        batches = new ScbBatch[POOL];
        for (int i = 0; i < POOL; i++) {
            batches[i] = new ScbBatch(BATCH, T);
            task.sample(data, batches[i]);
        }
        switch (algorithm) {
            case "PPPD": optimizer = new ScbOptimizer(ScbOptimizerConfig.pppd(), N, T); break;
            case "PPPD-vn": optimizer = new ScbOptimizer(ScbOptimizerConfig.pppdVn(), N, T); break;
            case "SGD": optimizer = new ScbOptimizer(ScbOptimizerConfig.sgd(0.1), N, T); break;
            case "softmax":
                soft = new FloatSoftmaxAdam(new FloatSoftmaxScbModel(N, T), 0.01);
                break;
            default: throw new IllegalArgumentException("ScbStepBenchmark: unknown algorithm " + algorithm);
        }
        model = new ScbModel(N, T).uniform();
        step();
    }

    @Benchmark
    public double step() {
        ScbBatch b = batches[next];
        next = (next + 1) % POOL;
        return optimizer != null ? optimizer.step(model, b) : soft.step(b);
    }
}
