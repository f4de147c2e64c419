package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.tensor.Tensor;

/**
 * A 2-D convolution on images (H, W, C_in):
 * out[n, i, j, o] = s·Σ_{p, q, c} x[n, i·st + p − ph, j·st + q − pw, c]·K[p, q, c, o] + s_b·b[o], with the kernel K
 * of shape (kh, kw, C_in, C_out) (HWIO), fan_in = kh·kw·C_in, zero padding as {@link Padding} says. NTK
 * parameterization: s = σ_w/√fan_in, s_b = σ_b, K, b ~ N(0, 1); standard: s = s_b = 1, K ~ N(0, σ_w²/fan_in),
 * b ~ N(0, σ_b²). Parameters {@code K} and, with a bias, {@code b}.
 *
 * <p>Computed as the backend's {@code im2col} and one GEMM: the windows become an (N·positions) × (kh·kw·C_in)
 * matrix, kept for the backward passes; the input cotangent is one GEMM with Kᵀ and {@code col2im}; the per-sample
 * kernel Jacobian rows are {@code segmentedOuterSums} of the windows and the cotangent. The switches between a
 * batch's N × (positions·C_out) rows and its (N·positions) × C_out pixel rows are the backend's reshapes.
 */
public final class Conv implements Layer {

    private final int out;
    private final int kh;
    private final int kw;
    private final int stride;
    private final Padding padding;
    private final Parameterization parameterization;
    private final double sigmaW;
    private final double sigmaB;
    private final boolean bias;

    /**
     * @param out C_out ≥ 1
     * @param kh the filter height ≥ 1
     * @param kw the filter width ≥ 1
     * @param stride the stride ≥ 1, the same along both axes
     * @param padding SAME or VALID
     * @param parameterization NTK or standard
     * @param sigmaW σ_w ≥ 0
     * @param sigmaB σ_b ≥ 0
     * @param bias whether the layer has a bias
     */
    public Conv(int out, int kh, int kw, int stride, Padding padding, Parameterization parameterization,
                double sigmaW, double sigmaB, boolean bias) {
        if (out < 1 || kh < 1 || kw < 1 || stride < 1 || !(sigmaW >= 0) || !(sigmaB >= 0)) {
            throw new IllegalArgumentException("conv: " + out + " channels, filter " + kh + "×" + kw + ", stride "
                    + stride + ", σ_w " + sigmaW + ", σ_b " + sigmaB + " (need sizes ≥ 1 and σ's ≥ 0)");
        }
        this.out = out;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.padding = padding;
        this.parameterization = parameterization;
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.bias = bias;
    }

    /** @return the window geometry on that input (package-private: the kernel maps read it) */
    Windows windows(Shape input) {
        return new Windows(toString(), input, kh, kw, stride, padding);
    }

    /** @return σ_w² over the filter taps, the weight of each tap in the kernel map */
    double tapWeight() {
        return sigmaW * sigmaW / (kh * kw);
    }

    /** @return σ_b², or 0 without a bias */
    double biasVariance() {
        return bias ? sigmaB * sigmaB : 0;
    }

    @Override
    public Shape outputShape(Shape input) {
        Windows g = windows(input);
        return Shape.image(g.oh, g.ow, out);
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        windows(input);
        int c = input.channels();
        boolean ntk = parameterization == Parameterization.NTK;
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(new ParamSpec("K", ntk ? 1 : sigmaW / Math.sqrt(kh * kw * c), kh, kw, c, out));
        if (bias) {
            specs.add(new ParamSpec("b", ntk ? 1 : sigmaB, out));
        }
        return specs;
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        Windows g = windows(input);
        int c = input.channels();
        int n = x.rows();
        boolean ntk = parameterization == Parameterization.NTK;
        double s = ntk ? sigmaW / Math.sqrt(kh * kw * c) : 1;
        double sb = ntk ? sigmaB : 1;
        Tensor cols = be.im2col(x, g.geometry(c));
        Tensor k = params.get(0);
        Tensor y;
        try (Tensor z = be.denseForward(cols, k, bias ? params.get(1) : null, s, sb)) {
            y = Ops.reshape(be, z, n, g.positions() * out);
        }
        return new Trace(be, g, c, n, k, s, sb, cols, y);
    }

    /**
     * Σ'(o, o') = σ_w²·mean over the filter offsets δ of Σ(o·st + δ − pad, o'·st + δ − pad) + σ_b² (zero where a
     * position falls in the padding), Θ' = Σ' + σ_w²·the same mean of Θ: a stencil of kh·kw row gathers.
     */
    @Override
    public KernelValue kernel(KernelValue in) {
        Windows g = windows(in.shape());
        Shape out = Shape.image(g.oh, g.ow, this.out);
        return KernelMaps.linear(in, Stencil.conv(g, in.layout()), tapWeight(), biasVariance(), true, out);
    }

    private final class Trace extends LeafTrace {
        private final Windows g;
        private final int c;
        private final int n;
        private final Tensor k;
        private final double s;
        private final double sb;
        private final Tensor cols;
        private final Tensor y;

        Trace(Backend be, Windows g, int c, int n, Tensor k, double s, double sb, Tensor cols, Tensor y) {
            super(be);
            this.g = g;
            this.c = c;
            this.n = n;
            this.k = k;
            this.s = s;
            this.sb = sb;
            this.cols = own(cols);
            this.y = own(y);
        }

        @Override
        public Tensor output() {
            return y;
        }

        @Override
        int parameterCount() {
            return bias ? 2 : 1;
        }

        /** The cotangent as (N·positions) × C_out pixel rows. */
        private Tensor pixels(Tensor cot) {
            return Ops.reshape(be, cot, n * g.positions(), out);
        }

        @Override
        Tensor inputCotangent(Tensor cot) {
            try (Tensor gp = pixels(cot); Tensor dcols = be.zeros(cols.rows(), cols.cols(), cot.dtype())) {
                be.gemm(s, gp, false, k, true, 0, dcols);
                return be.col2im(dcols, g.geometry(c));
            }
        }

        @Override
        Tensor parameterCotangent(int param, Tensor cot) {
            try (Tensor gp = pixels(cot)) {
                if (param == 0) {
                    Tensor gk = be.zeros(k.rows(), out, cot.dtype());
                    be.gemm(s, cols, true, gp, false, 0, gk);
                    return gk;
                }
                Tensor gb = be.zeros(1, out, cot.dtype());
                be.columnSums(gp, gb);
                be.scale(sb, gb, gb);
                return gb;
            }
        }

        /**
         * Bias rows: s_b·Σ over positions of the cotangent. Kernel rows: for each sample, s·Colsₙᵀ·Gₙ flattened
         * row-major, by the backend's {@code segmentedOuterSums}.
         */
        @Override
        Tensor parameterJacobian(int param, Tensor cot) {
            if (param == 1) {
                Tensor jb = Ops.blockSum(be, cot, out);
                be.scale(sb, jb, jb);
                return jb;
            }
            Tensor rows = be.zeros(n, k.rows() * out, cot.dtype());
            try (Tensor gp = pixels(cot)) {
                be.segmentedOuterSums(s, cols, gp, rows);
            }
            return rows;
        }
    }

    @Override
    public String toString() {
        return "conv(" + out + ", " + kh + "x" + kw + (stride == 1 ? "" : ", stride " + stride) + ", "
                + padding.name() + (bias ? "" : ", no bias") + ")";
    }
}
