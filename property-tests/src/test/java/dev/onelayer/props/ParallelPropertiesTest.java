package dev.onelayer.props;

import dev.onelayer.kernel.Kernels;
import dev.onelayer.kernel.Parallel;
import dev.onelayer.props.harness.Gen;
import dev.onelayer.props.harness.Harness;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The deterministic parallel-for: chunk boundaries depend only on n and the chunk size, every
 * chunk runs exactly once, and a per-chunk partial sum reduced with {@link Parallel#sumInOrder}
 * gives the same bits on 1, 2 and more threads (the property a seeded training run relies on).
 */
class ParallelPropertiesTest {

    /** n rows of a batch, chunk size, gradient length. */
    private static int[] dims(Gen g) {
        return new int[] {g.dim(400), g.dim(1, 70), g.dim(1, 150)};
    }

    /** A gradient-like reduction: each chunk sums {@code w_i * row_i} over its rows into its own slot. */
    private static float[] reduce(int n, int chunk, int len, float[] rows, float[] w, int threads,
                                  int[][] bounds, AtomicIntegerArray runs) {
        int chunks = Parallel.chunkCount(n, chunk);
        float[][] partials = new float[chunks][len];
        Parallel.forChunks(n, chunk, threads, (c, start, end) -> {
            bounds[c][0] = start;
            bounds[c][1] = end;
            runs.incrementAndGet(c);
            for (int i = start; i < end; i++) Kernels.axpy(len, w[i], rows, i * len, partials[c], 0);
        });
        float[] out = new float[len + 2];
        out[0] = Buffers.SENTINEL;
        out[len + 1] = Buffers.SENTINEL;
        Parallel.sumInOrder(partials, chunks, len, out, 1);
        if (Float.floatToRawIntBits(out[0]) != Float.floatToRawIntBits(Buffers.SENTINEL)
                || Float.floatToRawIntBits(out[len + 1]) != Float.floatToRawIntBits(Buffers.SENTINEL)) {
            throw new AssertionError("sumInOrder wrote outside out[1.." + len + "]");
        }
        // sumInOrder is, by contract, ((0 + p_0) + p_1) + ... in chunk order, each add rounded once.
        for (int j = 0; j < len; j++) {
            float s = 0f;
            for (int c = 0; c < chunks; c++) s += partials[c][j];
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(out[1 + j])) {
                throw new AssertionError("sumInOrder[" + j + "] = " + out[1 + j] + " but the in-order sum is " + s);
            }
        }
        return out;
    }

    @Test
    void sameBitsAndChunksOnAnyThreadCount() {
        Harness.forAll("parallel", ParallelPropertiesTest::dims, (d, g) -> {
            int n = d[0], chunk = d[1], len = d[2];
            Gen.Dist dist = g.dist();
            float[] rows = g.array(n * len, dist), w = g.array(n, g.dist());
            int chunks = Parallel.chunkCount(n, chunk);
            float[] first = null;
            int[][] firstBounds = null;
            for (int threads : new int[] {1, 2, 3, 8}) {
                int[][] bounds = new int[chunks][2];
                AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
                float[] out = reduce(n, chunk, len, rows, w, threads, bounds, runs);
                for (int c = 0; c < chunks; c++) {
                    if (runs.get(c) != 1) throw new AssertionError("chunk " + c + " ran " + runs.get(c) + " times on " + threads + " threads");
                    if (bounds[c][0] != c * chunk || bounds[c][1] != Math.min(n, (c + 1) * chunk)) {
                        throw new AssertionError("chunk " + c + " is [" + bounds[c][0] + ", " + bounds[c][1] + ") on " + threads + " threads");
                    }
                }
                if (first == null) {
                    first = out;
                    firstBounds = bounds;
                } else {
                    Buffers.assertSameBits("parallel n=" + n + " chunk=" + chunk + ": " + threads + " threads vs 1", first, out);
                    if (!java.util.Arrays.deepEquals(firstBounds, bounds)) throw new AssertionError("chunk boundaries changed with " + threads + " threads");
                }
            }
        });
    }

    @Test
    void chunkFailureIsRethrown() {
        for (int threads : new int[] {1, 2}) {
            IllegalStateException boom = new IllegalStateException("chunk 3 failed");
            try {
                Parallel.forChunks(100, 10, threads, (c, s, e) -> {
                    if (c == 3) throw boom;
                });
                throw new AssertionError("no exception on " + threads + " threads");
            } catch (IllegalStateException e) {
                if (e != boom) throw new AssertionError("a different exception was thrown: " + e);
            }
        }
    }
}
