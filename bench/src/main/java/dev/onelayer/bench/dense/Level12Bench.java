package dev.onelayer.bench.dense;

import dev.onelayer.kernel.DenseOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Vector and matrix-vector kernels plus the two nonlinearities of a transformer layer. Work per
 * call (what {@code Report} divides by the time): dot and axpy 2n FLOPs (n = 1024), gemv 2 m n
 * FLOPs (m = n = 256, both orientations), softmaxRows and gelu are counted in elements
 * (64 x 64 attention-sized rows; n = 4096), since their cost is exp/tanh evaluations, not FMAs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Level12Bench {

    public static final int N = 1024;
    public static final int GEMV = 256;
    public static final int SOFTMAX = 64;
    public static final int GELU = 4096;

    @Param({"vector", "scalar"})
    public String impl;

    DenseOps ops;
    float[] x, y, a, gx, gy, s, g, out, gate, ds, dxs;
    float alpha = 0.5f;

    @Setup
    public void setup() {
        ops = Impls.of(impl);
        x = Impls.random(1, N);
        y = Impls.random(2, N);
        a = Impls.random(3, GEMV * GEMV);
        gx = Impls.random(4, GEMV);
        gy = new float[GEMV];
        s = Impls.random(5, SOFTMAX * SOFTMAX);
        g = Impls.random(6, GELU);
        out = new float[GELU];
        gate = new float[GEMV * GEMV];
        ds = Impls.random(7, SOFTMAX * SOFTMAX);
        dxs = new float[SOFTMAX * SOFTMAX];
    }

    @Benchmark
    public float dot() {
        return ops.dot(N, x, 0, y, 0);
    }

    @Benchmark
    public void axpy(Blackhole bh) {
        // alpha and -alpha alternate so y stays bounded over billions of calls.
        alpha = -alpha;
        ops.axpy(N, alpha, x, 0, y, 0);
        bh.consume(y);
    }

    @Benchmark
    public void gemvN(Blackhole bh) {
        ops.gemv(false, GEMV, GEMV, 1f, a, 0, GEMV, gx, 0, 0f, gy, 0);
        bh.consume(gy);
    }

    @Benchmark
    public void gemvT(Blackhole bh) {
        ops.gemv(true, GEMV, GEMV, 1f, a, 0, GEMV, gx, 0, 0f, gy, 0);
        bh.consume(gy);
    }

    @Benchmark
    public void softmaxRows(Blackhole bh) {
        ops.softmaxRows(SOFTMAX, SOFTMAX, s, 0, SOFTMAX, out, 0, SOFTMAX);
        bh.consume(out);
    }

    @Benchmark
    public void gelu(Blackhole bh) {
        ops.gelu(GELU, g, 0, out, 0);
        bh.consume(out);
    }

    /** The low-rank readout's fused ReLU + matrix-vector product, 256 x 256. */
    @Benchmark
    public void reluGemv(Blackhole bh) {
        ops.reluGemv(GEMV, GEMV, a, 0, GEMV, gx, 0, gy, 0);
        bh.consume(gy);
    }

    /** reluGemv that also writes the gate x_j [a_ij > 0] (into a separate matrix, so A stays unchanged). */
    @Benchmark
    public void reluGemvGate(Blackhole bh) {
        ops.reluGemvGate(GEMV, GEMV, a, 0, GEMV, gx, 0, gy, 0, gate, 0, GEMV);
        bh.consume(gate);
    }

    /** Backward of a 64 x 64 row softmax (s plays the probabilities; the values do not change the work). */
    @Benchmark
    public void softmaxRowsBackward(Blackhole bh) {
        ops.softmaxRowsBackward(SOFTMAX, SOFTMAX, s, 0, SOFTMAX, ds, 0, SOFTMAX, dxs, 0, SOFTMAX);
        bh.consume(dxs);
    }
}
