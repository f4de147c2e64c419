package org.ntk4j.backend;

/**
 * The windows of a 2-D convolution or pooling over images stored row-major with channels last: a sample is
 * height·width·channels values, pixel (y, x) at offset (y·width + x)·channels. Output position (i, j) reads the
 * kernelHeight × kernelWidth window whose pixel (p, q) is input pixel (i·stride + p − padTop, j·stride + q − padLeft),
 * and zero where that lies outside the image. Used by {@link Backend#im2col} and {@link Backend#col2im}.
 *
 * @param height the input height H ≥ 1
 * @param width the input width W ≥ 1
 * @param channels the input channels C ≥ 1
 * @param kernelHeight the window height kh ≥ 1
 * @param kernelWidth the window width kw ≥ 1
 * @param stride the stride along both axes, ≥ 1
 * @param padTop the zero rows above the image, ≥ 0
 * @param padLeft the zero columns left of the image, ≥ 0
 * @param outHeight the output height OH ≥ 1
 * @param outWidth the output width OW ≥ 1
 */
public record WindowGeometry(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride,
                             int padTop, int padLeft, int outHeight, int outWidth) {

    /** Checks the sizes. */
    public WindowGeometry {
        if (height < 1 || width < 1 || channels < 1 || kernelHeight < 1 || kernelWidth < 1 || stride < 1
                || padTop < 0 || padLeft < 0 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("window geometry: input " + height + "×" + width + "×" + channels
                    + ", window " + kernelHeight + "×" + kernelWidth + ", stride " + stride + ", padding " + padTop
                    + "/" + padLeft + ", output " + outHeight + "×" + outWidth
                    + " (need sizes and stride ≥ 1, padding ≥ 0)");
        }
    }

    /** @return H·W·C, the values of one input sample */
    public int sampleSize() {
        return height * width * channels;
    }

    /** @return OH·OW, the output positions of one sample */
    public int positions() {
        return outHeight * outWidth;
    }

    /** @return kh·kw·C, the values of one window (a row of {@link Backend#im2col}'s result) */
    public int windowSize() {
        return kernelHeight * kernelWidth * channels;
    }

    /**
     * The gather map of one sample: entry (s·windowSize + (p·kw + q)·C + c) is the offset in the sample of the pixel
     * value that position s's window holds at (p, q, c), or −1 for padding.
     *
     * @return a new array of positions()·windowSize() offsets
     */
    public int[] sampleIndex() {
        int[] idx = new int[positions() * windowSize()];
        int e = 0;
        for (int i = 0; i < outHeight; i++) {
            for (int j = 0; j < outWidth; j++) {
                for (int p = 0; p < kernelHeight; p++) {
                    int y = i * stride + p - padTop;
                    for (int q = 0; q < kernelWidth; q++) {
                        int x = j * stride + q - padLeft;
                        boolean inside = y >= 0 && y < height && x >= 0 && x < width;
                        for (int c = 0; c < channels; c++) {
                            idx[e++] = inside ? (y * width + x) * channels + c : -1;
                        }
                    }
                }
            }
        }
        return idx;
    }
}
