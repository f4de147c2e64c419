package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * Average pooling on images (H, W, C), without padding (VALID): out[n, i, j, c] is the mean of
 * x[n, i·st + p, j·st + q, c] over the window's 0 ≤ p, q &lt; window. No parameters. Computed as one row gather
 * per window offset, summed (the gradient gathers the transposed way).
 */
public final class AvgPool implements Layer {

    private final int window;
    private final int stride;

    /**
     * @param window the window's height and width ≥ 1
     * @param stride the stride ≥ 1
     */
    public AvgPool(int window, int stride) {
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("avgPool: window " + window + ", stride " + stride + " (need ≥ 1)");
        }
        this.window = window;
        this.stride = stride;
    }

    private Windows windows(Shape input) {
        return new Windows(toString(), input, window, window, stride, Padding.VALID);
    }

    @Override
    public Shape outputShape(Shape input) {
        Windows g = windows(input);
        return Shape.image(g.oh, g.ow, input.channels());
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        windows(input);
        return List.of();
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        Windows g = windows(input);
        int c = input.channels();
        int n = x.rows();
        double mean = 1.0 / (window * window);
        try (Tensor pixels = Ops.reshape(be, x, n * g.h * g.w, c);
             Tensor acc = be.zeros(n * g.positions(), c, x.dtype())) {
            for (int p = 0; p < window; p++) {
                for (int q = 0; q < window; q++) {
                    try (Tensor part = be.gatherRows(pixels, g.forwardRows(n, p, q))) {
                        be.axpby(1, acc, mean, part, acc);
                    }
                }
            }
            return new Trace(be, g, c, n, Ops.reshape(be, acc, n, g.positions() * c));
        }
    }

    /**
     * Σ'(o, o') = the mean of Σ over the pairs of window positions, Θ' likewise: (window²)² row gathers. Needs the
     * FULL spatial covariance.
     */
    @Override
    public KernelValue kernel(KernelValue in) {
        Windows g = windows(in.shape());
        if (in.layout() != KernelValue.Layout.FULL) {
            throw new IllegalArgumentException(this + ": the kernel map needs the FULL spatial covariance, the value"
                    + " keeps " + in.layout());
        }
        int taps = window * window * window * window;
        return KernelMaps.linear(in, Stencil.pool(g), 1.0 / taps, 0, false,
                Shape.image(g.oh, g.ow, in.shape().channels()));
    }

    @Override
    public boolean kernelNeedsFullSpatial() {
        return true;
    }

    private final class Trace extends LeafTrace {
        private final Windows g;
        private final int c;
        private final int n;
        private final Tensor y;

        Trace(Backend be, Windows g, int c, int n, Tensor y) {
            super(be);
            this.g = g;
            this.c = c;
            this.n = n;
            this.y = own(y);
        }

        @Override
        public Tensor output() {
            return y;
        }

        @Override
        Tensor inputCotangent(Tensor cot) {
            double mean = 1.0 / (window * window);
            try (Tensor gp = Ops.reshape(be, cot, n * g.positions(), c); Tensor padded = Ops.withZeroRow(be, gp);
                 Tensor dx = be.zeros(n * g.h * g.w, c, cot.dtype())) {
                for (int p = 0; p < window; p++) {
                    for (int q = 0; q < window; q++) {
                        try (Tensor part = be.gatherRows(padded, g.backwardRows(n, p, q))) {
                            be.axpby(1, dx, mean, part, dx);
                        }
                    }
                }
                return Ops.reshape(be, dx, n, g.h * g.w * c);
            }
        }
    }

    @Override
    public String toString() {
        return "avgPool(" + window + ", " + stride + ")";
    }
}
