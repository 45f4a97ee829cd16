package dev.onelayer.bench.attention;

import dev.onelayer.kernel.CausalLaneAttention;
import dev.onelayer.kernel.KernelProvider;
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

import java.util.concurrent.TimeUnit;

/**
 * The lane-major causal attention of the reference code's general ICAR models
 * ({@link CausalLaneAttention}) on one block as {@code GeneralAttentionModel} calls it: b = 16
 * sequences in the lanes, n = 50 positions, head width 10, with the positional matrix (the
 * non-augmented model's {@code alpha = S o pi}). Per call the forward does
 * {@code 2 b dh n(n+1)/2} FMAs (scores and the value sum over s <= t); the backward about twice that.
 * Vector and scalar twins side by side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class CausalLaneAttentionBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    /** "n,dh,b": positions, head width, lanes in the block. */
    @Param({"50;10;16"})
    public String shape;

    CausalLaneAttention.Ops ops;
    int n, dh, b, cs;
    float scale;
    float[] q, k, v, pi, out, dOut, dq, dk, dv, dPi, ws;

    @Setup
    public void setup() {
        switch (impl) {
            case "scalar": ops = CausalLaneAttention.SCALAR; break;
            case "vector":
                ops = KernelProvider.vectorImplementation(CausalLaneAttention.Ops.class, "dev.onelayer.kernel.vector.VectorCausalLaneAttention")
                        .orElseThrow(() -> new IllegalStateException("vector implementation unavailable (--add-modules jdk.incubator.vector?)"));
                break;
            default: throw new IllegalArgumentException("impl must be vector or scalar, not " + impl);
        }
        String[] p = shape.split(";");
        n = Integer.parseInt(p[0].trim());
        dh = Integer.parseInt(p[1].trim());
        b = Integer.parseInt(p[2].trim());
        cs = n * b;
        scale = (float) (1 / Math.sqrt(dh));
        q = AttentionImpl.fill(dh * cs, 1);
        k = AttentionImpl.fill(dh * cs, 2);
        v = AttentionImpl.fill(dh * cs, 3);
        dOut = AttentionImpl.fill(dh * cs, 4);
        pi = AttentionImpl.fill(n * n, 5);
        out = new float[dh * cs];
        dq = new float[dh * cs];
        dk = new float[dh * cs];
        dv = new float[dh * cs];
        dPi = new float[n * n];
        ws = new float[CausalLaneAttention.workspaceFloats(n, b)];
    }

    @Benchmark
    public float forward() {
        ops.forward(n, dh, b, scale, q, k, v, 0, cs, pi, 0, out);
        return out[0];
    }

    @Benchmark
    public float backward() {
        ops.backward(n, dh, b, scale, q, k, v, 0, cs, pi, 0, dOut, dq, dk, dv, dPi, ws);
        return dq[0];
    }
}
