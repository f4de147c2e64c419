package org.ntk4j.spark;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;

/**
 * The backend of a task thread: whatever {@link Backends#create()} selects from the executor's classpath,
 * created on first use and kept for the life of the thread (backends are not shared between threads).
 */
final class ExecutorBackend {

    private static final ThreadLocal<Backend> BACKEND = ThreadLocal.withInitial(Backends::create);

    private ExecutorBackend() {
    }

    /** @return this thread's backend */
    static Backend get() {
        return BACKEND.get();
    }
}
