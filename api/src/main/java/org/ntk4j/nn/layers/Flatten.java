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

    @Override
    public String toString() {
        return "flatten";
    }
}
