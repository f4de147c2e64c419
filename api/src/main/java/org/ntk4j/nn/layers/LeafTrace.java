package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * The trace of a layer without inner layers: it implements both backward passes from three per-layer pieces,
 * the input cotangent, the summed parameter cotangents and the per-sample parameter Jacobian rows.
 */
abstract class LeafTrace implements LayerTrace {

    /** The backend of the trace. */
    protected final Backend be;
    private final List<Tensor> owned = new ArrayList<>();

    LeafTrace(Backend be) {
        this.be = be;
    }

    /**
     * @param t a tensor the trace made
     * @return {@code t}, now closed with the trace
     */
    protected final Tensor own(Tensor t) {
        owned.add(t);
        return t;
    }

    /**
     * @param cotangent N × output-size (not modified)
     * @return a new N × input-size input cotangent
     */
    abstract Tensor inputCotangent(Tensor cotangent);

    /**
     * @param param the parameter's index
     * @param cotangent N × output-size (not modified)
     * @return the parameter's cotangent summed over samples, a new tensor in its 2-D shape
     */
    Tensor parameterCotangent(int param, Tensor cotangent) {
        throw new IndexOutOfBoundsException("parameter " + param + " of a layer without parameters");
    }

    /**
     * @param param the parameter's index
     * @param cotangent N × output-size (not modified)
     * @return new N × size per-sample Jacobian rows
     */
    Tensor parameterJacobian(int param, Tensor cotangent) {
        throw new IndexOutOfBoundsException("parameter " + param + " of a layer without parameters");
    }

    /**
     * Hands parameter {@code param}'s per-sample Jacobian rows to the sink; a layer whose rows factor as a row-wise
     * Kronecker product overrides this with {@link JacobianSink#acceptOuter}.
     *
     * @param param the parameter's index
     * @param cotangent N × output-size (not modified)
     * @param sink the receiver
     */
    void emitJacobian(int param, Tensor cotangent, JacobianSink sink) {
        sink.accept(param, parameterJacobian(param, cotangent));
    }

    /** @return how many parameters the layer has */
    int parameterCount() {
        return 0;
    }

    @Override
    public Cotangents vjp(Tensor cotangent) {
        List<Tensor> grads = new ArrayList<>();
        for (int k = 0; k < parameterCount(); k++) {
            grads.add(parameterCotangent(k, cotangent));
        }
        return new Cotangents(inputCotangent(cotangent), grads);
    }

    @Override
    public Tensor backward(Tensor cotangent, boolean needInput, JacobianSink sink) {
        for (int k = 0; k < parameterCount(); k++) {
            emitJacobian(k, cotangent, sink);
        }
        return needInput ? inputCotangent(cotangent) : null;
    }

    @Override
    public void close() {
        owned.forEach(Tensor::close);
    }
}
