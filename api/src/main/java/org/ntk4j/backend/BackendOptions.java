package org.ntk4j.backend;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Immutable options handed to {@link BackendProvider#create}. Every {@code with…} method returns a copy.
 * Backend-specific settings travel as string properties ({@code "cuda.device" → "1"}).
 */
public final class BackendOptions {

    private static final BackendOptions DEFAULTS = new BackendOptions(0, Map.of());

    private final int threads;
    private final Map<String, String> properties;

    private BackendOptions(int threads, Map<String, String> properties) {
        this.threads = threads;
        this.properties = properties;
    }

    /** @return the defaults: as many threads as the backend chooses, no properties */
    public static BackendOptions defaults() {
        return DEFAULTS;
    }

    /** @return the number of CPU threads the backend may use; 0 lets it choose */
    public int threads() {
        return threads;
    }

    /**
     * @param threads the number of CPU threads, ≥ 0 (0: the backend chooses)
     * @return a copy with that thread count
     */
    public BackendOptions withThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        return new BackendOptions(threads, properties);
    }

    /**
     * @param key a property name, such as {@code "cuda.device"}
     * @return its value, if set
     */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /**
     * @param key a property name
     * @param value its value
     * @return a copy with the property set
     */
    public BackendOptions withProperty(String key, String value) {
        Map<String, String> copy = new TreeMap<>(properties);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new BackendOptions(threads, Map.copyOf(copy));
    }

    @Override
    public String toString() {
        return "BackendOptions{threads=" + threads + ", properties=" + properties + "}";
    }
}
