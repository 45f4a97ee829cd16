package dev.onelayer.bench.attention;

import dev.onelayer.kernel.AttentionOps;
import dev.onelayer.kernel.ScbReadoutSpec;
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

/** Form 5, the SCB readout y = V X A e_q, at "B,T,N" = 64,50,5 and 64,500,20 (scb.md: N = 5..20, T = 50..500). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class ScbReadoutBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"64,50,5", "64,500,20"})
    public String shape;

    AttentionOps ops;
    ScbReadoutSpec spec;
    float[] vMat, aMat, y, dy, dV, dA, ws;
    int[] tokens, queries;

    @Setup
    public void setup() {
        ops = AttentionImpl.of(impl);
        int[] d = AttentionImpl.shape(shape);
        spec = new ScbReadoutSpec(d[0], d[1], d[2]);
        int B = spec.batch(), T = spec.seqLen(), N = spec.vocab();
        vMat = AttentionImpl.fill(N * N, 1);
        aMat = AttentionImpl.fill(T * N, 2);
        dy = AttentionImpl.fill(B * N, 3);
        y = new float[B * N];
        dV = new float[N * N];
        dA = new float[T * N];
        ws = new float[spec.workspaceFloats()];
        tokens = new int[B * T];
        queries = new int[B];
        for (int i = 0; i < tokens.length; i++) tokens[i] = (i * 7 + 3) % N;
        for (int i = 0; i < B; i++) queries[i] = (i * 5 + 1) % N;
    }

    @Benchmark
    public float forward() {
        ops.scbReadout(spec, vMat, aMat, tokens, queries, y, ws);
        return y[0];
    }

    @Benchmark
    public float backward() {
        ops.scbReadoutBackward(spec, vMat, aMat, tokens, queries, dy, dV, dA, ws);
        return dV[0];
    }
}
