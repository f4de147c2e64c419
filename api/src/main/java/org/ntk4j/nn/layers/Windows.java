package org.ntk4j.nn.layers;

import org.ntk4j.backend.WindowGeometry;

/**
 * The geometry of a sliding window over an image (H, W, C): output size and padding, as a layer defines them;
 * {@link #geometry} hands it to the backend's window primitives.
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

    /** @return OH·OW */
    int positions() {
        return oh * ow;
    }

    /**
     * @param channels the input channels C
     * @return the geometry the backend's window primitives take
     */
    WindowGeometry geometry(int channels) {
        return new WindowGeometry(h, w, channels, kh, kw, stride, ph, pw, oh, ow);
    }
}
