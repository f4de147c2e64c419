package org.ntk4j.optim;

import java.util.function.Supplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;

/**
 * What an optimizer may ask about the loss on the current minibatch: the context of one
 * {@link Optimizer#update(Objective, OptimizerState, Params)} call.
 *
 * <p>A first-order optimizer asks only for {@link #lossAndGradient(Params)}. A model-aware (second-order)
 * optimizer such as {@link ProximalNtk} asks for the {@link #linearize(Params) linearization} of the network at
 * the current parameters — outputs, output-space loss derivatives, the empirical NTK of the batch, and
 * vector–Jacobian products — and for {@link #loss(Params) losses} at trial parameters. Implementations time
 * their work into the phases of {@link Phase}; the optimizer times its own work with {@link #timed}.
 *
 * <p>The loss is the mean over the batch of a per-sample loss ℓ(f(x_i), y_i) of the network's outputs.
 */
public interface Objective {

    /** @return the backend every tensor lives on */
    Backend backend();

    /**
     * @param params parameters alike the model's (not modified)
     * @return the mean batch loss at {@code params} (a forward pass)
     */
    double loss(Params params);

    /**
     * @param params parameters alike the model's (not modified)
     * @return the mean batch loss and its gradient at {@code params} (a forward and a backward pass); the
     *     caller closes it
     */
    LossAndGradient lossAndGradient(Params params);

    /**
     * @param params parameters alike the model's (not modified; must stay open while the result is used)
     * @return the network linearized at {@code params} on the batch; the caller closes it
     * @throws UnsupportedOperationException if the model cannot give its kernel and vector–Jacobian products
     */
    Linearization linearize(Params params);

    /**
     * Runs work and records its duration under a phase.
     *
     * @param phase the phase to record
     * @param work the work
     * @param <T> its result type
     * @return the work's result
     */
    <T> T timed(Phase phase, Supplier<T> work);

    /**
     * Reports floating-point work done by the optimizer itself (its solves), for the flops counter. The default
     * ignores it.
     *
     * @param op the operation, such as {@code solve.cholesky} or {@code solve.lu}
     * @param count the number of floating-point operations
     */
    default void flops(String op, double count) {
    }
}
