package org.ntk4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * An immutable multilayer perceptron architecture: dense layers of widths d0 → d1 → … → dL with one
 * {@link Activation} after every layer but the last, NTK or standard {@link Parameterization}, weight and bias
 * scales σ_w and σ_b, and biases on or off.
 *
 * <p>Layer l (0 ≤ l &lt; L) maps its input x^l (N×d_l, one row per sample) to the pre-activation
 * z^l = s_w(l)·x^l·W^l + s_b(l)·1·b^l with W^l of shape d_l×d_{l+1} and b^l of shape 1×d_{l+1};
 * x^{l+1} = φ(z^l), and the network's output is z^{L−1}. The scales are {@link #weightScale(int)} and
 * {@link #biasScale()}. Parameters live in {@link MlpParams} (host) or {@link Params} (on a backend) in the
 * order W0, b0, W1, b1, … (no b entries without biases).
 *
 * <p>The network itself holds no parameters; {@link #forward}, {@link #vjp} and {@link #backpropagate} take
 * them as arguments, so one architecture serves any number of parameter sets and backends.
 */
public final class Mlp {

    private final int[] widths;
    private final Activation activation;
    private final Parameterization parameterization;
    private final double sigmaW;
    private final double sigmaB;
    private final boolean bias;

    private Mlp(Builder b) {
        this.widths = b.widths.clone();
        this.activation = b.activation;
        this.parameterization = b.parameterization;
        this.sigmaW = b.sigmaW;
        this.sigmaB = b.sigmaB;
        this.bias = b.bias;
    }

    /**
     * Starts a builder with defaults ReLU, NTK parameterization, σ_w = 1, σ_b = 0.1 (a small bias scale,
     * neural-tangents' common choice), biases on.
     *
     * @param widths d0, d1, …, dL: the input width, the hidden widths and the output width; at least two
     *               values, all ≥ 1 (not modified, copied)
     * @return a new builder
     */
    public static Builder builder(int... widths) {
        return new Builder(widths);
    }

    /** @return a builder initialized with this network's settings, to derive a variant */
    public Builder toBuilder() {
        return new Builder(widths).activation(activation).parameterization(parameterization)
                .sigmaW(sigmaW).sigmaB(sigmaB).bias(bias);
    }

    /** @return the number of dense layers L */
    public int depth() {
        return widths.length - 1;
    }

    /** @return a copy of the widths d0..dL */
    public int[] widths() {
        return widths.clone();
    }

    /**
     * @param i an index in [0, L]
     * @return d_i
     */
    public int width(int i) {
        return widths[i];
    }

    /** @return d0 */
    public int inputDim() {
        return widths[0];
    }

    /** @return dL */
    public int outputDim() {
        return widths[widths.length - 1];
    }

    /** @return the nonlinearity between layers */
    public Activation activation() {
        return activation;
    }

    /** @return the parameterization */
    public Parameterization parameterization() {
        return parameterization;
    }

    /** @return σ_w */
    public double sigmaW() {
        return sigmaW;
    }

    /** @return σ_b */
    public double sigmaB() {
        return sigmaB;
    }

    /** @return whether the layers have biases */
    public boolean hasBias() {
        return bias;
    }

    /**
     * @param layer l in [0, L)
     * @return s_w(l): σ_w/√d_l in NTK parameterization, 1 in standard
     */
    public double weightScale(int layer) {
        checkLayer(layer);
        return parameterization == Parameterization.NTK ? sigmaW / Math.sqrt(widths[layer]) : 1;
    }

    /** @return s_b: σ_b in NTK parameterization, 1 in standard (whether or not there are biases) */
    public double biasScale() {
        return parameterization == Parameterization.NTK ? sigmaB : 1;
    }

    /** @return the number of parameter tensors: L, or 2L with biases */
    public int tensorCount() {
        return bias ? 2 * depth() : depth();
    }

    /** @return the total number of scalar parameters */
    public long parameterCount() {
        long p = 0;
        for (int l = 0; l < depth(); l++) {
            p += (long) widths[l] * widths[l + 1] + (bias ? widths[l + 1] : 0);
        }
        return p;
    }

    /** @return the parameter names in order: W0, b0, W1, b1, … (no b without biases) */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < depth(); l++) {
            names.add("W" + l);
            if (bias) {
                names.add("b" + l);
            }
        }
        return names;
    }

    /**
     * @param layer l in [0, L)
     * @return the index of W^l in the parameter list
     */
    public int weightIndex(int layer) {
        checkLayer(layer);
        return bias ? 2 * layer : layer;
    }

    /**
     * @param layer l in [0, L)
     * @return the index of b^l in the parameter list
     * @throws IllegalStateException when the network has no biases
     */
    public int biasIndex(int layer) {
        checkLayer(layer);
        if (!bias) {
            throw new IllegalStateException("this network has no biases");
        }
        return 2 * layer + 1;
    }

    /**
     * Draws the initial parameters on the host, so that every backend starts from identical values: NTK
     * parameterization W, b ~ N(0, 1); standard W ~ N(0, σ_w²/d_l), b ~ N(0, σ_b²). Values are drawn layer by
     * layer, W before b, row-major, from one {@link SplittableRandom} seeded with {@code seed}.
     *
     * @param seed the seed
     * @return new parameters
     */
    public MlpParams init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] w = new double[depth()][];
        double[][] b = bias ? new double[depth()][] : null;
        boolean ntk = parameterization == Parameterization.NTK;
        for (int l = 0; l < depth(); l++) {
            double sw = ntk ? 1 : sigmaW / Math.sqrt(widths[l]);
            w[l] = Gaussians.draw(rng, widths[l] * widths[l + 1], sw);
            if (bias) {
                b[l] = Gaussians.draw(rng, widths[l + 1], ntk ? 1 : sigmaB);
            }
        }
        return new MlpParams(this, w, b);
    }

    /**
     * Runs the network forward and keeps every layer's input, pre-activation and (hidden layers) activation
     * derivative φ'(z^l), all made now, in the scope innermost at this call.
     *
     * @param params the parameters, on {@code x}'s backend (not modified)
     * @param x N×d0 inputs, one row per sample (not modified; the trace refers to it as x^0 but does not close it)
     * @return the trace; close it (or its scope) when done
     */
    public ForwardTrace forward(Params params, Tensor x) {
        checkInput(params, x);
        Backend be = params.backend();
        List<Tensor> inputs = new ArrayList<>();
        List<Tensor> pre = new ArrayList<>();
        List<Tensor> derivs = new ArrayList<>();
        inputs.add(x);
        Tensor cur = x;
        for (int l = 0; l < depth(); l++) {
            Tensor z = layer(params, l, cur);
            pre.add(z);
            if (l + 1 < depth()) {
                Tensor next = be.zeros(z.rows(), z.cols(), z.dtype());
                ActivationPaths.map(be, activation, z, next);
                inputs.add(next);
                Tensor d = be.zeros(z.rows(), z.cols(), z.dtype());
                ActivationPaths.mapDerivative(be, activation, z, d);
                derivs.add(d);
                cur = next;
            }
        }
        return new ForwardTrace(this, inputs, pre, derivs);
    }

    /**
     * The network's outputs, without keeping what the backward pass would need (no trace, no derivatives).
     *
     * @param params the parameters (not modified)
     * @param x N×d0 inputs (not modified)
     * @return a new N×dL tensor, the network's outputs
     */
    public Tensor apply(Params params, Tensor x) {
        checkInput(params, x);
        Backend be = params.backend();
        Tensor cur = x;
        for (int l = 0; l < depth(); l++) {
            Tensor z = layer(params, l, cur);
            if (cur != x) {
                cur.close();
            }
            if (l + 1 < depth()) {
                ActivationPaths.map(be, activation, z, z);
            }
            cur = z;
        }
        return cur == x ? be.copy(x) : cur;
    }

    private void checkInput(Params params, Tensor x) {
        checkParams(params);
        if (x.cols() != inputDim()) {
            throw new IllegalArgumentException("forward: input has " + x.cols() + " columns (" + x.shape()
                    + "), the network expects " + inputDim());
        }
    }

    /** z^l = s_w·x·W^l + s_b·b^l, a new tensor. */
    private Tensor layer(Params params, int l, Tensor in) {
        Tensor b = bias ? params.tensor(biasIndex(l)) : null;
        return params.backend().denseForward(in, params.tensor(weightIndex(l)), b, weightScale(l), biasScale());
    }

    /**
     * Back-propagates output cotangents to every layer's pre-activation: δ^{L−1} = G and
     * δ^{l−1} = φ'(z^{l−1}) ⊙ (s_w(l)·δ^l·W^{lᵀ}). Row r of the cotangent belongs to sample {@code rows[r]}
     * of the trace, so one sample may carry several cotangents (the empirical NTK sends one one-hot cotangent
     * per output).
     *
     * @param params the parameters of the trace (not modified)
     * @param trace a forward trace (not modified)
     * @param rows for each cotangent row the sample it belongs to, or {@code null} for the identity (then G has
     *             N rows) (not modified)
     * @param cotangent M×dL output cotangents G (not modified)
     * @return new tensors δ^0 … δ^{L−1}, δ^l of shape M×d_{l+1}, index l in the list
     */
    public List<Tensor> backpropagate(Params params, ForwardTrace trace, int[] rows, Tensor cotangent) {
        checkParams(params);
        int m = rows == null ? trace.rows() : rows.length;
        if (cotangent.rows() != m || cotangent.cols() != outputDim()) {
            throw new IllegalArgumentException("backpropagate: cotangent is " + cotangent.shape() + ", expected "
                    + m + "×" + outputDim());
        }
        Backend be = params.backend();
        Tensor[] deltas = new Tensor[depth()];
        deltas[depth() - 1] = be.copy(cotangent);
        for (int l = depth() - 1; l >= 1; l--) {
            Tensor d = be.zeros(m, widths[l], cotangent.dtype());
            be.gemm(weightScale(l), deltas[l], false, params.tensor(weightIndex(l)), true, 0, d);
            if (rows == null) {
                be.hadamard(d, trace.derivative(l - 1), d);
            } else {
                try (Tensor g = be.gatherRows(trace.derivative(l - 1), rows)) {
                    be.hadamard(d, g, d);
                }
            }
            deltas[l - 1] = d;
        }
        return Arrays.asList(deltas);
    }

    /**
     * The vector–Jacobian product: the gradient of ⟨G, f(X)⟩ with respect to every parameter, where G is the
     * output cotangent (for a loss, its gradient with respect to the outputs).
     *
     * @param params the parameters of the trace (not modified)
     * @param trace the forward trace of the inputs (not modified)
     * @param cotangent N×dL output cotangent G (not modified)
     * @return new parameters-shaped gradients, in the layout of {@code params}
     */
    public Params vjp(Params params, ForwardTrace trace, Tensor cotangent) {
        Backend be = params.backend();
        List<Tensor> deltas = backpropagate(params, trace, null, cotangent);
        List<Tensor> grads = new ArrayList<>();
        try {
            for (int l = 0; l < depth(); l++) {
                Tensor gw = be.zeros(widths[l], widths[l + 1], cotangent.dtype());
                grads.add(gw);
                Tensor gb = null;
                if (bias) {
                    gb = be.zeros(1, widths[l + 1], cotangent.dtype());
                    grads.add(gb);
                }
                be.denseBackward(trace.input(l), deltas.get(l), weightScale(l), biasScale(), gw, gb);
            }
        } finally {
            deltas.forEach(Tensor::close);
        }
        return new Params(be, parameterNames(), grads);
    }

    /**
     * Checks that parameters fit this network.
     *
     * @param params the parameters (not modified)
     * @throws IllegalArgumentException naming the first tensor whose shape is wrong
     */
    public void checkParams(Params params) {
        Objects.requireNonNull(params, "params");
        if (params.size() != tensorCount()) {
            throw new IllegalArgumentException("parameters have " + params.size() + " tensors, the network needs "
                    + tensorCount() + " " + parameterNames());
        }
        for (int l = 0; l < depth(); l++) {
            Tensor w = params.tensor(weightIndex(l));
            if (w.rows() != widths[l] || w.cols() != widths[l + 1]) {
                throw new IllegalArgumentException("parameter W" + l + " is " + w.shape() + ", expected "
                        + widths[l] + "×" + widths[l + 1]);
            }
            if (bias) {
                Tensor b = params.tensor(biasIndex(l));
                if (b.rows() != 1 || b.cols() != widths[l + 1]) {
                    throw new IllegalArgumentException("parameter b" + l + " is " + b.shape() + ", expected 1×"
                            + widths[l + 1]);
                }
            }
        }
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= depth()) {
            throw new IndexOutOfBoundsException("layer " + layer + " of a " + depth() + "-layer network");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Mlp)) {
            return false;
        }
        Mlp m = (Mlp) o;
        return Arrays.equals(widths, m.widths) && activation.equals(m.activation)
                && parameterization == m.parameterization && sigmaW == m.sigmaW && sigmaB == m.sigmaB && bias == m.bias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(widths), activation, parameterization, sigmaW, sigmaB, bias);
    }

    /** @return e.g. {@code mlp[64-512-10, relu, NTK, σw=1.0, σb=0.1, bias]} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("mlp[");
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-").append(widths[i]);
        }
        return sb.append(", ").append(activation).append(", ").append(parameterization).append(", σw=").append(sigmaW)
                .append(", σb=").append(sigmaB).append(bias ? ", bias]" : ", no bias]").toString();
    }

    /** Builds an {@link Mlp}; every setter returns this builder. */
    public static final class Builder {
        private final int[] widths;
        private Activation activation = Activation.RELU;
        private Parameterization parameterization = Parameterization.NTK;
        private double sigmaW = 1;
        private double sigmaB = 0.1;
        private boolean bias = true;

        private Builder(int[] widths) {
            if (widths == null || widths.length < 2) {
                throw new IllegalArgumentException("an MLP needs at least an input and an output width, got "
                        + Arrays.toString(widths));
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("MLP widths must be ≥ 1, got " + Arrays.toString(widths));
                }
            }
            this.widths = widths.clone();
        }

        /**
         * @param f the nonlinearity between layers
         * @return this builder
         */
        public Builder activation(Activation f) {
            this.activation = Objects.requireNonNull(f, "activation");
            return this;
        }

        /**
         * @param p the parameterization
         * @return this builder
         */
        public Builder parameterization(Parameterization p) {
            this.parameterization = Objects.requireNonNull(p, "parameterization");
            return this;
        }

        /**
         * @param s σ_w, finite and &gt; 0
         * @return this builder
         */
        public Builder sigmaW(double s) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("sigmaW must be finite and > 0, got " + s);
            }
            this.sigmaW = s;
            return this;
        }

        /**
         * @param s σ_b, finite and ≥ 0
         * @return this builder
         */
        public Builder sigmaB(double s) {
            if (!(s >= 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("sigmaB must be finite and ≥ 0, got " + s);
            }
            this.sigmaB = s;
            return this;
        }

        /**
         * @param on whether layers have biases
         * @return this builder
         */
        public Builder bias(boolean on) {
            this.bias = on;
            return this;
        }

        /** @return the network */
        public Mlp build() {
            return new Mlp(this);
        }
    }
}
