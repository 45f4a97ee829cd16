package dev.onelayer.bench.dense;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The single-core FP32 FMA ceiling of this JVM on this CPU, measured in the same run as the
 * kernels so their GFLOP/s can be read as a fraction of it.
 *
 * <p>Twelve independent chains {@code acc = fma(acc, m, c)} of the preferred species: the
 * ceiling needs (FMA pipes x FMA latency) chains in flight, 2 x 4 = 8 on Zen 3 and Intel, and 12
 * accumulators plus two constants still fit the 16 AVX2 registers. m slightly below 1 makes each
 * chain converge to c/(1-m), so values stay normal (no denormal slow path). One call does
 * {@link #ITER} x 12 vector FMAs = ITER x 12 x 2 x L FLOPs; the {@code flops} counter reports
 * them per microsecond (so /1000 gives GFLOP/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int ITER = 4096;
    static final int CHAINS = 12;

    /** FLOPs executed, reported by JMH as a rate next to the call rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    float m = 0.999f;
    float c = 1e-3f;

    @Benchmark
    public void fma(Flops counter, Blackhole bh) {
        FloatVector vm = FloatVector.broadcast(F, m), vc = FloatVector.broadcast(F, c);
        FloatVector a0 = vc, a1 = vc.add(1f), a2 = vc.add(2f), a3 = vc.add(3f);
        FloatVector a4 = vc.add(4f), a5 = vc.add(5f), a6 = vc.add(6f), a7 = vc.add(7f);
        FloatVector a8 = vc.add(8f), a9 = vc.add(9f), a10 = vc.add(10f), a11 = vc.add(11f);
        for (int i = 0; i < ITER; i++) {
            a0 = a0.fma(vm, vc);
            a1 = a1.fma(vm, vc);
            a2 = a2.fma(vm, vc);
            a3 = a3.fma(vm, vc);
            a4 = a4.fma(vm, vc);
            a5 = a5.fma(vm, vc);
            a6 = a6.fma(vm, vc);
            a7 = a7.fma(vm, vc);
            a8 = a8.fma(vm, vc);
            a9 = a9.fma(vm, vc);
            a10 = a10.fma(vm, vc);
            a11 = a11.fma(vm, vc);
        }
        FloatVector s = a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).add(a8.add(a9).add(a10.add(a11)));
        bh.consume(s.lane(0));
        counter.flops += (long) ITER * CHAINS * 2 * F.length();
    }
}
