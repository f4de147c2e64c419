package org.ntk4j.optim;

import java.util.Map;
import java.util.function.Function;

/**
 * The common body of the built-in providers: a name, the option descriptions and a factory that reads them.
 * Each built-in optimizer's {@code Provider} passes these three to this constructor from its own public
 * no-argument constructor (the one the service loader calls).
 */
abstract class BuiltInProvider implements OptimizerProvider {

    private final String name;
    private final Map<String, String> options;
    private final Function<OptimizerOptions, Optimizer<?>> factory;

    /**
     * @param name the optimizer's registered name
     * @param options each option's one-line description including its default (kept, not modified)
     * @param factory builds the optimizer from the options; called only by {@link #create}
     */
    BuiltInProvider(String name, Map<String, String> options, Function<OptimizerOptions, Optimizer<?>> factory) {
        this.name = name;
        this.options = options;
        this.factory = factory;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Map<String, String> options() {
        return options;
    }

    @Override
    public final Optimizer<?> create(OptimizerOptions options) {
        return factory.apply(options);
    }
}
