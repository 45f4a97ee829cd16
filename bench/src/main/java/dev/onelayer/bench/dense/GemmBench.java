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
 * {@code C = op(A) op(B)} (alpha 1, beta 0) for the shapes the models use (d = 4..64) and for
 * 256^3, in all four transpose combinations. FLOPs per call: 2 m n k. The shape is "m x n x k".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"8x8x8", "5x50x50", "50x50x5", "64x64x64", "256x256x256"})
    public String shape;

    @Param({"NN", "NT", "TN", "TT"})
    public String trans;

    DenseOps ops;
    int m, n, k, lda, ldb;
    boolean ta, tb;
    float[] a, b, c;

    @Setup
    public void setup() {
        ops = Impls.of(impl);
        String[] d = shape.split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        ta = trans.charAt(0) == 'T';
        tb = trans.charAt(1) == 'T';
        lda = ta ? m : k;
        ldb = tb ? k : n;
        a = Impls.random(1, m * k);
        b = Impls.random(2, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public void gemm(Blackhole bh) {
        ops.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        bh.consume(c);
    }
}
