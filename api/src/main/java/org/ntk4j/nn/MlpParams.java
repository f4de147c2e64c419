package org.ntk4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Host-side parameters of an {@link Mlp}: per layer l the weights W^l (d_l×d_{l+1}, row-major) and, with
 * biases, b^l (1×d_{l+1}). Immutable: the arrays are copied in and out.
 */
public final class MlpParams {

    private final Mlp mlp;
    private final double[][] weights;
    private final double[][] biases;

    /**
     * @param mlp the architecture
     * @param weights per layer the row-major weights, length d_l·d_{l+1} (not modified, copied)
     * @param biases per layer the biases, length d_{l+1}; {@code null} when the network has none (not modified, copied)
     * @throws IllegalArgumentException naming the first array of the wrong length
     */
    public MlpParams(Mlp mlp, double[][] weights, double[][] biases) {
        this.mlp = mlp;
        int depth = mlp.depth();
        if (weights.length != depth) {
            throw new IllegalArgumentException(weights.length + " weight arrays for a " + depth + "-layer network");
        }
        if (mlp.hasBias() != (biases != null)) {
            throw new IllegalArgumentException(mlp.hasBias() ? "the network has biases but none were given"
                    : "the network has no biases but biases were given");
        }
        if (biases != null && biases.length != depth) {
            throw new IllegalArgumentException(biases.length + " bias arrays for a " + depth + "-layer network");
        }
        this.weights = new double[depth][];
        this.biases = biases == null ? null : new double[depth][];
        for (int l = 0; l < depth; l++) {
            int n = mlp.width(l) * mlp.width(l + 1);
            if (weights[l].length != n) {
                throw new IllegalArgumentException("W" + l + " has " + weights[l].length + " values, expected "
                        + mlp.width(l) + "×" + mlp.width(l + 1) + " = " + n);
            }
            this.weights[l] = weights[l].clone();
            if (biases != null) {
                if (biases[l].length != mlp.width(l + 1)) {
                    throw new IllegalArgumentException("b" + l + " has " + biases[l].length + " values, expected "
                            + mlp.width(l + 1));
                }
                this.biases[l] = biases[l].clone();
            }
        }
    }

    /** @return the architecture */
    public Mlp mlp() {
        return mlp;
    }

    /**
     * @param layer l in [0, L)
     * @return a copy of W^l, row-major d_l×d_{l+1}
     */
    public double[] weight(int layer) {
        return weights[layer].clone();
    }

    /**
     * @param layer l in [0, L)
     * @return a copy of b^l
     * @throws IllegalStateException when the network has no biases
     */
    public double[] bias(int layer) {
        if (biases == null) {
            throw new IllegalStateException("this network has no biases");
        }
        return biases[layer].clone();
    }

    /**
     * Copies the parameters to a backend, in the order W0, b0, W1, b1, … with those names.
     *
     * @param backend the backend
     * @param dtype the element type
     * @return new parameters on the backend (owned by the caller or the current scope)
     */
    public Params upload(Backend backend, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < mlp.depth(); l++) {
            out.add(backend.fromHost(weights[l], mlp.width(l), mlp.width(l + 1), dtype));
            if (biases != null) {
                out.add(backend.fromHost(biases[l], 1, mlp.width(l + 1), dtype));
            }
        }
        return new Params(backend, mlp.parameterNames(), out);
    }

    /**
     * Copies parameters from a backend.
     *
     * @param mlp the architecture they belong to
     * @param params parameters on a backend in {@code mlp}'s layout (not modified)
     * @return new host parameters
     */
    public static MlpParams download(Mlp mlp, Params params) {
        mlp.checkParams(params);
        Backend be = params.backend();
        double[][] w = new double[mlp.depth()][];
        double[][] b = mlp.hasBias() ? new double[mlp.depth()][] : null;
        for (int l = 0; l < mlp.depth(); l++) {
            w[l] = be.toHost(params.tensor(mlp.weightIndex(l)));
            if (b != null) {
                b[l] = be.toHost(params.tensor(mlp.biasIndex(l)));
            }
        }
        return new MlpParams(mlp, w, b);
    }

    /** @return all values in the order W0, b0, W1, b1, …, each row-major */
    public double[] flatten() {
        double[] out = new double[Math.toIntExact(mlp.parameterCount())];
        int off = 0;
        for (int l = 0; l < mlp.depth(); l++) {
            System.arraycopy(weights[l], 0, out, off, weights[l].length);
            off += weights[l].length;
            if (biases != null) {
                System.arraycopy(biases[l], 0, out, off, biases[l].length);
                off += biases[l].length;
            }
        }
        return out;
    }

    /**
     * The inverse of {@link #flatten()}.
     *
     * @param mlp the architecture
     * @param flat values in the order W0, b0, W1, b1, … (not modified)
     * @return new host parameters
     */
    public static MlpParams unflatten(Mlp mlp, double[] flat) {
        if (flat.length != mlp.parameterCount()) {
            throw new IllegalArgumentException("flat parameter vector has " + flat.length + " values, the network has "
                    + mlp.parameterCount());
        }
        double[][] w = new double[mlp.depth()][];
        double[][] b = mlp.hasBias() ? new double[mlp.depth()][] : null;
        int off = 0;
        for (int l = 0; l < mlp.depth(); l++) {
            int n = mlp.width(l) * mlp.width(l + 1);
            w[l] = java.util.Arrays.copyOfRange(flat, off, off + n);
            off += n;
            if (b != null) {
                b[l] = java.util.Arrays.copyOfRange(flat, off, off + mlp.width(l + 1));
                off += mlp.width(l + 1);
            }
        }
        return new MlpParams(mlp, w, b);
    }
}
