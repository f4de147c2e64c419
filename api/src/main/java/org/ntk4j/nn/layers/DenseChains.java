package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Mlp;

/**
 * The bridge between {@link Mlp} and {@link Model}: an MLP is the model
 * {@code serial(dense, φ, dense, φ, …, dense)} on vector inputs, with the same widths, parameterization, σ's and
 * biases, and the same parameters in the same order (the model names them {@code 0/W}, {@code 0/b},
 * {@code 2/W}, …, the MLP {@code W0}, {@code b0}, {@code W1}, …). Both draw the same initial values for a seed,
 * and the structured kernel of the MLP is the exact kernel of the model.
 */
public final class DenseChains {

    private DenseChains() {
    }

    /**
     * @param mlp the network
     * @return the model {@code serial(dense, φ, …, dense)} on inputs of shape (d0)
     */
    public static Model model(Mlp mlp) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < mlp.depth(); l++) {
            if (l > 0) {
                layers.add(Layers.activation(mlp.activation()));
            }
            layers.add(Layers.dense(mlp.width(l + 1), mlp.parameterization(), mlp.sigmaW(), mlp.sigmaB(),
                    mlp.hasBias()));
        }
        return Model.of(Shape.vector(mlp.inputDim()), layers.toArray(new Layer[0]));
    }

    /**
     * Recognizes a dense chain: a root that is one dense layer, or a {@link Serial} of dense layers with one
     * activation layer between each two (the same activation everywhere), all dense layers with the same
     * parameterization, σ_w, σ_b and bias setting; on vector inputs, or on images with a {@link Flatten} first
     * (which moves no value: the MLP's input is the H·W·C row). Nested serials are not flattened.
     *
     * @param model the model
     * @return the equivalent MLP, or empty when the model is not such a chain
     */
    public static Optional<Mlp> mlp(Model model) {
        List<Layer> layers = model.root() instanceof Serial s ? s.layers() : List.of(model.root());
        if (!layers.isEmpty() && layers.get(0) instanceof Flatten && layers.size() > 1) {
            layers = layers.subList(1, layers.size());
        } else if (model.inputShape().isImage()) {
            return Optional.empty();
        }
        if (layers.size() % 2 == 0) {
            return Optional.empty();
        }
        int depth = (layers.size() + 1) / 2;
        int[] widths = new int[depth + 1];
        widths[0] = model.inputShape().size();
        Dense first = null;
        Activation activation = Activation.IDENTITY;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (i % 2 == 0) {
                if (!(layer instanceof Dense d) || first != null && !sameSettings(first, d)) {
                    return Optional.empty();
                }
                first = first == null ? d : first;
                widths[i / 2 + 1] = d.width();
            } else {
                if (!(layer instanceof ActivationLayer a) || i > 1 && !a.activation().equals(activation)) {
                    return Optional.empty();
                }
                activation = a.activation();
            }
        }
        if (!(first.sigmaW() > 0)) {
            return Optional.empty();
        }
        return Optional.of(Mlp.builder(widths).activation(activation).parameterization(first.parameterization())
                .sigmaW(first.sigmaW()).sigmaB(first.sigmaB()).bias(first.hasBias()).build());
    }

    private static boolean sameSettings(Dense a, Dense b) {
        return a.parameterization() == b.parameterization() && a.sigmaW() == b.sigmaW() && a.sigmaB() == b.sigmaB()
                && a.hasBias() == b.hasBias();
    }
}
