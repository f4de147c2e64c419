package org.ntk4j.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a cooperative stop: a shutdown hook raises a flag that the training loop
 * reads between iterations, waits until the command has written its files ({@link #close}), and then ends the
 * process with exit code 130.
 */
final class Interruption implements AutoCloseable {

    /** The exit code of an interrupted command (128 + SIGINT). */
    static final int EXIT_CODE = 130;

    /** How long the hook waits for the current iteration and the files. */
    private static final long GRACE_MINUTES = 10;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "ntk4j-interrupt");
    private volatile boolean requested;

    private Interruption() {
    }

    /** @return an installed interruption hook, which the caller closes when its work is written */
    static Interruption install() {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** @return whether a stop was asked for */
    boolean requested() {
        return requested;
    }

    private void onSignal() {
        requested = true;
        try {
            done.await(GRACE_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(EXIT_CODE);
    }

    /** The command's files are written: an interrupted process may now end; otherwise the hook is removed. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook ends the process
        }
    }
}
