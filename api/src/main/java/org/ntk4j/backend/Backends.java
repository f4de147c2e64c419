package org.ntk4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds backends with {@link ServiceLoader} (classpath and module path alike) and creates one by the rules
 * of {@link BackendSelector}: an explicit name ({@link #create(String)}, the system property
 * {@code ntk4j.backend}, or the environment variable {@code NTK4J_BACKEND}) or else the available backend
 * with the highest priority.
 *
 * <pre>{@code
 * try (Backend backend = Backends.create()) { ... }
 * }</pre>
 */
public final class Backends {

    private Backends() {
    }

    /** @return the selector over the providers visible to this class's class loader or module layer */
    public static BackendSelector selector() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        return new BackendSelector(found, System::getProperty, System::getenv);
    }

    /**
     * @return the selected backend with default options
     * @throws BackendUnavailableException if none can be created, with the reason
     */
    public static Backend create() {
        return selector().create(BackendOptions.defaults());
    }

    /**
     * @param options the options (not modified)
     * @return the selected backend
     * @throws BackendUnavailableException if none can be created, with the reason
     */
    public static Backend create(BackendOptions options) {
        return selector().create(options);
    }

    /**
     * @param name the backend's name, case-insensitive
     * @return that backend with default options
     * @throws BackendUnavailableException if it is unknown or unavailable, naming why and what is available
     */
    public static Backend create(String name) {
        return selector().create(name, BackendOptions.defaults());
    }

    /**
     * @param name the backend's name, case-insensitive
     * @param options the options (not modified)
     * @return that backend
     * @throws BackendUnavailableException if it is unknown or unavailable, naming why and what is available
     */
    public static Backend create(String name, BackendOptions options) {
        return selector().create(name, options);
    }

    /** @return every provider found, most preferred first, with its availability and which one is selected */
    public static List<ProviderStatus> report() {
        return selector().report();
    }
}
