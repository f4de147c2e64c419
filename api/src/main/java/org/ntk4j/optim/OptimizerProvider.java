package org.ntk4j.optim;

import java.util.Map;

/**
 * Makes one kind of optimizer; found by {@link java.util.ServiceLoader} (declare it with {@code provides} in
 * module-info and in {@code META-INF/services/org.ntk4j.optim.OptimizerProvider}), so a third-party optimizer
 * on the classpath or module path is created by name like the built-in ones. Implementations have a public
 * no-argument constructor and do no work until {@link #create} is called.
 */
public interface OptimizerProvider {

    /** @return the optimizer's name, lower case with dashes ({@code "proximal-ntk"}) */
    String name();

    /** @return the options {@link #create} understands, each with a one-line description including its default */
    Map<String, String> options();

    /**
     * @param options the options, all among {@link #options()} (not modified)
     * @return a new optimizer
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    Optimizer<?> create(OptimizerOptions options);
}
