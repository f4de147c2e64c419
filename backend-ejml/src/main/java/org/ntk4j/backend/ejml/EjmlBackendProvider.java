package org.ntk4j.backend.ejml;

import org.ejml.EjmlVersion;
import org.ejml.concurrency.EjmlConcurrency;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendProvider;

/**
 * Provides the {@code "ejml"} backend: pure Java, F64, always available, priority 100. With
 * {@code BackendOptions.threads() == 1} it runs single-threaded; with another positive number it sets EJML's
 * (process-wide) thread limit; with 0 it uses EJML's default pool.
 */
public final class EjmlBackendProvider implements BackendProvider {

    /** The priority of this backend: the lowest of the built-in ones, the fallback. */
    public static final int PRIORITY = 100;

    /** Makes the provider; does nothing else. */
    public EjmlBackendProvider() {
        // nothing to do: ServiceLoader needs a public no-argument constructor
    }

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability probe() {
        return Availability.available("pure Java, EJML " + EjmlVersion.VERSION + ", F64, "
                + Runtime.getRuntime().availableProcessors() + " cores");
    }

    @Override
    public Backend create(BackendOptions options) {
        int threads = options.threads();
        if (threads > 1) {
            EjmlConcurrency.setMaxThreads(threads);
        }
        return new EjmlBackend(threads != 1);
    }
}
