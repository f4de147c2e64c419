package org.ntk4j.nn;

import java.util.List;
import org.ntk4j.tensor.Tensor;

/**
 * What a forward pass of an {@link Mlp} keeps for the backward pass and the kernels: every layer's input
 * x^l (N×d_l, x^0 the network input), pre-activation z^l (N×d_{l+1}) and, for the hidden layers, the
 * activation derivative φ'(z^l); the output is z^{L−1}. All of them are made by the forward pass, so they
 * belong to the scope that was innermost then, whatever scope is open when they are later read.
 *
 * <p>Closing the trace closes every tensor it made; x^0 belongs to the caller and stays open.
 */
public final class ForwardTrace implements AutoCloseable {

    private final Mlp mlp;
    private final List<Tensor> inputs;
    private final List<Tensor> preactivations;
    private final List<Tensor> derivatives;
    private boolean closed;

    ForwardTrace(Mlp mlp, List<Tensor> inputs, List<Tensor> preactivations, List<Tensor> derivatives) {
        this.mlp = mlp;
        this.inputs = List.copyOf(inputs);
        this.preactivations = List.copyOf(preactivations);
        this.derivatives = List.copyOf(derivatives);
    }

    /** @return the network that made this trace */
    public Mlp mlp() {
        return mlp;
    }

    /** @return N, the number of samples */
    public int rows() {
        return inputs.get(0).rows();
    }

    /**
     * @param layer l in [0, L)
     * @return x^l, the input of layer l (owned by the trace; x^0 by the caller)
     */
    public Tensor input(int layer) {
        check();
        return inputs.get(layer);
    }

    /**
     * @param layer l in [0, L)
     * @return z^l, the pre-activation of layer l (owned by the trace)
     */
    public Tensor preactivation(int layer) {
        check();
        return preactivations.get(layer);
    }

    /** @return z^{L−1}, the N×dL network output (owned by the trace) */
    public Tensor output() {
        return preactivation(preactivations.size() - 1);
    }

    /**
     * @param layer l in [0, L−1): a hidden layer, whose output goes through the activation
     * @return φ'(z^l), made by the forward pass (owned by the trace)
     */
    public Tensor derivative(int layer) {
        check();
        return derivatives.get(layer);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the forward trace is closed");
        }
    }

    /** Closes the tensors the trace made (not x^0). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 1; i < inputs.size(); i++) {
            inputs.get(i).close();
        }
        preactivations.forEach(Tensor::close);
        derivatives.forEach(Tensor::close);
    }
}
