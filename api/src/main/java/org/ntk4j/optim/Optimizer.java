package org.ntk4j.optim;

import java.util.List;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * An optimizer as a pair of pure functions, in the style of optax: {@link #init(Params)} makes the first
 * state and {@link #update(Objective, OptimizerState, Params)} maps (objective on a batch, state, parameters)
 * to (updates, new state). Neither modifies its arguments; the caller adds the updates
 * ({@link Optimizers#applyUpdates}) and owns every tensor returned.
 *
 * <p>First-order optimizers implement {@link GradientOptimizer}, whose update needs only the gradient. Model-aware
 * optimizers such as {@link ProximalNtk} use the {@link Objective}'s linearization: the same interface serves
 * both, and the training loop does not know which kind it runs.
 *
 * @param <S> the state's type, an immutable record
 */
public interface Optimizer<S extends OptimizerState> {

    /** @return the optimizer's registered name ({@code "adam"}, {@code "proximal-ntk"}) */
    String name();

    /**
     * @param params the initial parameters (not modified)
     * @return the initial state
     */
    S init(Params params);

    /**
     * One step.
     *
     * @param objective the loss on the current batch (queried, not modified)
     * @param state the current state (not modified)
     * @param params the current parameters (not modified)
     * @return the updates and the new state
     */
    Update<S> update(Objective objective, S state, Params params);

    /**
     * Rebuilds a state saved in a checkpoint.
     *
     * @param scalars the saved {@link OptimizerState#scalars()} (not modified)
     * @param tensors the saved {@link OptimizerState#tensors()}, already on the backend (taken over)
     * @param params the parameters the state belongs to, giving names and shapes (not modified)
     * @return the state
     * @throws IllegalArgumentException if the numbers or tensors do not fit this optimizer
     */
    S restore(double[] scalars, List<Tensor> tensors, Params params);
}
