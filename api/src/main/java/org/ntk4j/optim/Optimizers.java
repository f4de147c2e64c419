package org.ntk4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ntk4j.nn.Params;

/**
 * Creates optimizers by name from the {@link OptimizerProvider}s found by {@link ServiceLoader}, or from an
 * explicit list of providers, and applies updates.
 *
 * <pre>{@code
 * Optimizer<?> adam = Optimizers.create("adam", OptimizerOptions.of("lr", 1e-3));
 * }</pre>
 */
public final class Optimizers {

    private Optimizers() {
    }

    /** @return the providers visible to this class's class loader or module layer, by name */
    public static List<OptimizerProvider> providers() {
        List<OptimizerProvider> found = new ArrayList<>();
        ServiceLoader.load(OptimizerProvider.class, Optimizers.class.getClassLoader()).forEach(found::add);
        return List.copyOf(byName(found).values());
    }

    /** @return the names of the optimizers found, sorted */
    public static Set<String> names() {
        return new TreeSet<>(byName(providers()).keySet());
    }

    /**
     * @param name an optimizer's name, case-insensitive
     * @return that optimizer with its default options
     * @throws IllegalArgumentException if no provider has that name, listing the known names
     */
    public static Optimizer<?> create(String name) {
        return create(name, OptimizerOptions.defaults());
    }

    /**
     * @param name an optimizer's name, case-insensitive
     * @param options its options (not modified)
     * @return the optimizer
     * @throws IllegalArgumentException if no provider has that name (listing the known names) or an option is
     *     unknown (listing the known options)
     */
    public static Optimizer<?> create(String name, OptimizerOptions options) {
        return create(name, options, providers());
    }

    /**
     * Creates an optimizer from an explicit list of providers instead of the service loader.
     *
     * @param name an optimizer's name, case-insensitive
     * @param options its options (not modified)
     * @param providers the providers to choose from (not modified)
     * @return the optimizer
     * @throws IllegalArgumentException if no provider has that name or an option is unknown, listing what is
     *     known
     */
    public static Optimizer<?> create(String name, OptimizerOptions options, List<OptimizerProvider> providers) {
        Map<String, OptimizerProvider> known = byName(providers);
        OptimizerProvider p = known.get(name.trim().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: " + known.keySet());
        }
        Set<String> unknown = new TreeSet<>(options.keys());
        unknown.removeAll(p.options().keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("optimizer '" + p.name() + "' has no option " + unknown
                    + "; its options: " + new TreeSet<>(p.options().keySet()));
        }
        return p.create(options);
    }

    /**
     * θ + u, as optax's {@code apply_updates}.
     *
     * @param params the parameters (not modified)
     * @param updates the updates, alike (not modified)
     * @return new parameters
     */
    public static Params applyUpdates(Params params, Params updates) {
        return ParamMath.combine(1, params, 1, updates);
    }

    private static Map<String, OptimizerProvider> byName(List<OptimizerProvider> providers) {
        Map<String, OptimizerProvider> map = new TreeMap<>();
        for (OptimizerProvider p : providers) {
            String key = p.name().toLowerCase(Locale.ROOT);
            OptimizerProvider old = map.putIfAbsent(key, p);
            if (old != null && old.getClass() != p.getClass()) {
                throw new IllegalStateException("two optimizer providers are named '" + key + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return map;
    }
}
