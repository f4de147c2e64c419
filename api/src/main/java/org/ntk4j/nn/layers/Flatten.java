package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * Flattens an image (H, W, C) to the vector (H·W·C), row-major; a vector passes unchanged. Batches already store
 * samples row-major, so the values do not change, only the logical shape. No parameters.
 */
public final class Flatten implements Layer {

    @Override
    public Shape outputShape(Shape input) {
        return Shape.vector(input.size());
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        return List.of();
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        Tensor y = be.copy(x);
        return new LeafTrace(be) {
            private final Tensor out = own(y);

            @Override
            public Tensor output() {
                return out;
            }

            @Override
            Tensor inputCotangent(Tensor cot) {
                return be.copy(cot);
            }
        };
    }

    /**
     * Σ' = the mean of Σ over the pairs of equal positions (a dense layer after it divides by H·W·C), Θ' likewise;
     * a vector passes unchanged.
     */
    @Override
    public KernelValue kernel(KernelValue in) {
        Shape out = outputShape(in.shape());
        if (!in.shape().isImage()) {
            return KernelMaps.linear(in, null, 1, 0, false, out);
        }
        return KernelMaps.mean(in, false, out, toString());
    }

    @Override
    public String toString() {
        return "flatten";
    }
}
