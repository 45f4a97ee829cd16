package dev.onelayer.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic parallel-for over fixed chunks.
 *
 * <p>The range {@code [0, n)} is cut into chunks of {@code chunkSize} (the last may be shorter).
 * The boundaries depend only on {@code n} and {@code chunkSize}, never on the thread count, and
 * each chunk is run exactly once by one thread. A body that writes each chunk's result into its
 * own slot, followed by a reduction in chunk order ({@link #sumInOrder}), therefore produces the
 * same bits on 1 thread and on N.
 */
public final class Parallel {

    /** The work for one chunk {@code [start, end)}. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk, int start, int end);
    }

    private static final int MAX_WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final class Pool {
        static final ExecutorService EXEC = Executors.newFixedThreadPool(MAX_WORKERS, r -> {
            Thread t = new Thread(r, "onelayer-parallel");
            t.setDaemon(true);
            return t;
        });
    }

    private Parallel() {
    }

    /** Number of chunks {@code ceil(n / chunkSize)}. */
    public static int chunkCount(int n, int chunkSize) {
        if (n < 0) throw new IllegalArgumentException("parallel: n=" + n + " is negative");
        if (chunkSize < 1) throw new IllegalArgumentException("parallel: chunkSize=" + chunkSize + " must be at least 1");
        return (int) (((long) n + chunkSize - 1) / chunkSize);
    }

    /** Threads this JVM can usefully run (the available processors). */
    public static int maxThreads() {
        return MAX_WORKERS;
    }

    /**
     * Runs {@code body} on every chunk of {@code [0, n)} using up to {@code threads} threads (the
     * calling thread is one of them). Returns when all chunks are done; the first exception thrown
     * by a chunk is rethrown.
     */
    public static void forChunks(int n, int chunkSize, int threads, ChunkBody body) {
        int chunks = chunkCount(n, chunkSize);
        if (threads < 1) throw new IllegalArgumentException("parallel: threads=" + threads + " must be at least 1");
        if (body == null) throw new IllegalArgumentException("parallel: body is null");
        int workers = Math.min(Math.min(threads, MAX_WORKERS), chunks);
        if (workers <= 1) {
            for (int c = 0; c < chunks; c++) body.run(c, c * chunkSize, chunkEnd(c, n, chunkSize));
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                body.run(c, c * chunkSize, chunkEnd(c, n, chunkSize));
            }
        };
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[workers - 1];
        for (int w = 0; w < workers - 1; w++) futures[w] = Pool.EXEC.submit(worker);
        Throwable failure = null;
        try {
            worker.run();
        } catch (Throwable t) {
            failure = t;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failure = moreInformative(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
        if (failure != null) throw new IllegalStateException("parallel chunk failed", failure);
    }

    /**
     * The first failure, except that a class initialiser's own error replaces the
     * {@code NoClassDefFoundError} another thread got for the same class afterwards: only the
     * first carries the reason (a bad {@code -Donelayer.*} option, say).
     */
    private static Throwable moreInformative(Throwable first, Throwable next) {
        if (first == null) return next;
        return first instanceof NoClassDefFoundError && next instanceof ExceptionInInitializerError ? next : first;
    }

    /** End of chunk c; in long because (c + 1) * chunkSize overflows int for n near 2^31. */
    private static int chunkEnd(int c, int n, int chunkSize) {
        return (int) Math.min(n, (long) (c + 1) * chunkSize);
    }

    /**
     * {@code out[outOff + i] = sum_c partials[c][i]} for i < len, adding the partials strictly in
     * chunk order 0, 1, 2, ... so the result does not depend on which thread produced what.
     */
    public static void sumInOrder(float[][] partials, int chunks, int len, float[] out, int outOff) {
        if (partials == null || chunks < 0 || chunks > partials.length) {
            throw new IllegalArgumentException("sumInOrder: chunks=" + chunks + " does not fit the partials");
        }
        Checks.vector("sumInOrder", "out", out, outOff, len);
        for (int c = 0; c < chunks; c++) Checks.vector("sumInOrder", "partials[" + c + "]", partials[c], 0, len);
        java.util.Arrays.fill(out, outOff, outOff + len, 0f);
        for (int c = 0; c < chunks; c++) Kernels.axpy(len, 1f, partials[c], 0, out, outOff);
    }
}
