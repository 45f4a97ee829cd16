package dev.onelayer.bench.train;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.scb.ScbBatch;
import dev.onelayer.model.scb.ScbModel;
import dev.onelayer.model.scb.ScbOptimizer;
import dev.onelayer.model.scb.ScbOptimizerConfig;
import dev.onelayer.model.scb.ScbTask;
import dev.onelayer.model.scb.ScbTaskConfig;
import dev.onelayer.model.scb.SoftmaxScbModel;
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
 *   <li>{@code softmax}: the reduced softmax transformer ({@link SoftmaxScbModel}, float64, plain
 *       Java) with the cross-entropy gradient and Adam (lr 0.01) as {@code SoftmaxComparisonExperiment}
 *       trains it; the Adam update below is that experiment's (a private method there).</li>
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
    SoftmaxScbModel soft;
    double[] gV, gW, mV, sV, mW, sW;
    int adamStep;

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
                soft = new SoftmaxScbModel(N, T);
                gV = new double[N * N];
                mV = new double[N * N];
                sV = new double[N * N];
                gW = new double[T * N];
                mW = new double[T * N];
                sW = new double[T * N];
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
        if (optimizer != null) return optimizer.step(model, b);
        double loss = soft.loss(b, gV, gW);
        adamStep++;
        adam(soft.v, gV, mV, sV, 0.01, adamStep);
        adam(soft.w, gW, mW, sW, 0.01, adamStep);
        return loss;
    }

    /** Adam with bias correction (beta 0.9, 0.999, eps 1e-8), float64, as SoftmaxComparisonExperiment. */
    private static void adam(double[] p, double[] g, double[] m, double[] s, double lr, int step) {
        double b1 = 0.9, b2 = 0.999, c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < p.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i];
            p[i] -= lr * (m[i] / c1) / (Math.sqrt(s[i] / c2) + 1e-8);
        }
    }
}
