package org.ntk4j.optim;

import org.ntk4j.nn.Params;
/**
 * A first-order optimizer: its update is a pure function of the gradient, the state and the parameters,
 * exactly optax's {@code GradientTransformation.update}.
 *
 * @param <S> the state's type, an immutable record
 */
public interface GradientOptimizer<S extends OptimizerState> extends Optimizer<S> {

    /**
     * @param gradients ∂loss/∂θ at {@code params} (not modified)
     * @param state the current state (not modified)
     * @param params the current parameters (not modified)
     * @return the updates and the new state
     */
    Update<S> update(Params gradients, S state, Params params);

    /**
     * Computes the gradient on the batch (forward and backward phases) and calls
     * {@link #update(Params, OptimizerState, Params)} in the {@link Phase#UPDATE} phase.
     *
     * @param objective the loss on the current batch
     * @param state the current state (not modified)
     * @param params the current parameters (not modified)
     * @return the updates and the new state
     */
    @Override
    default Update<S> update(Objective objective, S state, Params params) {
        try (LossAndGradient lg = objective.lossAndGradient(params)) {
            return objective.timed(Phase.UPDATE, () -> update(lg.gradients(), state, params));
        }
    }
}
