package dev.onelayer.bench.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.LinearAttentionSpec;
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
 * Forms 1 and 2, causal linear attention, quadratic vs prefix state. Shapes "B,H,T,dk,dv": the
 * in-context AR shape 1024,64,50,5,5 / 1024,64,50,10,10 (Sander et al.; the batch and
 * heads) and the sweep 1,1,T,8,8. Flops per call: {@link LinearAttentionSpec#quadraticFlops()} or
 * {@link LinearAttentionSpec#prefixFlops()} forward, twice that backward.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class LinearAttentionBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"quadratic", "prefix"})
    public String form;

    @Param({"1,1,1024,8,8"})
    public String shape;

    AttentionOps ops;
    LinearAttentionSpec spec;
    boolean prefix;
    float[] q, k, v, out, dOut, dq, dk, dv, ws;

    @Setup
    public void setup() {
        ops = AttentionImpl.of(impl);
        int[] d = AttentionImpl.shape(shape);
        spec = new LinearAttentionSpec(d[0], d[1], d[2], d[3], d[4], 1f, true, LinearAttentionSpec.NO_WINDOW);
        prefix = form.equals("prefix");
        q = AttentionImpl.fill(spec.qkFloats(), 1);
        k = AttentionImpl.fill(spec.qkFloats(), 2);
        v = AttentionImpl.fill(spec.vFloats(), 3);
        dOut = AttentionImpl.fill(spec.vFloats(), 4);
        out = new float[spec.vFloats()];
        dq = new float[spec.qkFloats()];
        dk = new float[spec.qkFloats()];
        dv = new float[spec.vFloats()];
        ws = new float[spec.workspaceFloats()];
    }

    @Benchmark
    public float forward() {
        if (prefix) ops.linearPrefix(spec, q, k, v, out, ws);
        else ops.linearQuadratic(spec, q, k, v, out, ws);
        return out[0];
    }

    @Benchmark
    public float backward() {
        if (prefix) ops.linearPrefixBackward(spec, q, k, v, dOut, dq, dk, dv, ws);
        else ops.linearQuadraticBackward(spec, q, k, v, dOut, dq, dk, dv, ws);
        return dq[0];
    }
}
