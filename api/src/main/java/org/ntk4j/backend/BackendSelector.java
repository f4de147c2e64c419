package org.ntk4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The selection rules of {@link Backends}, over an explicit list of providers and explicit lookups of
 * system properties and environment variables — so that they can be fed and tested without a classpath.
 *
 * <ol>
 *   <li>An explicit name — given to {@link #create(String, BackendOptions)}, or else the system property
 *       {@value #PROPERTY}, or else the environment variable {@value #ENVIRONMENT} (the property wins) —
 *       selects that provider. If it is unknown or unavailable, creation fails with the reason and the
 *       list of available backends; there is never a silent fallback.</li>
 *   <li>Otherwise every provider is probed and the available one with the highest priority wins; ties go
 *       to the name first in alphabetical order, so the choice never depends on classpath order.</li>
 * </ol>
 */
public final class BackendSelector {

    /** The system property that names the backend to use. */
    public static final String PROPERTY = "ntk4j.backend";
    /** The environment variable that names the backend to use when the property is not set. */
    public static final String ENVIRONMENT = "NTK4J_BACKEND";

    static final String NONE_FOUND = "no ntk4j backend found on the classpath or module path: add one of "
            + "org.ntk4j:ntk4j-backend-ejml (pure Java, always available), "
            + "org.ntk4j:ntk4j-backend-nd4j (native CPU) or org.ntk4j:ntk4j-backend-cuda (NVIDIA GPU)";

    private static final Comparator<BackendProvider> PREFERENCE =
            Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name);

    private final List<BackendProvider> providers;
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;

    /**
     * @param providers the providers to choose from (not modified; copied)
     * @param systemProperties looks up a system property, null when unset
     * @param environment looks up an environment variable, null when unset
     */
    public BackendSelector(List<BackendProvider> providers, UnaryOperator<String> systemProperties,
                           UnaryOperator<String> environment) {
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(PREFERENCE);
        this.providers = List.copyOf(sorted);
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** @return the providers, most preferred first */
    public List<BackendProvider> providers() {
        return providers;
    }

    /**
     * @return the backend name asked for by the system property or, failing that, the environment
     *     variable; null when neither is set (or both are blank)
     */
    public String requestedName() {
        String name = systemProperties.apply(PROPERTY);
        if (name == null || name.isBlank()) {
            name = environment.apply(ENVIRONMENT);
        }
        return name == null || name.isBlank() ? null : name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Creates the backend the rules select: the requested name if one is set, otherwise the best available.
     *
     * @param options the options for the backend (not modified)
     * @return the new backend
     * @throws BackendUnavailableException naming the reason and the available backends
     */
    public Backend create(BackendOptions options) {
        String requested = requestedName();
        if (requested != null) {
            return create(requested, options);
        }
        if (providers.isEmpty()) {
            throw new BackendUnavailableException(NONE_FOUND);
        }
        List<String> reasons = new ArrayList<>();
        for (BackendProvider p : providers) {
            Availability a = probe(p);
            if (a.available()) {
                return p.create(options);
            }
            reasons.add(p.name() + ": " + a.detail());
        }
        throw new BackendUnavailableException("no ntk4j backend is available here (" + String.join("; ", reasons)
                + "); add org.ntk4j:ntk4j-backend-ejml, which is always available");
    }

    /**
     * Creates the backend with the given name.
     *
     * @param name a provider name, case-insensitive
     * @param options the options for the backend (not modified)
     * @return the new backend
     * @throws BackendUnavailableException if no provider has that name or it is unavailable, naming the
     *     reason and the available backends
     */
    public Backend create(String name, BackendOptions options) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> named = providers.stream().filter(p -> p.name().equals(wanted)).collect(Collectors.toList());
        if (named.isEmpty()) {
            throw new BackendUnavailableException(providers.isEmpty() ? NONE_FOUND
                    : "unknown ntk4j backend '" + name + "'; " + availableList());
        }
        List<String> reasons = new ArrayList<>();
        for (BackendProvider p : named) {
            Availability a = probe(p);
            if (a.available()) {
                return p.create(options);
            }
            reasons.add(a.detail());
        }
        throw new BackendUnavailableException("ntk4j backend '" + wanted + "' is unavailable: "
                + String.join("; ", reasons) + "; " + availableList());
    }

    /**
     * Probes every provider.
     *
     * @return one status per provider, most preferred first, the one automatic selection would pick marked
     */
    public List<ProviderStatus> report() {
        String requested = requestedName();
        List<ProviderStatus> out = new ArrayList<>();
        boolean chosen = false;
        for (BackendProvider p : providers) {
            Availability a = probe(p);
            boolean pick = !chosen && a.available() && (requested == null || requested.equals(p.name()));
            chosen |= pick;
            out.add(new ProviderStatus(p.name(), p.priority(), a, pick));
        }
        return out;
    }

    private String availableList() {
        List<String> names = providers.stream().filter(p -> probe(p).available()).map(BackendProvider::name)
                .distinct().collect(Collectors.toList());
        return names.isEmpty() ? "no backend is available" : "available: " + String.join(", ", names);
    }

    /** Probes a provider, turning a probe that breaks its no-throw contract into an unavailable result. */
    static Availability probe(BackendProvider p) {
        try {
            Availability a = p.probe();
            return a != null ? a : Availability.unavailable("probe returned null");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }
}
