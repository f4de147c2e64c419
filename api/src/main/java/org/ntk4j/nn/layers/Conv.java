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
 * <p>Computed as im2col and one GEMM: the windows' pixels are gathered with {@code gatherRows} (host-computed
 * indices, a zero row for the padding) into an (N·positions) × (kh·kw·C_in) matrix; the input cotangent gathers
 * the output cotangent the transposed way, one GEMM per window offset. The switches between a batch's
 * N × (H·W·C) rows and its (N·H·W) × C pixel rows are reshapes, which copy through the host for now.
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

    private Windows windows(Shape input) {
        return new Windows(toString(), input, kh, kw, stride, padding);
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
        Tensor cols;
        try (Tensor pixels = Ops.reshape(be, x, n * g.h * g.w, c); Tensor padded = Ops.withZeroRow(be, pixels)) {
            List<Tensor> parts = new ArrayList<>();
            try {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        parts.add(be.gatherRows(padded, g.forwardRows(n, p, q)));
                    }
                }
                cols = Ops.concatCols(be, parts);
            } finally {
                parts.forEach(Tensor::close);
            }
        }
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
        return KernelMaps.linear(in, Stencil.conv(g, in.layout()), sigmaW * sigmaW / (kh * kw),
                bias ? sigmaB * sigmaB : 0, true, out);
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
            try (Tensor gp = pixels(cot); Tensor padded = Ops.withZeroRow(be, gp);
                 Tensor dx = be.zeros(n * g.h * g.w, c, cot.dtype())) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        try (Tensor gathered = be.gatherRows(padded, g.backwardRows(n, p, q));
                             Tensor kpq = be.gatherRows(k, Ops.range((p * kw + q) * c, (p * kw + q + 1) * c))) {
                            be.gemm(s, gathered, false, kpq, true, 1, dx);
                        }
                    }
                }
                return Ops.reshape(be, dx, n, g.h * g.w * c);
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
         * row-major (one small GEMM per sample, assembled on the host).
         */
        @Override
        Tensor parameterJacobian(int param, Tensor cot) {
            if (param == 1) {
                Tensor jb = Ops.blockSum(be, cot, out);
                be.scale(sb, jb, jb);
                return jb;
            }
            int positions = g.positions();
            int size = k.rows() * out;
            double[] rows = new double[n * size];
            try (Tensor gp = pixels(cot); Tensor tile = be.zeros(k.rows(), out, cot.dtype())) {
                for (int i = 0; i < n; i++) {
                    int[] r = Ops.range(i * positions, (i + 1) * positions);
                    try (Tensor ci = be.gatherRows(cols, r); Tensor gi = be.gatherRows(gp, r)) {
                        be.gemm(s, ci, true, gi, false, 0, tile);
                    }
                    System.arraycopy(be.toHost(tile), 0, rows, i * size, size);
                }
            }
            return be.fromHost(rows, n, size, cot.dtype());
        }
    }

    @Override
    public String toString() {
        return "conv(" + out + ", " + kh + "x" + kw + (stride == 1 ? "" : ", stride " + stride) + ", "
                + padding.name() + (bias ? "" : ", no bias") + ")";
    }
}
