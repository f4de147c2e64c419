package org.ntk4j.optim;

import java.util.Objects;
import org.ntk4j.nn.Params;

/**
 * The result of one optimizer step: the parameter updates (to be added, {@link Optimizers#applyUpdates}) and
 * the new state. Both are new objects; the caller owns and eventually closes them.
 *
 * @param updates the increments, alike the parameters
 * @param state the optimizer's state after the step
 * @param <S> the state's type
 */
public record Update<S extends OptimizerState>(Params updates, S state) {

    /**
     * @param updates the increments
     * @param state the new state
     */
    public Update {
        Objects.requireNonNull(updates, "updates");
        Objects.requireNonNull(state, "state");
    }
}
