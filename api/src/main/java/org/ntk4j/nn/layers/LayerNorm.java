package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * Layer normalization over each sample's features, all of them (d, or H·W·C for an image), with no learned scale
 * or shift: y = (x − mean)/√(var + 1e-12), mean and (biased) variance over the sample's values. No parameters.
 * The backward pass is dx = r·(g − mean(g) − y·mean(g ⊙ y)) per sample, r = 1/√(var + 1e-12).
 */
public final class LayerNorm implements Layer {

    /** The constant added to the variance. */
    public static final double EPSILON = 1e-12;

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        return List.of();
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        int d = x.cols();
        Tensor y = be.copy(x);
        Tensor r;
        try (Tensor mean = Ops.rowSums(be, x, 1.0 / d)) {
            Ops.addColumnVector(be, -1, mean, y);
            r = be.zeros(x.rows(), 1, x.dtype());
            be.rowSumsOfSquares(y, r);
            be.affine(1.0 / d, r, EPSILON, r);
            be.sqrt(r, r);
            try (Tensor one = Ops.filled(be, x.rows(), 1, 1, x)) {
                be.divide(one, r, r);
            }
            Ops.scaleRows(be, r, y);
        }
        return new LeafTrace(be) {
            private final Tensor out = own(y);
            private final Tensor inv = own(r);

            @Override
            public Tensor output() {
                return out;
            }

            @Override
            Tensor inputCotangent(Tensor g) {
                Tensor dx = be.copy(g);
                try (Tensor gy = be.zeros(g.rows(), d, g.dtype())) {
                    be.hadamard(g, out, gy);
                    try (Tensor meanG = Ops.rowSums(be, g, 1.0 / d); Tensor meanGy = Ops.rowSums(be, gy, 1.0 / d);
                         Tensor yMeanGy = be.copy(out)) {
                        Ops.addColumnVector(be, -1, meanG, dx);
                        Ops.scaleRows(be, meanGy, yMeanGy);
                        be.axpby(1, dx, -1, yMeanGy, dx);
                    }
                }
                Ops.scaleRows(be, inv, dx);
                return dx;
            }
        };
    }

    /**
     * Σ' = Σ/√((m1 + ε)(m2 + ε)), Θ' likewise, m the mean over positions of a sample's variances: for centred
     * inputs the mean over features tends to 0 and the variance to m. Inputs that are not centred (after ReLU,
     * say) are refused, as neural-tangents refuses them.
     */
    @Override
    public KernelValue kernel(KernelValue in) {
        return KernelMaps.normalize(in, EPSILON);
    }

    @Override
    public String toString() {
        return "layerNorm";
    }
}
