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

/** {@code C = A B} at 1024^3 (past L2 and L3-resident blocks): 2 x 1024^3 FLOPs per call. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmLargeBench {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"1024"})
    public int size;

    DenseOps ops;
    float[] a, b, c;

    @Setup
    public void setup() {
        ops = Impls.of(impl);
        a = Impls.random(1, size * size);
        b = Impls.random(2, size * size);
        c = new float[size * size];
    }

    @Benchmark
    public void gemmNN(Blackhole bh) {
        ops.gemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        bh.consume(c);
    }
}
