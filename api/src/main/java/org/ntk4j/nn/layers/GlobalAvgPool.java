package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * Global average pooling: an image (H, W, C) becomes the vector (C) of its channel means over all H·W positions.
 * No parameters.
 */
public final class GlobalAvgPool implements Layer {

    @Override
    public Shape outputShape(Shape input) {
        return Shape.vector(input.requireImage(toString()).channels());
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        input.requireImage(toString());
        return List.of();
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        int c = input.requireImage(toString()).channels();
        int positions = input.height() * input.width();
        Tensor y = Ops.blockSum(be, x, c);
        be.scale(1.0 / positions, y, y);
        return new LeafTrace(be) {
            private final Tensor out = own(y);

            @Override
            public Tensor output() {
                return out;
            }

            @Override
            Tensor inputCotangent(Tensor cot) {
                Tensor dx = Ops.tileCols(be, cot, positions);
                be.scale(1.0 / positions, dx, dx);
                return dx;
            }
        };
    }

    /** Σ' = the mean of Σ over every pair of positions, Θ' likewise. Needs the FULL spatial covariance. */
    @Override
    public KernelValue kernel(KernelValue in) {
        Shape out = outputShape(in.shape());
        return KernelMaps.mean(in, true, out, toString());
    }

    @Override
    public boolean kernelNeedsFullSpatial() {
        return true;
    }

    @Override
    public String toString() {
        return "globalAvgPool";
    }
}
