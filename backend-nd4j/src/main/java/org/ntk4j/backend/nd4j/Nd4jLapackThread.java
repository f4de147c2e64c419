package org.ntk4j.backend.nd4j;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs LAPACK calls on one daemon thread with a large native stack. OpenBLAS's multithreaded LU
 * ({@code getrf_parallel}) keeps a work array of several MiB on the calling thread's stack, more than a Java
 * thread's default 1 MiB (even 2 MiB is too little), and crashes the JVM with a segmentation fault when it
 * runs on an ordinary thread; every LAPACK routine is routed here so that none of them depends on the
 * caller's stack size.
 */
final class Nd4jLapackThread {

    /** Stack size of the LAPACK thread. */
    static final long STACK_BYTES = 64L << 20;

    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "ntk4j-nd4j-lapack", STACK_BYTES);
        t.setDaemon(true);
        return t;
    });

    private Nd4jLapackThread() {
    }

    /**
     * Runs a task on the LAPACK thread and waits for it.
     *
     * @param task the work (run once)
     * @param <T> its result type
     * @return its result
     * @throws RuntimeException or Error what the task threw, unchanged
     */
    static <T> T call(Callable<T> task) {
        Future<T> f = EXECUTOR.submit(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // the native call cannot be stopped half-way: wait for it, then restore the flag
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
