package org.ntk4j.nn.layers;

import org.ntk4j.backend.Backend;
import org.ntk4j.nn.layers.KernelValue.Layout;
import org.ntk4j.tensor.Tensor;

/**
 * A sum of row gathers over the position pairs of a {@link KernelValue}: out row r = Σ_t in row taps[t][r], where
 * an index of −1 stands for a zero row (the padding). Convolutions and average pooling of a spatial covariance
 * are stencils of this kind; on the backend each tap is one {@code gatherRows} of the whole tensor and one
 * {@code axpby}, so every column (sample pair) is moved at memory speed.
 */
final class Stencil {

    final int rowsIn;
    final int rowsOut;
    final int[][] taps;

    private Stencil(int rowsIn, int rowsOut, int[][] taps) {
        this.rowsIn = rowsIn;
        this.rowsOut = rowsOut;
        this.taps = taps;
    }

    /**
     * The convolution stencil: output position pair (o, o') reads input pair (o·st + δ − pad, o'·st + δ − pad) for
     * every filter offset δ, the same δ on both sides (the weights are shared, distinct offsets uncorrelated).
     *
     * @param g the window geometry
     * @param layout DIAGONAL (pairs of equal positions) or FULL
     * @return the stencil, kh·kw taps
     */
    static Stencil conv(Windows g, Layout layout) {
        int pin = g.h * g.w;
        int pout = g.positions();
        boolean full = layout == Layout.FULL;
        int[][] taps = new int[g.kh * g.kw][];
        int t = 0;
        for (int p = 0; p < g.kh; p++) {
            for (int q = 0; q < g.kw; q++) {
                int[] src = sources(g, p, q);
                int[] idx = new int[full ? pout * pout : pout];
                for (int o = 0; o < pout; o++) {
                    if (!full) {
                        idx[o] = src[o];
                        continue;
                    }
                    for (int o2 = 0; o2 < pout; o2++) {
                        idx[o * pout + o2] = src[o] < 0 || src[o2] < 0 ? -1 : src[o] * pin + src[o2];
                    }
                }
                taps[t++] = idx;
            }
        }
        return new Stencil(full ? pin * pin : pin, full ? pout * pout : pout, taps);
    }

    /**
     * The average-pooling stencil on FULL values: output pair (o, o') reads input pair (o·st + δ, o'·st + δ') for
     * every pair of window offsets (δ, δ').
     *
     * @param g the window geometry (VALID)
     * @return the stencil, (kh·kw)² taps; the caller divides by their number
     */
    static Stencil pool(Windows g) {
        int pin = g.h * g.w;
        int pout = g.positions();
        int k = g.kh * g.kw;
        int[][] src = new int[k][];
        for (int p = 0; p < g.kh; p++) {
            for (int q = 0; q < g.kw; q++) {
                src[p * g.kw + q] = sources(g, p, q);
            }
        }
        int[][] taps = new int[k * k][];
        for (int t1 = 0; t1 < k; t1++) {
            for (int t2 = 0; t2 < k; t2++) {
                int[] idx = new int[pout * pout];
                for (int o = 0; o < pout; o++) {
                    for (int o2 = 0; o2 < pout; o2++) {
                        int a = src[t1][o];
                        int b = src[t2][o2];
                        idx[o * pout + o2] = a < 0 || b < 0 ? -1 : a * pin + b;
                    }
                }
                taps[t1 * k + t2] = idx;
            }
        }
        return new Stencil(pin * pin, pout * pout, taps);
    }

    /** For window offset (p, q): the input position of every output position, −1 in the padding. */
    static int[] sources(Windows g, int p, int q) {
        int[] src = new int[g.positions()];
        for (int i = 0; i < g.oh; i++) {
            for (int j = 0; j < g.ow; j++) {
                int y = i * g.stride + p - g.ph;
                int x = j * g.stride + q - g.pw;
                src[i * g.ow + j] = y < 0 || y >= g.h || x < 0 || x >= g.w ? -1 : y * g.w + x;
            }
        }
        return src;
    }

    /**
     * @param be the backend
     * @param t a rowsIn × M tensor (not modified)
     * @return a new rowsOut × M tensor, the sum of the taps
     */
    Tensor apply(Backend be, Tensor t) {
        if (t.rows() != rowsIn) {
            throw new IllegalArgumentException("stencil over " + rowsIn + " position pairs applied to " + t.shape());
        }
        Tensor acc = be.zeros(rowsOut, t.cols(), t.dtype());
        try (Tensor padded = Ops.withZeroRow(be, t)) {
            for (int[] tap : taps) {
                int[] idx = new int[tap.length];
                for (int r = 0; r < idx.length; r++) {
                    idx[r] = tap[r] < 0 ? rowsIn : tap[r];
                }
                try (Tensor g = be.gatherRows(padded, idx)) {
                    be.axpby(1, acc, 1, g, acc);
                }
            }
        }
        return acc;
    }

    /**
     * @param side host values, element r·n + a for row r and sample a (not modified)
     * @param n the samples
     * @return a new array of rowsOut·n values, the sum of the taps
     */
    double[] apply(double[] side, int n) {
        double[] out = new double[rowsOut * n];
        for (int[] tap : taps) {
            for (int r = 0; r < rowsOut; r++) {
                int s = tap[r];
                if (s < 0) {
                    continue;
                }
                for (int a = 0; a < n; a++) {
                    out[r * n + a] += side[s * n + a];
                }
            }
        }
        return out;
    }
}
