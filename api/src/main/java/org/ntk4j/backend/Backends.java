package org.ntk4j.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds backends with {@link ServiceLoader} (classpath and module path alike) and creates one by the rules
 * of {@link BackendSelector}: an explicit name ({@link #create(String)}, the system property
 * {@code ntk4j.backend}, or the environment variable {@code NTK4J_BACKEND}) or else the available backend
 * with the highest priority.
 *
 * <pre>{@code
 * try (Backend backend = Backends.create()) { ... }
 * }</pre>
 *
 * <p>A broken provider jar never stops selection: a services entry that names a missing class, or a provider
 * whose class fails to initialise or whose constructor throws, is listed by {@link #report()} as unavailable
 * with the cause (and logged once as a warning), and the other backends are found as usual. A backend that
 * fails to start after its probe said available is remembered for the life of the JVM (see
 * {@link BackendSelector}).
 */
public final class Backends {

    /** Stop reading a services file that keeps failing after this many broken entries. */
    static final int MAX_BROKEN_ENTRIES = 32;

    private static final Map<String, String> CREATE_FAILURES = new ConcurrentHashMap<>();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private Backends() {
    }

    /** @return the selector over the providers visible to this class's class loader or module layer */
    public static BackendSelector selector() {
        return new BackendSelector(load(Backends.class.getClassLoader()), System::getProperty, System::getenv,
                CREATE_FAILURES, BackendSelector::warn);
    }

    /**
     * @param loader the class loader whose services files (and module layer) are read
     * @return every provider found, with each entry that could not be loaded as an unavailable stand-in
     */
    static List<BackendProvider> load(ClassLoader loader) {
        return load(ServiceLoader.load(BackendProvider.class, loader).iterator());
    }

    /**
     * Reads providers one by one, so that a broken entry costs only itself.
     *
     * @param providers the service loader's iterator (advanced to its end)
     * @return the providers, with a stand-in reported unavailable for each entry that failed to load
     */
    static List<BackendProvider> load(Iterator<BackendProvider> providers) {
        List<BackendProvider> found = new ArrayList<>();
        int broken = 0;
        while (broken < MAX_BROKEN_ENTRIES) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                Unloadable stand = new Unloadable(e);
                if (LOGGED.add(stand.detail)) {
                    BackendSelector.warn("an ntk4j backend provider could not be loaded and is ignored: "
                            + stand.name + " " + stand.detail);
                }
                found.add(stand);
                broken++;
            }
        }
        return found;
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

    /**
     * Stands for a services entry that could not be loaded: named after the class in the error when it can
     * be found there, always unavailable, with the error as its reason.
     */
    private static final class Unloadable implements BackendProvider {

        private static final Pattern CLASS_NAME = Pattern.compile("Provider (\\S+) |: (\\S+) not a subtype");

        private final String name;
        private final String detail;

        Unloadable(Throwable e) {
            Matcher m = CLASS_NAME.matcher(String.valueOf(e.getMessage()));
            this.name = m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : "unloadable-provider";
            this.detail = "could not be loaded: " + BackendSelector.describe(e);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability probe() {
            return Availability.unavailable(detail);
        }

        @Override
        public Backend create(BackendOptions options) {
            throw new BackendUnavailableException("ntk4j backend provider " + name + " " + detail);
        }
    }
}
