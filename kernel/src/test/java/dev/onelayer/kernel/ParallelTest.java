package dev.onelayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Parallel's arithmetic and argument checks (the determinism property is in property-tests). */
class ParallelTest {

    @Test
    void chunkCountIsCeiling() {
        assertEquals(0, Parallel.chunkCount(0, 7));
        assertEquals(1, Parallel.chunkCount(1, 7));
        assertEquals(1, Parallel.chunkCount(7, 7));
        assertEquals(2, Parallel.chunkCount(8, 7));
        assertEquals(Integer.MAX_VALUE, Parallel.chunkCount(Integer.MAX_VALUE, 1));
        assertEquals(2, Parallel.chunkCount(Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
    }

    /** Chunk ends near Integer.MAX_VALUE must not overflow (c + 1) * chunkSize. */
    @Test
    void chunkBoundsDoNotOverflow() {
        int n = Integer.MAX_VALUE, size = Integer.MAX_VALUE - 1;
        for (int threads : new int[] {1, 2}) {
            int[][] seen = new int[2][];
            Parallel.forChunks(n, size, threads, (c, s, e) -> seen[c] = new int[] {s, e});
            assertEquals(0, seen[0][0]);
            assertEquals(size, seen[0][1]);
            assertEquals(size, seen[1][0]);
            assertEquals(n, seen[1][1]);
        }
    }

    /**
     * When the calling thread gets a NoClassDefFoundError for a class whose initialiser failed on a
     * worker (the order a JVM reports them in), the initialiser's own error, which carries the
     * reason, is what comes out. The two chunks wait for each other, so they run on two threads.
     */
    @Test
    void aClassInitialisersErrorWinsOverTheNoClassDefFoundError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two threads");
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        Thread caller = Thread.currentThread();
        Error e = assertThrows(Error.class, () -> Parallel.forChunks(2, 1, 2, (c, s, end) -> {
            both.countDown();
            try {
                if (!both.await(10, java.util.concurrent.TimeUnit.SECONDS)) throw new AssertionError("the two chunks did not run at once");
            } catch (InterruptedException ie) {
                throw new AssertionError(ie);
            }
            if (Thread.currentThread() == caller) throw new NoClassDefFoundError("Could not initialize class X");
            throw new ExceptionInInitializerError("-Donelayer.kernel must be auto, vector or scalar, not 'x'");
        }));
        assertTrue(e instanceof ExceptionInInitializerError, e.toString());
    }

    @Test
    void emptyRangeRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        Parallel.forChunks(0, 5, 2, (c, s, e) -> runs.incrementAndGet());
        assertEquals(0, runs.get());
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.chunkCount(-1, 4)), "n=-1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.chunkCount(4, 0)), "chunkSize=0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(4, 2, 0, (c, s, e) -> { })), "threads=0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(4, 2, 1, null)), "body");
        float[][] partials = {new float[3], new float[2]};
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.sumInOrder(partials, 3, 2, new float[2], 0)), "chunks=3");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.sumInOrder(partials, 2, 3, new float[3], 0)), "partials[1]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.sumInOrder(partials, 2, 2, new float[2], 1)), "out");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Parallel.sumInOrder(null, 0, 2, new float[2], 0)), "partials");
    }

    @Test
    void sumInOrderOfNoChunksIsZero() {
        float[] out = {5f, 6f, 7f};
        Parallel.sumInOrder(new float[0][], 0, 2, out, 1);
        assertEquals(5f, out[0]);
        assertEquals(0f, out[1]);
        assertEquals(0f, out[2]);
    }

    private static void assertMessage(IllegalArgumentException e, String fragment) {
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
