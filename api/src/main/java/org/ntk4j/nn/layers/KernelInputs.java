package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.layers.KernelValue.Layout;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** The kernel of the inputs, Σ⁰ and Θ⁰ = 0, for {@link KernelValue#inputs}. */
final class KernelInputs {

    private KernelInputs() {
    }

    /** Vectors: Σ⁰ = x·x'ᵀ/d by one GEMM, the variances ‖x‖²/d. */
    static KernelValue vectors(Backend be, Tensor x1, Tensor x2, Shape shape) {
        Tensor other = x2 == null ? x1 : x2;
        DType dt = x1.dtype();
        double[] q1 = squares(be, x1);
        double[] q2 = x2 == null ? q1 : squares(be, x2);
        Tensor sigma = be.zeros(x1.rows(), other.rows(), dt);
        be.gemm(1.0 / x1.cols(), x1, false, other, true, 0, sigma);
        Tensor theta = be.zeros(x1.rows(), other.rows(), dt);
        return new KernelValue(be, shape, Layout.VECTOR, x1.rows(), other.rows(), sigma, theta, q1, q2, false, 0);
    }

    private static double[] squares(Backend be, Tensor x) {
        double d = x.cols();
        double[] q;
        try (Tensor sq = be.zeros(x.rows(), 1, x.dtype())) {
            be.rowSumsOfSquares(x, sq);
            q = be.toHost(sq);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = q[i] / d;
        }
        return q;
    }

    /**
     * Images: the pixel rows of each block, position-major ((p, a) row order, C columns); FULL takes one GEMM of
     * them, (P·n1) × (P·n2), reordered to position pairs; DIAGONAL one n1 × n2 GEMM per position.
     */
    static KernelValue images(Backend be, Tensor x1, Tensor x2, Shape shape, Layout layout) {
        Tensor other = x2 == null ? x1 : x2;
        int n1 = x1.rows();
        int n2 = other.rows();
        int p = KernelValue.positions(shape);
        int c = shape.channels();
        double[] s1 = sides(be.toHost(x1), n1, p, c, layout);
        double[] s2 = x2 == null ? s1 : sides(be.toHost(x2), n2, p, c, layout);
        Tensor sigma;
        try (Tensor a = pixelsByPosition(be, x1, p, c); Tensor b = x2 == null ? null : pixelsByPosition(be, x2, p, c)) {
            Tensor bb = b == null ? a : b;
            if (layout == Layout.FULL) {
                try (Tensor g = be.zeros(p * n1, p * n2, x1.dtype())) {
                    be.gemm(1.0 / c, a, false, bb, true, 0, g);
                    sigma = KernelMaps.fromPairForm(be, g, p, n1, n2);
                }
            } else {
                List<Tensor> rows = new ArrayList<>();
                try {
                    for (int i = 0; i < p; i++) {
                        try (Tensor ai = be.gatherRows(a, Ops.range(i * n1, (i + 1) * n1));
                             Tensor bi = be.gatherRows(bb, Ops.range(i * n2, (i + 1) * n2));
                             Tensor g = be.zeros(n1, n2, x1.dtype())) {
                            be.gemm(1.0 / c, ai, false, bi, true, 0, g);
                            rows.add(be.reshape(g, 1, n1 * n2));
                        }
                    }
                    sigma = be.concatRows(rows);
                } finally {
                    rows.forEach(Tensor::close);
                }
            }
        }
        Tensor theta = be.zeros(sigma.rows(), sigma.cols(), sigma.dtype());
        return new KernelValue(be, shape, layout, n1, n2, sigma, theta, s1, s2, false, 0);
    }

    /** @return a new (P·n) × C tensor, row p·n + a the pixel p of sample a */
    private static Tensor pixelsByPosition(Backend be, Tensor x, int p, int c) {
        int n = x.rows();
        int[] idx = new int[p * n];
        for (int i = 0; i < p; i++) {
            for (int a = 0; a < n; a++) {
                idx[i * n + a] = a * p + i;
            }
        }
        try (Tensor pixels = be.reshape(x, n * p, c)) {
            return be.gatherRows(pixels, idx);
        }
    }

    /** Each sample's own covariance: element r·n + a, r = p (DIAGONAL) or p·P + p' (FULL). */
    private static double[] sides(double[] x, int n, int p, int c, Layout layout) {
        boolean full = layout == Layout.FULL;
        int rows = full ? p * p : p;
        double[] s = new double[rows * n];
        for (int a = 0; a < n; a++) {
            int base = a * p * c;
            for (int i = 0; i < p; i++) {
                for (int j = full ? 0 : i; j < (full ? p : i + 1); j++) {
                    double sum = 0;
                    for (int k = 0; k < c; k++) {
                        sum += x[base + i * c + k] * x[base + j * c + k];
                    }
                    s[(full ? i * p + j : i) * n + a] = sum / c;
                }
            }
        }
        return s;
    }
}
