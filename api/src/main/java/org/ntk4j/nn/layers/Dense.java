package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.tensor.Tensor;

/**
 * A dense layer on vector inputs (d): z = s_w·x·W + s_b·b with W of shape (d, out) and b of shape (out), exactly
 * as {@link org.ntk4j.nn.Mlp}'s layers. NTK parameterization: s_w = σ_w/√d, s_b = σ_b, W, b ~ N(0, 1); standard:
 * s_w = s_b = 1, W ~ N(0, σ_w²/d), b ~ N(0, σ_b²). Parameters {@code W} and, with a bias, {@code b}.
 */
public final class Dense implements Layer {

    private final int out;
    private final Parameterization parameterization;
    private final double sigmaW;
    private final double sigmaB;
    private final boolean bias;

    /**
     * @param out the output width ≥ 1
     * @param parameterization NTK or standard
     * @param sigmaW σ_w ≥ 0
     * @param sigmaB σ_b ≥ 0
     * @param bias whether the layer has a bias
     */
    public Dense(int out, Parameterization parameterization, double sigmaW, double sigmaB, boolean bias) {
        if (out < 1 || !(sigmaW >= 0) || !(sigmaB >= 0)) {
            throw new IllegalArgumentException("dense: width " + out + ", σ_w " + sigmaW + ", σ_b " + sigmaB
                    + " (need a width ≥ 1 and σ's ≥ 0)");
        }
        this.out = out;
        this.parameterization = parameterization;
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.bias = bias;
    }

    /** @return the output width */
    public int width() {
        return out;
    }

    /** @return NTK or standard */
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

    /** @return whether the layer has a bias */
    public boolean hasBias() {
        return bias;
    }

    @Override
    public Shape outputShape(Shape input) {
        input.requireVector(toString());
        return Shape.vector(out);
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        int d = input.requireVector(toString()).size();
        boolean ntk = parameterization == Parameterization.NTK;
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(new ParamSpec("W", ntk ? 1 : sigmaW / Math.sqrt(d), d, out));
        if (bias) {
            specs.add(new ParamSpec("b", ntk ? 1 : sigmaB, out));
        }
        return specs;
    }

    /**
     * @param d the input width
     * @return s_w: σ_w/√d in NTK parameterization, 1 in standard
     */
    double weightScale(int d) {
        return parameterization == Parameterization.NTK ? sigmaW / Math.sqrt(d) : 1;
    }

    /** @return s_b: σ_b in NTK parameterization, 1 in standard */
    double biasScale() {
        return parameterization == Parameterization.NTK ? sigmaB : 1;
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        int d = input.requireVector(toString()).size();
        Tensor w = params.get(0);
        Tensor b = bias ? params.get(1) : null;
        return new Trace(be, x, w, weightScale(d), biasScale(), be.denseForward(x, w, b, weightScale(d), biasScale()));
    }

    /**
     * Σ' = σ_w²·Σ + σ_b², Θ' = Σ' + σ_w²·Θ (the limit of the NTK parameterization; the NNGP is the same in both).
     */
    @Override
    public KernelValue kernel(KernelValue in) {
        Shape out = outputShape(in.shape());
        return KernelMaps.linear(in, null, sigmaW * sigmaW, bias ? sigmaB * sigmaB : 0, true, out);
    }

    private final class Trace extends LeafTrace {
        private final Tensor x;
        private final Tensor w;
        private final double sw;
        private final double sb;
        private final Tensor z;

        Trace(Backend be, Tensor x, Tensor w, double sw, double sb, Tensor z) {
            super(be);
            this.x = x;
            this.w = w;
            this.sw = sw;
            this.sb = sb;
            this.z = own(z);
        }

        @Override
        public Tensor output() {
            return z;
        }

        @Override
        int parameterCount() {
            return bias ? 2 : 1;
        }

        @Override
        Tensor inputCotangent(Tensor g) {
            Tensor dx = be.zeros(g.rows(), x.cols(), g.dtype());
            be.gemm(sw, g, false, w, true, 0, dx);
            return dx;
        }

        @Override
        Tensor parameterCotangent(int param, Tensor g) {
            if (param == 0) {
                Tensor gw = be.zeros(w.rows(), w.cols(), g.dtype());
                be.gemm(sw, x, true, g, false, 0, gw);
                return gw;
            }
            Tensor gb = be.zeros(1, g.cols(), g.dtype());
            be.columnSums(g, gb);
            be.scale(sb, gb, gb);
            return gb;
        }

        @Override
        void emitJacobian(int param, Tensor g, JacobianSink sink) {
            if (param == 0) {
                sink.acceptOuter(0, sw, x, g);
            } else {
                sink.accept(param, parameterJacobian(param, g));
            }
        }

        @Override
        Tensor parameterJacobian(int param, Tensor g) {
            Tensor j = param == 0 ? Ops.rowKron(be, x, g) : be.copy(g);
            be.scale(param == 0 ? sw : sb, j, j);
            return j;
        }
    }

    @Override
    public String toString() {
        return "dense(" + out + (bias ? "" : ", no bias") + ")";
    }
}
