package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Gaussians;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * A model: a layer (usually a {@link Serial}) applied to inputs of a fixed sample shape. It holds no parameter
 * values; {@link #init} draws them and {@link #forward} takes them. Parameters are named as the root layer names
 * them ({@code <layer index>/<name>}, e.g. {@code 0/W}) and live in {@link ModelParams} (host) or
 * {@link Params} (on a backend, in the order of {@link #parameters()}). Immutable.
 */
public final class Model {

    private final Shape input;
    private final Layer root;
    private final Shape output;
    private final List<ParamSpec> parameters;
    /** The pair-by-pair plan of the kernel's spatial part, or {@code null} for the layer-by-layer maps. */
    private final PairKernels pairs;

    /**
     * @param input the shape of one input sample
     * @param root the layer
     * @throws IllegalArgumentException naming the first layer that cannot take its input
     */
    public Model(Shape input, Layer root) {
        this.input = Objects.requireNonNull(input, "input");
        this.root = Objects.requireNonNull(root, "root");
        this.output = root.outputShape(input);
        this.parameters = List.copyOf(root.parameters(input));
        this.pairs = PairKernels.plan(input, root);
    }

    /**
     * @param input the shape of one input sample
     * @param layers the layers, applied in order (not modified)
     * @return the model of {@code serial(layers)}
     */
    public static Model of(Shape input, Layer... layers) {
        return new Model(input, Layers.serial(layers));
    }

    /** @return the shape of one input sample */
    public Shape inputShape() {
        return input;
    }

    /** @return the shape of one output sample */
    public Shape outputShape() {
        return output;
    }

    /** @return O, the number of output values per sample */
    public int outputDim() {
        return output.size();
    }

    /** @return the root layer */
    public Layer root() {
        return root;
    }

    /** @return the parameters in order, unmodifiable */
    public List<ParamSpec> parameters() {
        return parameters;
    }

    /** @return the parameter names in order */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.name()));
        return names;
    }

    /** @return the total number of scalar parameters */
    public long parameterCount() {
        long p = 0;
        for (ParamSpec s : parameters) {
            p += s.size();
        }
        return p;
    }

    /**
     * Draws the initial parameters on the host, the same on every backend: one {@link SplittableRandom} seeded
     * with {@code seed}, the parameters in order, each row-major, as initStd·N(0, 1) by the Box–Muller transform
     * (in pairs within a parameter). A chain of dense layers and activations draws exactly what
     * {@link org.ntk4j.nn.Mlp#init} draws for the same widths, settings and seed.
     *
     * @param seed the seed
     * @return new parameters
     */
    public ModelParams init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> values = new ArrayList<>();
        for (ParamSpec p : parameters) {
            values.add(Gaussians.draw(rng, p.size(), p.initStd()));
        }
        return new ModelParams(this, values);
    }

    /**
     * Runs the model forward, keeping what the backward passes need.
     *
     * @param params the parameters, on {@code x}'s backend (not modified; must stay open while the trace is used)
     * @param x N × input-size inputs, one sample per row (not modified; read until the trace is closed)
     * @return the trace; close it when done
     */
    public LayerTrace forward(Params params, Tensor x) {
        checkParams(params);
        return forward(params.backend(), params.tensors(), x);
    }

    /**
     * Runs the model forward with parameters given as a list, which may be empty for a model without parameters
     * (a {@link Params} cannot be).
     *
     * @param backend the backend of {@code x} and the parameters
     * @param params the parameter tensors in the order and 2-D shapes of {@link #parameters()} (not modified;
     *               must stay open while the trace is used)
     * @param x N × input-size inputs, one sample per row (not modified; read until the trace is closed)
     * @return the trace; close it when done
     */
    public LayerTrace forward(Backend backend, List<Tensor> params, Tensor x) {
        if (x.cols() != input.size()) {
            throw new IllegalArgumentException("forward: input has " + x.cols() + " columns (" + x.shape()
                    + "), the model expects samples of shape " + input + " = " + input.size() + " values");
        }
        checkShapes(params);
        return root.forward(backend, params, x, input);
    }

    /**
     * @param params the parameters (not modified)
     * @param x N × input-size inputs (not modified)
     * @return a new N × O tensor, the outputs
     */
    public Tensor apply(Params params, Tensor x) {
        try (LayerTrace t = forward(params, x)) {
            return params.backend().copy(t.output());
        }
    }

    /**
     * @return how much of the spatial covariance the infinite-width kernel keeps: VECTOR for vector inputs, FULL
     *         when a layer needs every pair of positions (pooling), else DIAGONAL (the pairs of equal positions);
     *         leading average pools computed pair by pair act on the pixels and need no FULL of their own
     */
    public KernelValue.Layout kernelLayout() {
        if (!input.isImage()) {
            return KernelValue.Layout.VECTOR;
        }
        if (pairs != null) {
            return pairs.layout();
        }
        return root.kernelNeedsFullSpatial() ? KernelValue.Layout.FULL : KernelValue.Layout.DIAGONAL;
    }

    /**
     * @return R, the most position pairs the kernel keeps per pair of samples: 1 for vectors, P or P² of the input
     *         for the layer-by-layer maps, and of the pooled input when leading average pools act on the pixels
     */
    public long kernelPositionPairs() {
        if (pairs != null) {
            return pairs.positionPairs();
        }
        return KernelValue.rowsOf(input, kernelLayout());
    }

    /**
     * The memory one kernel block of n1 × n2 samples needs at its peak. For the layer-by-layer maps: about
     * {@value #KERNEL_LIVE_TENSORS} tensors of R × n1·n2 values (R = 1, P or P² position pairs of the input, the
     * largest anywhere in a model of the shipped layers), 8 bytes each, plus the host sides, 2·R·(n1 + n2) values.
     * For a model computed pair by pair (leading average pools, conv and activation layers, then flatten or
     * globalAvgPool): {@value #KERNEL_LIVE_TENSORS} n1 × n2 tensors, each sample's variances and a few arrays of R
     * values per thread.
     *
     * @param n1 the samples of one block
     * @param n2 the samples of the other
     * @return the estimate in bytes
     */
    public long kernelBytes(int n1, int n2) {
        if (pairs != null) {
            return pairs.bytes(n1, n2);
        }
        long r = KernelValue.rowsOf(input, kernelLayout());
        return 8L * (KERNEL_LIVE_TENSORS * r * n1 * n2 + 2 * r * (n1 + (long) n2));
    }

    /** The tensors of a block that {@link #kernelBytes} counts as live at once. */
    public static final int KERNEL_LIVE_TENSORS = 8;

    /**
     * The infinite-width NNGP and NTK of two blocks of inputs: the input kernel in {@link #kernelLayout()}, mapped
     * through every layer's {@link Layer#kernel}. A model of leading average pools, conv and activation layers read
     * out by flatten or globalAvgPool carries each pair of samples through those layers alone, in arrays of its
     * position pairs, and maps only the read-out kernels through the layers after it: the same maps, equal up to
     * the order of the sums (DESIGN §12, "Pair by pair").
     *
     * @param backend the backend of the inputs
     * @param x1 n1 × input-size inputs (not modified)
     * @param x2 n2 × input-size inputs, or {@code null} for x1 itself (not modified)
     * @return a new value of the model's output shape; the caller closes it
     */
    public KernelValue kernel(Backend backend, Tensor x1, Tensor x2) {
        if (pairs != null) {
            KernelValue.requireInputs(x1, x2, input);
            return pairs.kernel(backend, x1, x2);
        }
        try (KernelValue in = KernelValue.inputs(backend, x1, x2, input, kernelLayout())) {
            return root.kernel(in);
        }
    }

    /**
     * @param params parameters (not modified)
     * @throws IllegalArgumentException naming the first tensor whose count or shape is wrong
     */
    public void checkParams(Params params) {
        checkShapes(params.tensors());
    }

    private void checkShapes(List<Tensor> params) {
        if (params.size() != parameters.size()) {
            throw new IllegalArgumentException("parameters have " + params.size() + " tensors, " + this + " needs "
                    + parameters.size() + " " + parameterNames());
        }
        for (int i = 0; i < parameters.size(); i++) {
            ParamSpec s = parameters.get(i);
            Tensor t = params.get(i);
            if (t.rows() != s.rows() || t.cols() != s.cols()) {
                throw new IllegalArgumentException("parameter " + s.name() + " is " + t.shape() + ", expected "
                        + s.rows() + "×" + s.cols());
            }
        }
    }

    /** @return e.g. {@code model[(8, 8, 1) → serial(conv(4, 3x3, SAME), relu, globalAvgPool, dense(10))]} */
    @Override
    public String toString() {
        return "model[" + input + " → " + root + "]";
    }
}
