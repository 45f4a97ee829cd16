package dev.onelayer.bench.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.PositionalAttentionSpec;
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
 * Form 3, positional-matrix-weighted linear attention at the in-context AR shape
 * "B,H,T,d,shift" = 1024,64,50,10,1 (q = k = v = the tokens, as in icar.md 2(b)).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class PositionalAttentionBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"1024,64,50,10,1"})
    public String shape;

    AttentionOps ops;
    PositionalAttentionSpec spec;
    float[] p, a, b, x, out, dOut, dP, da, db, dq, dk, dv, ws;

    @Setup
    public void setup() {
        ops = AttentionImpl.of(impl);
        int[] d = AttentionImpl.shape(shape);
        spec = new PositionalAttentionSpec(d[0], d[1], d[2], d[3], d[4]);
        p = AttentionImpl.fill(spec.positionalFloats(), 1);
        a = AttentionImpl.fill(spec.diagonalFloats(), 2);
        b = AttentionImpl.fill(spec.diagonalFloats(), 3);
        x = AttentionImpl.fill(spec.tokenFloats(), 4);
        dOut = AttentionImpl.fill(spec.tokenFloats(), 5);
        out = new float[spec.tokenFloats()];
        dP = new float[spec.positionalFloats()];
        da = new float[spec.diagonalFloats()];
        db = new float[spec.diagonalFloats()];
        dq = new float[spec.tokenFloats()];
        dk = new float[spec.tokenFloats()];
        dv = new float[spec.tokenFloats()];
        ws = new float[spec.workspaceFloats()];
    }

    @Benchmark
    public float forward() {
        ops.positional(spec, p, a, b, x, x, x, out, ws);
        return out[0];
    }

    @Benchmark
    public float backward() {
        ops.positionalBackward(spec, p, a, b, x, x, x, dOut, dP, da, db, dq, dk, dv, ws);
        return dq[0];
    }
}
