package dev.onelayer.bench.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.SoftmaxAttentionSpec;
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
 * Form 4, fused softmax attention. Shapes "B,H,T,dk,dv[,full]": the Markov headline
 * 16,1,1024,8,8 (Makkuva et al.), the low-rank paper's 64,1,50,50,50,full (Li et al.), and the
 * T sweep 1,1,T,8,8. Flops per call: {@link SoftmaxAttentionSpec#forwardFlops()} /
 * {@link SoftmaxAttentionSpec#backwardFlops()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SoftmaxAttentionBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"16,1,1024,8,8"})
    public String shape;

    AttentionOps ops;
    SoftmaxAttentionSpec spec;
    float[] q, k, v, out, lse, dOut, dq, dk, dv, ws;

    static SoftmaxAttentionSpec spec(String shape) {
        int[] d = AttentionImpl.shape(shape.replace(",full", ""));
        boolean full = shape.endsWith(",full");
        return new SoftmaxAttentionSpec(d[0], d[1], d[2], d[3], d[4], (float) (1 / Math.sqrt(d[3])), !full,
                SoftmaxAttentionSpec.NO_WINDOW);
    }

    @Setup
    public void setup() {
        ops = AttentionImpl.of(impl);
        spec = spec(shape);
        q = AttentionImpl.fill(spec.qkFloats(), 1);
        k = AttentionImpl.fill(spec.qkFloats(), 2);
        v = AttentionImpl.fill(spec.vFloats(), 3);
        dOut = AttentionImpl.fill(spec.vFloats(), 4);
        out = new float[spec.vFloats()];
        lse = new float[spec.rowFloats()];
        dq = new float[spec.qkFloats()];
        dk = new float[spec.qkFloats()];
        dv = new float[spec.vFloats()];
        ws = new float[spec.workspaceFloats()];
        ops.softmax(spec, q, k, v, out, lse, ws);
    }

    @Benchmark
    public float forward() {
        ops.softmax(spec, q, k, v, out, lse, ws);
        return out[0];
    }

    @Benchmark
    public float backward() {
        ops.softmaxBackward(spec, q, k, v, out, lse, dOut, dq, dk, dv, ws);
        return dq[0];
    }

    @Benchmark
    public float forwardBackward() {
        ops.softmax(spec, q, k, v, out, lse, ws);
        ops.softmaxBackward(spec, q, k, v, out, lse, dOut, dq, dk, dv, ws);
        return dq[0];
    }
}
