package dev.onelayer.bench.train;

import dev.onelayer.model.core.Rng;
import dev.onelayer.model.icar.ArProcess;
import dev.onelayer.model.icar.DiagonalAttentionModel;
import dev.onelayer.model.icar.SequenceBatch;
import dev.onelayer.model.optim.AdamW;
import dev.onelayer.model.optim.Schedule;
import dev.onelayer.model.train.Trainer;
import dev.onelayer.model.train.TrainerConfig;
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
 * One training step of the diagonal multi-head linear attention with a positional matrix
 * (Sander et al. 2024, icar.md 2(b); issue 6): {@link Trainer#trainStep()} = form-3 forward,
 * squared loss, form-3 backward, gradient guard and norm, Adam (PyTorch defaults) with a cosine
 * schedule, as {@code DiagonalExperiment} trains it (chunks of ceil(B/4), 1 or 2 threads). Shapes:
 * <ul>
 *   <li>{@code haar-d5}: the reference code's non-augmented shape, real Haar O(5) data, d = 5,
 *       T = 50, H = 64, B = 1024;</li>
 *   <li>{@code unitary-d10}: the theory shape of Fig 3 left, complex unitary data, d = 10 (20 real
 *       coordinates, two form-3 calls), H = 10, T = 20, B = 256;</li>
 *   <li>{@code rotation-d10}: Fig 3 right, real 2x2 rotation blocks, d = 10, H = 8, T = 20, B = 256.</li>
 * </ul>
 * The batch is drawn once ({@link ReplayTask}). Counterpart: {@code bench/pytorch/icar_step.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Donelayer.kernel.log=false"})
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class IcarStepBenchmark {

    @Param({"haar-d5", "unitary-d10", "rotation-d10"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    Trainer<SequenceBatch> trainer;

    /** kind, d, T, H, B of a shape name. */
    record Shape(ArProcess.Kind kind, int d, int seqLen, int heads, int batch) {
        static Shape of(String name) {
            switch (name) {
                case "haar-d5": return new Shape(ArProcess.Kind.HAAR_ORTHOGONAL, 5, 50, 64, 1024);
                case "unitary-d10": return new Shape(ArProcess.Kind.UNITARY_DIAGONAL, 10, 20, 10, 256);
                case "rotation-d10": return new Shape(ArProcess.Kind.ROTATION_BLOCKS, 10, 20, 8, 256);
                default: throw new IllegalArgumentException("IcarStepBenchmark: unknown shape " + name);
            }
        }
    }

    @Setup
    public void setup() {
        Shape s = Shape.of(shape);
        long seed = 1;
        ArProcess process = ArProcess.of(s.kind(), s.d(), s.seqLen(), ArProcess.Start.SCALED_ONES);
        DiagonalAttentionModel model = new DiagonalAttentionModel(s.heads(), s.seqLen(), s.d(), s.kind().complex(), 0.1,
                Rng.stream(seed, Rng.INIT));
        ReplayTask<SequenceBatch> task = new ReplayTask<>(process, s.batch(), Rng.stream(seed, Rng.DATA));
        int chunk = (s.batch() + 3) / 4;
        TrainerConfig tc = new TrainerConfig(seed, Long.MAX_VALUE, s.batch(), chunk, threads, 0, 0, 0, 0, null);
        trainer = new Trainer<>(model, task, AdamW.adam(), Schedule.cosineWithWarmup(1e-2, 0, 1_000_000_000L, 0), tc);
        trainer.trainStep();
    }

    @Benchmark
    public double step() {
        return trainer.trainStep().loss();
    }
}
