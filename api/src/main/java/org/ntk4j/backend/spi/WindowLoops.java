package org.ntk4j.backend.spi;

import org.ntk4j.backend.WindowGeometry;
import org.ntk4j.tensor.Tensor;

/**
 * The window primitives ({@code im2col}, {@code col2im}, {@code segmentedOuterSums}) as plain loops over row-major
 * {@code double} arrays, with their argument checks: the host defaults of the SPI and what a backend that keeps its
 * values in Java arrays can call directly.
 */
public final class WindowLoops {

    private WindowLoops() {
    }

    /**
     * @param x the input of im2col
     * @param g the geometry
     * @throws IllegalArgumentException unless x has g.sampleSize() columns
     */
    public static void requireIm2col(Tensor x, WindowGeometry g) {
        if (x.cols() != g.sampleSize()) {
            throw new IllegalArgumentException("im2col: x is " + x.shape() + ", the geometry needs " + g.sampleSize()
                    + " columns (" + g.height() + "×" + g.width() + "×" + g.channels() + ")");
        }
    }

    /**
     * @param cols the input of col2im
     * @param g the geometry
     * @return N, the number of samples
     * @throws IllegalArgumentException unless cols is (N·positions) × windowSize
     */
    public static int requireCol2im(Tensor cols, WindowGeometry g) {
        if (cols.cols() != g.windowSize() || cols.rows() % g.positions() != 0) {
            throw new IllegalArgumentException("col2im: cols is " + cols.shape() + ", the geometry needs a multiple of "
                    + g.positions() + " rows and " + g.windowSize() + " columns");
        }
        return cols.rows() / g.positions();
    }

    /**
     * @param a (N·S) × p
     * @param b (N·S) × q
     * @param out N × (p·q), neither a nor b
     * @return S, the rows per segment
     * @throws IllegalArgumentException naming the shapes otherwise
     */
    public static int requireSegmentedOuterSums(Tensor a, Tensor b, Tensor out) {
        int n = out.rows();
        if (a.rows() != b.rows() || a.rows() % n != 0 || (long) a.cols() * b.cols() != out.cols()) {
            throw new IllegalArgumentException("segmentedOuterSums: a is " + a.shape() + ", b is " + b.shape()
                    + ", out is " + out.shape() + " (need a and b with N·S rows and out N × (a.cols·b.cols))");
        }
        if (out == a || out == b) {
            throw new IllegalArgumentException("segmentedOuterSums: out must not be a or b");
        }
        return a.rows() / n;
    }

    /**
     * @param x N samples of g.sampleSize() values (not modified)
     * @param n N
     * @param g the geometry
     * @param out N·positions·windowSize values, overwritten
     */
    public static void im2col(double[] x, int n, WindowGeometry g, double[] out) {
        int len = g.positions() * g.windowSize();
        int size = g.sampleSize();
        int[] idx = g.sampleIndex();
        for (int s = 0; s < n; s++) {
            int xo = s * size;
            int oo = s * len;
            for (int e = 0; e < len; e++) {
                int m = idx[e];
                out[oo + e] = m < 0 ? 0 : x[xo + m];
            }
        }
    }

    /**
     * @param cols N·positions·windowSize values (not modified)
     * @param n N
     * @param g the geometry
     * @param out N·sampleSize values, overwritten with the sums
     */
    public static void col2im(double[] cols, int n, WindowGeometry g, double[] out) {
        int len = g.positions() * g.windowSize();
        int size = g.sampleSize();
        int[] idx = g.sampleIndex();
        java.util.Arrays.fill(out, 0, n * size, 0);
        for (int s = 0; s < n; s++) {
            int co = s * len;
            int xo = s * size;
            for (int e = 0; e < len; e++) {
                int m = idx[e];
                if (m >= 0) {
                    out[xo + m] += cols[co + e];
                }
            }
        }
    }

    /**
     * out[n, i·q + j] = α·Σ_{s &lt; S} a[n·S + s, i]·b[n·S + s, j].
     *
     * @param alpha the factor
     * @param a (N·S) × p values (not modified)
     * @param p the columns of a
     * @param b (N·S) × q values (not modified)
     * @param q the columns of b
     * @param n N
     * @param segment S
     * @param out N·p·q values, overwritten
     */
    public static void segmentedOuterSums(double alpha, double[] a, int p, double[] b, int q, int n, int segment,
                                          double[] out) {
        int size = p * q;
        java.util.Arrays.fill(out, 0, n * size, 0);
        for (int s = 0; s < n; s++) {
            int oo = s * size;
            for (int r = s * segment; r < (s + 1) * segment; r++) {
                int ao = r * p;
                int bo = r * q;
                for (int i = 0; i < p; i++) {
                    double av = a[ao + i];
                    if (av == 0) {
                        continue;
                    }
                    int o = oo + i * q;
                    for (int j = 0; j < q; j++) {
                        out[o + j] += av * b[bo + j];
                    }
                }
            }
            if (alpha != 1) {
                for (int e = oo; e < oo + size; e++) {
                    out[e] *= alpha;
                }
            }
        }
    }
}
