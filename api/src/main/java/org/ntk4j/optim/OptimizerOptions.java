package org.ntk4j.optim;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Immutable options for {@link OptimizerProvider#create}: named values kept as text, as they come from a
 * command line or a config file, read back typed. Every {@code with} returns a copy.
 *
 * <pre>{@code
 * Optimizers.create("adam", OptimizerOptions.of("lr", 1e-3).with("b1", 0.9));
 * }</pre>
 */
public final class OptimizerOptions {

    private static final OptimizerOptions EMPTY = new OptimizerOptions(Map.of());

    private final Map<String, String> values;

    private OptimizerOptions(Map<String, String> values) {
        this.values = values;
    }

    /** @return no options: every optimizer's defaults */
    public static OptimizerOptions defaults() {
        return EMPTY;
    }

    /**
     * @param key an option name
     * @param value its value (a number, boolean or text; stored as text)
     * @return options with that one value
     */
    public static OptimizerOptions of(String key, Object value) {
        return EMPTY.with(key, value);
    }

    /**
     * @param values names and values, as text (not modified)
     * @return options holding them
     */
    public static OptimizerOptions of(Map<String, String> values) {
        OptimizerOptions o = EMPTY;
        for (Map.Entry<String, String> e : values.entrySet()) {
            o = o.with(e.getKey(), e.getValue());
        }
        return o;
    }

    /**
     * @param key an option name (case-sensitive)
     * @param value its value (a number, boolean or text; stored as {@code String.valueOf(value)})
     * @return a copy with the value set
     */
    public OptimizerOptions with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of " + key);
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, String.valueOf(value));
        return new OptimizerOptions(Map.copyOf(copy));
    }

    /** @return the names of the options set */
    public Set<String> keys() {
        return values.keySet();
    }

    /** @return every option as text (an unmodifiable map) */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * @param key an option name
     * @param fallback the value when it is not set
     * @return the option as a double
     * @throws IllegalArgumentException naming the option when its text is not a number
     */
    public double getDouble(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer option '" + key + "' must be a number, got '" + v + "'", e);
        }
    }

    /**
     * @param key an option name
     * @param fallback the value when it is not set
     * @return the option as an int
     * @throws IllegalArgumentException naming the option when its text is not an integer
     */
    public int getInt(String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer option '" + key + "' must be an integer, got '" + v + "'", e);
        }
    }

    /**
     * @param key an option name
     * @param fallback the value when it is not set
     * @return the option as a boolean ({@code true}/{@code false}, case-insensitive)
     * @throws IllegalArgumentException naming the option when its text is neither
     */
    public boolean getBoolean(String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("optimizer option '" + key + "' must be true or false, got '" + v + "'");
    }

    /**
     * @param key an option name
     * @param fallback the value when it is not set
     * @return the option's text
     */
    public String getString(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerOptions other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
