package org.ntk4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a cooperative stop: a handler raises a flag that the training loop reads
 * between iterations, waits until the command has written its files ({@link #close}), and then ends the process with
 * exit code 130.
 *
 * <p>The signals are caught with {@code sun.misc.Signal} handlers, so that the JVM does not begin its shutdown while
 * the current iteration finishes: other libraries' shutdown hooks (native memory release among them) would run
 * beside it, and a native call (LAPACK) the iteration still makes could then never return. Where such handlers
 * cannot be installed, a shutdown hook does the same.
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

    private final List<Signal> caught = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    /** @return an installed interruption handler, which the caller closes when its work is written */
    static Interruption install() {
        Interruption i = new Interruption();
        try {
            for (String name : List.of("INT", "TERM")) {
                Signal s = new Signal(name);
                i.previous.add(Signal.handle(s, signal -> i.onSignalAsync()));
                i.caught.add(s);
            }
        } catch (IllegalArgumentException e) {
            i.restoreSignals(); // the platform does not let Java handle these signals: fall back to a shutdown hook
            Runtime.getRuntime().addShutdownHook(i.hook);
        }
        return i;
    }

    /**
     * A signal: the first asks for a stop and waits on a thread of its own, as a shutdown hook would; a second one
     * ends the process at once (exit code 130), for an iteration that does not finish.
     */
    private synchronized void onSignalAsync() {
        if (requested) {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
        requested = true;
        Thread t = new Thread(this::onSignal, "ntk4j-interrupt");
        t.setDaemon(false);
        t.start();
    }

    private void restoreSignals() {
        for (int k = 0; k < caught.size(); k++) {
            Signal.handle(caught.get(k), previous.get(k));
        }
        caught.clear();
        previous.clear();
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
        if (!requested) {
            restoreSignals();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook ends the process
        }
    }
}
