package org.ntk4j.nn.layers;

import java.util.List;
import java.util.Objects;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * An elementwise nonlinearity φ (any {@link Activation}) on inputs of any shape: y = φ(x). No parameters; the
 * forward pass keeps φ'(x) for the backward pass.
 */
public final class ActivationLayer implements Layer {

    private final Activation activation;

    /**
     * @param activation φ
     */
    public ActivationLayer(Activation activation) {
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /** @return φ */
    public Activation activation() {
        return activation;
    }

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
        Tensor y = be.zeros(x.rows(), x.cols(), x.dtype());
        ActivationPaths.map(be, activation, x, y);
        Tensor d = be.zeros(x.rows(), x.cols(), x.dtype());
        ActivationPaths.mapDerivative(be, activation, x, d);
        return new LeafTrace(be) {
            private final Tensor out = own(y);
            private final Tensor slope = own(d);

            @Override
            public Tensor output() {
                return out;
            }

            @Override
            Tensor inputCotangent(Tensor cot) {
                Tensor dx = be.zeros(cot.rows(), cot.cols(), cot.dtype());
                be.hadamard(cot, slope, dx);
                return dx;
            }
        };
    }

    /** Σ' = E[φ(u)φ(v)], Θ' = Θ ⊙ E[φ'(u)φ'(v)] by {@link Backend#dualMap}. */
    @Override
    public KernelValue kernel(KernelValue in) {
        return KernelMaps.dual(in, activation);
    }

    @Override
    public String toString() {
        return activation.name();
    }
}
