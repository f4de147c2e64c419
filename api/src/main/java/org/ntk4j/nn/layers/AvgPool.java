package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.WindowGeometry;
import org.ntk4j.tensor.Tensor;

/**
 * Average pooling on images (H, W, C), without padding (VALID): out[n, i, j, c] is the mean of
 * x[n, i·st + p, j·st + q, c] over the window's 0 ≤ p, q &lt; window. No parameters. Computed as the backend's
 * {@code im2col} and one GEMM with the (window²·C) × C averaging matrix; the gradient is one GEMM with its transpose
 * and {@code col2im}.
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

    /** @return the window geometry on that input (package-private: the kernel maps read it) */
    Windows windows(Shape input) {
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

    /** @return the (window²·c) × c matrix that averages each channel over a window's pixels */
    private Tensor averaging(Backend be, int c, Tensor like) {
        int k = window * window;
        double[] m = new double[k * c * c];
        for (int e = 0; e < k; e++) {
            for (int ch = 0; ch < c; ch++) {
                m[(e * c + ch) * c + ch] = 1.0 / k;
            }
        }
        return be.fromHost(m, k * c, c, like.dtype());
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        Windows g = windows(input);
        int c = input.channels();
        int n = x.rows();
        WindowGeometry geometry = g.geometry(c);
        Tensor avg = averaging(be, c, x);
        try (Tensor cols = be.im2col(x, geometry); Tensor pooled = be.zeros(cols.rows(), c, x.dtype())) {
            be.gemm(1, cols, false, avg, false, 0, pooled);
            return new Trace(be, geometry, c, n, avg, be.reshape(pooled, n, g.positions() * c));
        } catch (RuntimeException e) {
            avg.close();
            throw e;
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

    private static final class Trace extends LeafTrace {
        private final WindowGeometry g;
        private final int c;
        private final int n;
        private final Tensor avg;
        private final Tensor y;

        Trace(Backend be, WindowGeometry g, int c, int n, Tensor avg, Tensor y) {
            super(be);
            this.g = g;
            this.c = c;
            this.n = n;
            this.avg = own(avg);
            this.y = own(y);
        }

        @Override
        public Tensor output() {
            return y;
        }

        @Override
        Tensor inputCotangent(Tensor cot) {
            try (Tensor gp = be.reshape(cot, n * g.positions(), c);
                 Tensor dcols = be.zeros(n * g.positions(), g.windowSize(), cot.dtype())) {
                be.gemm(1, gp, false, avg, true, 0, dcols);
                return be.col2im(dcols, g);
            }
        }
    }

    @Override
    public String toString() {
        return "avgPool(" + window + ", " + stride + ")";
    }
}
