package org.ntk4j.nn.layers;

/**
 * The geometry of a sliding window over an image (H, W, C): output size, padding, and, for each window offset
 * (p, q), the row indices that gather window elements in the "pixel rows" layout, where a batch of N images is
 * (N·H·W) × C, one row per pixel.
 */
final class Windows {

    final int h;
    final int w;
    final int kh;
    final int kw;
    final int stride;
    final int ph;
    final int pw;
    final int oh;
    final int ow;

    /**
     * @param layer the layer's name, for messages
     * @param in the image shape
     * @param kh the window height ≥ 1
     * @param kw the window width ≥ 1
     * @param stride the stride ≥ 1
     * @param padding SAME or VALID
     */
    Windows(String layer, Shape in, int kh, int kw, int stride, Padding padding) {
        in.requireImage(layer);
        this.h = in.height();
        this.w = in.width();
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        if (padding == Padding.SAME) {
            this.ph = (kh - 1) / 2;
            this.pw = (kw - 1) / 2;
            this.oh = (h + stride - 1) / stride;
            this.ow = (w + stride - 1) / stride;
        } else {
            if (kh > h || kw > w) {
                throw new IllegalArgumentException(layer + ": a " + kh + "×" + kw + " window does not fit the input "
                        + in + " without padding");
            }
            this.ph = 0;
            this.pw = 0;
            this.oh = (h - kh) / stride + 1;
            this.ow = (w - kw) / stride + 1;
        }
    }

    /** @return the number of output positions per image, oh·ow */
    int positions() {
        return oh * ow;
    }

    /**
     * For window offset (p, q): for every output pixel (n, i, j) of n images, the input pixel row
     * (n, i·stride + p − ph, j·stride + q − pw), or n·h·w (a zero row) where that falls in the padding.
     */
    int[] forwardRows(int n, int p, int q) {
        int[] idx = new int[n * oh * ow];
        int zero = n * h * w;
        int r = 0;
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int y = i * stride + p - ph;
                    int x = j * stride + q - pw;
                    idx[r++] = y < 0 || y >= h || x < 0 || x >= w ? zero : (s * h + y) * w + x;
                }
            }
        }
        return idx;
    }

    /**
     * The transpose of {@link #forwardRows}: for every input pixel (n, y, x), the output pixel row (n, i, j)
     * whose window puts offset (p, q) on it, or n·oh·ow (a zero row) where there is none.
     */
    int[] backwardRows(int n, int p, int q) {
        int[] idx = new int[n * h * w];
        int zero = n * oh * ow;
        int r = 0;
        for (int s = 0; s < n; s++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int iy = y + ph - p;
                    int ix = x + pw - q;
                    boolean hit = iy >= 0 && ix >= 0 && iy % stride == 0 && ix % stride == 0
                            && iy / stride < oh && ix / stride < ow;
                    idx[r++] = hit ? (s * oh + iy / stride) * ow + ix / stride : zero;
                }
            }
        }
        return idx;
    }
}
