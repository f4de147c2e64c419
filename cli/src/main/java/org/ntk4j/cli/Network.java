package org.ntk4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ntk4j.kernel.ModelNtk;
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.DenseChains;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.train.Architecture;

/**
 * The network of a command: the MLP of {@code --hidden}/{@code --activation} (parameters {@code W0}, …) or the
 * model of {@code --model} (parameters {@code 0/W}, …), with the input shape and output width of the data.
 *
 * @param mlp the MLP, or {@code null} for a {@code --model}
 * @param model the model: the MLP's dense chain, or the {@code --model}
 * @param architecture what a training configuration holds
 */
record Network(Mlp mlp, Model model, Architecture architecture) {

    /**
     * @param mlp an MLP
     * @param architecture its architecture
     * @return the network
     */
    static Network of(Mlp mlp, Architecture architecture) {
        return new Network(mlp, DenseChains.model(mlp), architecture);
    }

    /** @return whether this is the MLP shorthand */
    boolean isMlp() {
        return mlp != null;
    }

    /** @return the number of scalar parameters */
    long parameterCount() {
        return model.parameterCount();
    }

    /**
     * @param seed the initialization seed
     * @return fresh parameters
     */
    HostParams init(long seed) {
        return isMlp() ? mlp.init(seed) : model.init(seed);
    }

    /**
     * @param file a parameters {@code .npz} or a training checkpoint
     * @return the parameters
     * @throws IOException if reading fails or an array is missing, misshapen or not finite
     */
    HostParams load(Path file) throws IOException {
        return isMlp() ? ParamsFiles.load(file, mlp) : ParamsFiles.load(file, model);
    }

    /**
     * @param params the parameters (not modified)
     * @param x N × input-size inputs (not modified)
     * @return a new N×O tensor of outputs
     */
    Tensor apply(Params params, Tensor x) {
        return isMlp() ? mlp.apply(params, x) : model.apply(params, x);
    }

    /** @return the exact empirical NTK: structured for the MLP and dense chains, generic otherwise */
    ModelNtk ntk() {
        return new ModelNtk(model);
    }

    @Override
    public String toString() {
        return isMlp() ? mlp.toString() : model.toString();
    }
}
