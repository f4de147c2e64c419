package org.ntk4j.train;

import java.util.Objects;
import java.util.function.IntFunction;
import org.ntk4j.nn.layers.Layer;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Shape;

/**
 * Any layered model, its root layer made for the output width the data asks for:
 * {@code new LayerArchitecture("cnn", o -> Layers.serial(Layers.conv(8, 3, 3), Layers.relu(),
 * Layers.globalAvgPool(), Layers.dense(o)))}. Immutable.
 */
public final class LayerArchitecture implements Architecture {

    private final String description;
    private final IntFunction<Layer> root;

    /**
     * @param description a one-line description for reports (the model spec, for instance)
     * @param root makes the root layer for an output width; the model's output must then have that many values
     */
    public LayerArchitecture(String description, IntFunction<Layer> root) {
        this.description = Objects.requireNonNull(description, "description");
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * @param input the shape of one input sample
     * @param outputs the output width
     * @return the model
     * @throws IllegalArgumentException naming the layer that cannot take its input, or when the model's output
     *     is not {@code outputs} values
     */
    public Model model(Shape input, int outputs) {
        Model m = new Model(input, root.apply(outputs));
        if (m.outputDim() != outputs) {
            throw new IllegalArgumentException(m + " has " + m.outputShape() + " outputs per sample; the data has "
                    + outputs + " classes");
        }
        return m;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
