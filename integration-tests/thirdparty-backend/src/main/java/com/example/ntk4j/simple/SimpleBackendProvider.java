package com.example.ntk4j.simple;

import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendProvider;

/**
 * Provides the {@code "simple"} backend: pure Java, single-threaded, F64, always available. Its priority,
 * {@value #PRIORITY}, is below every built-in backend, so it is only used when asked for by name
 * ({@code -Dntk4j.backend=simple}) or when it is the only backend present.
 */
public final class SimpleBackendProvider implements BackendProvider {

    /** The priority: lower than ejml's 100, so that adding this jar never changes an automatic choice. */
    public static final int PRIORITY = 10;

    /** Makes the provider; ServiceLoader calls this, so it does nothing else. */
    public SimpleBackendProvider() {
        // nothing to initialise
    }

    @Override
    public String name() {
        return "simple";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability probe() {
        return Availability.available("pure Java, plain loops, F64, 1 thread");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new SimpleBackend();
    }
}
