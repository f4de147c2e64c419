package org.ntk4j.backend;

/**
 * The service a backend registers (in {@code module-info} with {@code provides} and in
 * {@code META-INF/services/org.ntk4j.backend.BackendProvider}) so that {@link Backends} finds it.
 *
 * <p>An implementation has a public no-argument constructor that does nothing expensive: no native
 * loading, no device calls, no network, no printing. All of that happens in {@link #probe()} or
 * {@link #create}.
 */
public interface BackendProvider {

    /**
     * @return the name users select the backend by, matched case-insensitively ({@link BackendSelector#key});
     *     by convention lower case, no spaces ({@code "ejml"})
     */
    String name();

    /**
     * @return the priority among available backends when none is chosen explicitly; higher wins
     *     (cuda 300, nd4j 200, ejml 100)
     */
    int priority();

    /**
     * Checks cheaply whether the backend can be created here. Never throws: any failure becomes an
     * {@link Availability#unavailable(String)} whose detail names the cause. (A probe that throws anyway, or
     * returns null, is reported unavailable by {@link BackendSelector}, with the exception as its detail.)
     *
     * @return the availability and its detail
     */
    Availability probe();

    /**
     * Creates a backend.
     *
     * @param options the options (not modified)
     * @return a new backend, to be closed by the caller
     * @throws BackendUnavailableException if it cannot be created here, naming the reason; if this (or
     *     anything else) is thrown although the probe said available, automatic selection logs a warning
     *     and moves on to the next available backend
     */
    Backend create(BackendOptions options);
}
