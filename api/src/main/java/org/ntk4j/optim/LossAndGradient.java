package org.ntk4j.optim;

import org.ntk4j.nn.Params;
/**
 * A batch loss and its gradient with respect to the parameters.
 *
 * @param loss the mean loss over the batch
 * @param gradients ∂loss/∂θ, alike the parameters (owned by the receiver)
 */
public record LossAndGradient(double loss, Params gradients) implements AutoCloseable {

    /** Closes the gradient tensors. */
    @Override
    public void close() {
        gradients.close();
    }
}
