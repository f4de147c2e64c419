package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * One layer of a model, in the spirit of neural-tangents' {@code stax}: it knows its output shape for an input
 * shape, declares its parameters, and runs forward, keeping what the backward pass needs. A layer holds no
 * parameter values, so one layer serves any number of parameter sets and backends. Implementations are
 * immutable.
 *
 * <p>Batches are N × (sample size) backend tensors, one sample per row, each row in the row-major order of the
 * sample's {@link Shape}. Samples never mix: every layer acts on each row on its own (no batch statistics).
 *
 * <p>{@link #kernel} is the layer's infinite-width map: the NNGP and NTK covariances of its inputs to those of
 * its outputs, in NTK parameterization as the widths (channels) grow without bound.
 */
public interface Layer {

    /**
     * @param input the shape of one input sample
     * @return the shape of one output sample
     * @throws IllegalArgumentException naming the layer when it cannot take that input
     */
    Shape outputShape(Shape input);

    /**
     * @param input the shape of one input sample
     * @return the parameters, in the order {@link #forward} takes them; empty for a layer without parameters
     * @throws IllegalArgumentException naming the layer when it cannot take that input
     */
    List<ParamSpec> parameters(Shape input);

    /**
     * Runs the layer forward on a batch.
     *
     * @param backend the backend of {@code x} and the parameters
     * @param params the parameter tensors, in the order and 2-D shapes of {@link #parameters} (not modified)
     * @param x N × input.size() inputs, one sample per row (not modified; the trace may read it until closed)
     * @param input the shape of one input sample
     * @return the trace: the output and what the backward pass needs; close it when done
     */
    LayerTrace forward(Backend backend, List<Tensor> params, Tensor x, Shape input);

    /**
     * The infinite-width kernel map: the NNGP and NTK of the layer's outputs from those of its inputs (see
     * {@link KernelValue}).
     *
     * @param in the kernel of the inputs (neither modified nor closed)
     * @return a new value, the kernel of the outputs; the caller closes it
     * @throws IllegalArgumentException naming the layer when it cannot map that value (a shape it cannot take,
     *                                  or a layout that keeps too little)
     */
    KernelValue kernel(KernelValue in);

    /**
     * @return whether the kernel map of this layer, or of one inside it, needs every pair of positions
     *         ({@link KernelValue.Layout#FULL}) rather than only the pairs of equal positions; false unless overridden
     */
    default boolean kernelNeedsFullSpatial() {
        return false;
    }

    /** @return a short description, e.g. {@code dense(10)} */
    @Override
    String toString();
}
