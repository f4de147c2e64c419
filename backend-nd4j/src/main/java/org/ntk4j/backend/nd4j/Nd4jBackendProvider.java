package org.ntk4j.backend.nd4j;

import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendProvider;
import org.ntk4j.backend.BackendUnavailableException;

/**
 * Provides the {@code "nd4j"} backend: native CPU code through ND4J ({@code nd4j-native}) and its OpenBLAS,
 * F64 and F32, priority 200. {@link #probe()} loads ND4J's native library the first time it is called
 * (a few seconds) and reports the cause when that fails, for instance on a platform whose
 * {@code nd4j-native} classifier jar is not on the classpath.
 *
 * <p>With {@code BackendOptions.threads() > 0} the backend sets OpenBLAS's and ND4J's thread counts; both
 * are process-wide settings.
 */
public final class Nd4jBackendProvider implements BackendProvider {

    /** The priority of this backend: above the pure-Java EJML backend, below CUDA. */
    public static final int PRIORITY = 200;

    /** Makes the provider; loads nothing. */
    public Nd4jBackendProvider() {
        // ServiceLoader needs a public no-argument constructor; ND4J is loaded by probe() or create()
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability probe() {
        try {
            return Nd4jRuntime.status();
        } catch (Throwable t) {
            // Nd4jRuntime itself could not be linked: ND4J's classes are missing
            return Availability.unavailable("ND4J is not on the classpath: " + rootCause(t));
        }
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability a = probe();
        if (!a.available()) {
            throw new BackendUnavailableException("backend 'nd4j' is unavailable: " + a.detail());
        }
        return new Nd4jBackend(options.threads());
    }

    /**
     * @param t an error (not modified)
     * @return its innermost cause as "Type: message", on one line
     */
    static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String msg = c.getMessage();
        return c.getClass().getName() + (msg == null ? "" : ": " + msg.strip().replace('\n', ' '));
    }
}
