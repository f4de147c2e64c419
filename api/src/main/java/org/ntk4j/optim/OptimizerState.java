package org.ntk4j.optim;

import java.util.List;
import org.ntk4j.tensor.Tensor;

/**
 * An optimizer's state between steps: an immutable record (its tensors are never modified once made). A
 * state is saved in checkpoints as its {@link #scalars()} and {@link #tensors()}, and rebuilt with
 * {@link Optimizer#restore(double[], List, org.ntk4j.nn.Params)}.
 */
public interface OptimizerState extends AutoCloseable {

    /** @return the state's numbers (step count, damping, …), in a fixed order the optimizer defines */
    double[] scalars();

    /** @return the state's tensors (moment estimates, …), in a fixed order; empty when it has none */
    List<Tensor> tensors();

    /** @return the damping λ the optimizer used last, for the damping gauge; NaN when it has none */
    default double damping() {
        return Double.NaN;
    }

    /** Closes the state's tensors. Idempotent. */
    @Override
    default void close() {
        for (Tensor t : tensors()) {
            t.close();
        }
    }
}
