package org.ntk4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The selection rules of {@link Backends}, over an explicit list of providers and explicit lookups of
 * system properties and environment variables — so that they can be fed and tested without a classpath.
 *
 * <ol>
 *   <li>An explicit name — given to {@link #create(String, BackendOptions)}, or else the system property
 *       {@value #PROPERTY}, or else the environment variable {@value #ENVIRONMENT} (the property wins) —
 *       selects that provider. Names match case-insensitively ({@link #key(String)}). If it is unknown,
 *       unavailable or fails to start, creation fails with the reason and the list of available backends;
 *       there is never a silent fallback.</li>
 *   <li>Otherwise every provider is probed and the available one with the highest priority wins; ties go
 *       to the name first in alphabetical order, so the choice never depends on classpath order. If the
 *       winner's {@link BackendProvider#create} throws although its probe said available, the failure is
 *       logged as a warning and remembered, and the next available provider is tried; {@link #report()}
 *       then shows the first as unavailable with the failure as its reason.</li>
 * </ol>
 *
 * <p>A provider that breaks its contract never breaks selection: a probe that throws (anything but a
 * {@link VirtualMachineError}) or returns null counts as unavailable, and so does a provider whose
 * {@code name()} or {@code priority()} throws.
 */
public final class BackendSelector {

    /** The system property that names the backend to use. */
    public static final String PROPERTY = "ntk4j.backend";
    /** The environment variable that names the backend to use when the property is not set. */
    public static final String ENVIRONMENT = "NTK4J_BACKEND";

    static final String NONE_FOUND = "no ntk4j backend found on the classpath or module path: add one of "
            + "org.ntk4j:ntk4j-backend-ejml (pure Java, always available), "
            + "org.ntk4j:ntk4j-backend-nd4j (native CPU) or org.ntk4j:ntk4j-backend-cuda (NVIDIA GPU)";

    private static final System.Logger LOG = System.getLogger(BackendSelector.class.getName());

    private static final Comparator<Candidate> PREFERENCE = Comparator.comparingInt(Candidate::priority).reversed()
            .thenComparing(Candidate::key).thenComparing(Candidate::name);

    private final List<Candidate> candidates;
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final Map<String, String> createFailures;
    private final Consumer<String> warnings;

    /**
     * @param providers the providers to choose from (not modified; copied)
     * @param systemProperties looks up a system property, null when unset
     * @param environment looks up an environment variable, null when unset
     */
    public BackendSelector(List<BackendProvider> providers, UnaryOperator<String> systemProperties,
                           UnaryOperator<String> environment) {
        this(providers, systemProperties, environment, new ConcurrentHashMap<>(), BackendSelector::warn);
    }

    /**
     * @param providers the providers to choose from (not modified; copied)
     * @param systemProperties looks up a system property, null when unset
     * @param environment looks up an environment variable, null when unset
     * @param createFailures why a provider's {@code create} failed, by {@link #key(String)}: read, and
     *     modified when a creation fails or succeeds (shared by every selector of {@link Backends})
     * @param warnings receives each warning line (a backend that failed to start)
     */
    BackendSelector(List<BackendProvider> providers, UnaryOperator<String> systemProperties,
                    UnaryOperator<String> environment, Map<String, String> createFailures, Consumer<String> warnings) {
        List<Candidate> sorted = providers.stream().map(Candidate::of).sorted(PREFERENCE)
                .collect(Collectors.toCollection(ArrayList::new));
        this.candidates = List.copyOf(sorted);
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.createFailures = Objects.requireNonNull(createFailures, "createFailures");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** @param message a warning line, logged with {@link System.Logger} at {@code WARNING} */
    static void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    /**
     * The one place backend names are normalised: a name given by a user matches a provider's name when
     * their keys are equal. Providers keep their own spelling for display.
     *
     * @param name a backend name, as a user or a provider spells it
     * @return the name trimmed and in lower case ({@link Locale#ROOT})
     */
    public static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** @return the providers, most preferred first */
    public List<BackendProvider> providers() {
        return candidates.stream().map(Candidate::provider).collect(Collectors.toUnmodifiableList());
    }

    /**
     * @return the backend name asked for by the system property or, failing that, the environment
     *     variable, as its {@link #key(String)}; null when neither is set (or both are blank)
     */
    public String requestedName() {
        String name = systemProperties.apply(PROPERTY);
        if (name == null || name.isBlank()) {
            name = environment.apply(ENVIRONMENT);
        }
        return name == null || name.isBlank() ? null : key(name);
    }

    /**
     * Creates the backend the rules select: the requested name if one is set, otherwise the best available
     * that starts.
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
        if (candidates.isEmpty()) {
            throw new BackendUnavailableException(NONE_FOUND);
        }
        List<String> reasons = new ArrayList<>();
        Throwable firstFailure = null;
        for (Candidate c : candidates) {
            Availability a = status(c);
            if (!a.available()) {
                reasons.add(c.name() + ": " + a.detail());
                continue;
            }
            try {
                return c.provider().create(options);
            } catch (Throwable e) {
                rethrowIfFatal(e);
                String why = describe(e);
                createFailures.put(c.key(), why);
                warnings.accept("ntk4j backend '" + c.name() + "' reported available but "
                        + "failed to start (" + why + "); trying the next backend");
                reasons.add(c.name() + ": failed to start: " + why);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        throw new BackendUnavailableException("no ntk4j backend is available here (" + String.join("; ", reasons)
                + "); add org.ntk4j:ntk4j-backend-ejml, which is always available", firstFailure);
    }

    /**
     * Creates the backend with the given name.
     *
     * @param name a provider name, case-insensitive
     * @param options the options for the backend (not modified)
     * @return the new backend
     * @throws BackendUnavailableException if no provider has that name, or it is unavailable, or it fails
     *     to start, naming the reason and the available backends
     */
    public Backend create(String name, BackendOptions options) {
        String wanted = key(name);
        List<Candidate> named = candidates.stream().filter(c -> c.key().equals(wanted)).collect(Collectors.toList());
        if (named.isEmpty()) {
            throw new BackendUnavailableException(candidates.isEmpty() ? NONE_FOUND
                    : "unknown ntk4j backend '" + name.trim() + "'; " + availableList());
        }
        List<String> reasons = new ArrayList<>();
        for (Candidate c : named) {
            Availability a = c.probe();
            if (!a.available()) {
                reasons.add(a.detail());
                continue;
            }
            try {
                Backend backend = c.provider().create(options);
                createFailures.remove(c.key());
                return backend;
            } catch (BackendUnavailableException e) {
                createFailures.put(c.key(), describe(e));
                throw e;
            } catch (Throwable e) {
                rethrowIfFatal(e);
                createFailures.put(c.key(), describe(e));
                throw new BackendUnavailableException("ntk4j backend '" + c.name() + "' failed to start: "
                        + describe(e) + "; " + availableList(), e);
            }
        }
        throw new BackendUnavailableException("ntk4j backend '" + named.get(0).name() + "' is unavailable: "
                + String.join("; ", reasons) + "; " + availableList());
    }

    /**
     * Probes every provider.
     *
     * @return one status per provider, most preferred first, the one automatic selection would pick marked;
     *     a provider whose creation failed earlier is shown unavailable with that failure
     */
    public List<ProviderStatus> report() {
        String requested = requestedName();
        List<ProviderStatus> out = new ArrayList<>();
        boolean chosen = false;
        for (Candidate c : candidates) {
            Availability a = status(c);
            boolean pick = !chosen && a.available() && (requested == null || requested.equals(c.key()));
            chosen |= pick;
            out.add(new ProviderStatus(c.name(), c.priority(), a, pick));
        }
        return out;
    }

    private String availableList() {
        List<String> names = candidates.stream().filter(c -> status(c).available()).map(Candidate::name)
                .distinct().collect(Collectors.toList());
        return names.isEmpty() ? "no backend is available" : "available: " + String.join(", ", names);
    }

    /** The probe's result, unless creating the backend failed earlier: then unavailable, with both reasons. */
    private Availability status(Candidate c) {
        Availability a = c.probe();
        String failed = createFailures.get(c.key());
        return a.available() && failed != null
                ? Availability.unavailable("probe: " + a.detail() + "; but it failed to start: " + failed) : a;
    }

    /**
     * Probes a provider, turning a probe that breaks its no-throw contract into an unavailable result.
     *
     * @param p the provider (its probe is called)
     * @return its availability; unavailable naming the exception if the probe threw, or if it returned null
     */
    static Availability probe(BackendProvider p) {
        try {
            Availability a = p.probe();
            return a != null ? a : Availability.unavailable("probe returned null");
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return Availability.unavailable("probe failed: " + describe(e));
        }
    }

    /**
     * @param e a failure
     * @return one line: the exception and its causes, outermost first
     */
    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && c != e && depth < 4; c = c.getCause(), depth++) {
            s.append("; caused by ").append(c);
        }
        return s.toString().replace('\n', ' ').replace('\r', ' ');
    }

    /** A JVM in trouble (out of memory, stack overflow) is not a provider's fault: let it propagate. */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError) {
            throw (VirtualMachineError) e;
        }
    }

    /**
     * A provider with its name and priority read once. A provider whose {@code name()} or {@code priority()}
     * throws, or whose name is blank, is kept under its class name and reported unavailable ({@code broken}).
     */
    private record Candidate(BackendProvider provider, String name, String key, int priority, String broken) {

        static Candidate of(BackendProvider p) {
            Objects.requireNonNull(p, "provider");
            String name;
            int priority;
            try {
                name = p.name();
                priority = p.priority();
            } catch (Throwable e) {
                rethrowIfFatal(e);
                String fallback = p.getClass().getName();
                return new Candidate(p, fallback, BackendSelector.key(fallback), 0, "name() or priority() failed: " + describe(e));
            }
            if (name == null || name.isBlank()) {
                String fallback = p.getClass().getName();
                return new Candidate(p, fallback, BackendSelector.key(fallback), priority, "the provider has no name");
            }
            return new Candidate(p, name.trim(), BackendSelector.key(name), priority, null);
        }

        Availability probe() {
            return broken != null ? Availability.unavailable(broken) : BackendSelector.probe(provider);
        }
    }
}
