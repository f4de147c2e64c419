package org.ntk4j.nn.layers;

/**
 * A convolution's kernel map on the spatial covariance of one pair of samples, held in a plain array: Σ'(o, o') =
 * Σ over the filter offsets δ of Σ(o·st + δ − pad, o'·st + δ − pad), the same offset on both positions (zero where
 * either falls in the padding). Used by {@link PairKernels}.
 *
 * <p>FULL (every pair of positions, index p·P + p' with p = y·W + x): the offset sum is separable, so it runs as a
 * pass along the image rows (y and y' shifted together, kh terms) and then one along the columns (kw terms):
 * (oh·W)²·kh + (oh·ow)²·kw additions instead of (oh·ow)²·kh·kw. DIAGONAL (equal positions only, index p): kh·kw
 * terms per position. Immutable; the arrays passed in are the only state.
 */
final class PairStencil {

    private final int h;
    private final int w;
    private final int oh;
    private final int ow;
    private final int kh;
    private final int kw;
    private final int stride;
    private final int ph;
    private final int pw;
    /** DIAGONAL: for every filter offset, the input position of every output position, −1 in the padding. */
    private final int[][] sources;

    PairStencil(Windows g) {
        this.h = g.h;
        this.w = g.w;
        this.oh = g.oh;
        this.ow = g.ow;
        this.kh = g.kh;
        this.kw = g.kw;
        this.stride = g.stride;
        this.ph = g.ph;
        this.pw = g.pw;
        this.sources = new int[kh * kw][];
        for (int p = 0; p < kh; p++) {
            for (int q = 0; q < kw; q++) {
                sources[p * kw + q] = Stencil.sources(g, p, q);
            }
        }
    }

    /** @return the input positions H·W */
    int positionsIn() {
        return h * w;
    }

    /** @return the output positions oh·ow */
    int positionsOut() {
        return oh * ow;
    }

    /** @return the values the row pass writes: (oh·W)², the scratch {@link #full} needs */
    int scratch() {
        return oh * w * oh * w;
    }

    /**
     * The FULL map: out[o·P' + o'] = Σ_δ in[(o·st + δ − pad)·P + (o'·st + δ − pad)].
     *
     * @param in (H·W)² values (not modified)
     * @param out modified: its first (oh·ow)² values
     * @param mid scratch, modified: its first {@link #scratch()} values
     */
    void full(double[] in, double[] out, double[] mid) {
        int pin = h * w;
        java.util.Arrays.fill(mid, 0, scratch(), 0);
        // rows: mid[((i·W + x)·oh + i')·W + x'] = Σ_p in[(y·W + x)·P + y'·W + x'], y = i·st + p − ph, y' likewise
        for (int i = 0; i < oh; i++) {
            for (int i2 = 0; i2 < oh; i2++) {
                for (int p = 0; p < kh; p++) {
                    int y = i * stride + p - ph;
                    int y2 = i2 * stride + p - ph;
                    if (y < 0 || y >= h || y2 < 0 || y2 >= h) {
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        int src = (y * w + x) * pin + y2 * w;
                        int dst = ((i * w + x) * oh + i2) * w;
                        for (int x2 = 0; x2 < w; x2++) {
                            mid[dst + x2] += in[src + x2];
                        }
                    }
                }
            }
        }
        int pout = oh * ow;
        java.util.Arrays.fill(out, 0, pout * pout, 0);
        // columns: out[(i·ow + j)·P' + i'·ow + j'] = Σ_q mid[((i·W + x)·oh + i')·W + x'], x = j·st + q − pw, x' likewise
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int i2 = 0; i2 < oh; i2++) {
                    int dst = (i * ow + j) * pout + i2 * ow;
                    for (int q = 0; q < kw; q++) {
                        int x = j * stride + q - pw;
                        if (x < 0 || x >= w) {
                            continue;
                        }
                        int src = ((i * w + x) * oh + i2) * w + q - pw;
                        int lo = Math.max(0, ceilDiv(pw - q, stride));
                        int hi = Math.min(ow - 1, Math.floorDiv(w - 1 - q + pw, stride));
                        if (stride == 1) {
                            for (int j2 = lo; j2 <= hi; j2++) {
                                out[dst + j2] += mid[src + j2];
                            }
                        } else {
                            for (int j2 = lo; j2 <= hi; j2++) {
                                out[dst + j2] += mid[src + j2 * stride];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * The DIAGONAL map: out[o] = Σ_δ in[o·st + δ − pad].
     *
     * @param in H·W values (not modified)
     * @param out modified: its first oh·ow values
     */
    void diagonal(double[] in, double[] out) {
        int pout = oh * ow;
        java.util.Arrays.fill(out, 0, pout, 0);
        for (int[] src : sources) {
            for (int o = 0; o < pout; o++) {
                int s = src[o];
                if (s >= 0) {
                    out[o] += in[s];
                }
            }
        }
    }
}
