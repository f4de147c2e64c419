package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Parameterization;

/**
 * Short factories for the layers, in the style of neural-tangents' {@code stax}:
 * {@code Layers.serial(Layers.conv(32, 3, 3), Layers.relu(), Layers.globalAvgPool(), Layers.dense(10))}.
 * Unless a factory says otherwise, dense and conv layers use the NTK parameterization with σ_w = 1, σ_b = 0.1
 * and biases, as {@link org.ntk4j.nn.Mlp}'s defaults.
 */
public final class Layers {

    /** The default σ_w. */
    public static final double SIGMA_W = 1;
    /** The default σ_b. */
    public static final double SIGMA_B = 0.1;

    private Layers() {
    }

    /**
     * @param layers at least one layer, applied in order (not modified)
     * @return the sequence
     */
    public static Serial serial(Layer... layers) {
        return new Serial(List.of(layers));
    }

    /**
     * @param block the layers of the block, applied in order; together shape-preserving (not modified)
     * @return x ↦ x + block(x)
     */
    public static Residual residual(Layer... block) {
        return new Residual(block.length == 1 ? block[0] : serial(block));
    }

    /**
     * @param out the output width
     * @return a dense layer with the defaults
     */
    public static Dense dense(int out) {
        return new Dense(out, Parameterization.NTK, SIGMA_W, SIGMA_B, true);
    }

    /**
     * @param out the output width
     * @param parameterization NTK or standard
     * @param sigmaW σ_w
     * @param sigmaB σ_b
     * @param bias whether it has a bias
     * @return a dense layer
     */
    public static Dense dense(int out, Parameterization parameterization, double sigmaW, double sigmaB, boolean bias) {
        return new Dense(out, parameterization, sigmaW, sigmaB, bias);
    }

    /**
     * @param out C_out
     * @param kh the filter height
     * @param kw the filter width
     * @return a stride-1 SAME convolution with the defaults
     */
    public static Conv conv(int out, int kh, int kw) {
        return conv(out, kh, kw, 1, Padding.SAME);
    }

    /**
     * @param out C_out
     * @param kh the filter height
     * @param kw the filter width
     * @param stride the stride
     * @param padding SAME or VALID
     * @return a convolution with the defaults
     */
    public static Conv conv(int out, int kh, int kw, int stride, Padding padding) {
        return new Conv(out, kh, kw, stride, padding, Parameterization.NTK, SIGMA_W, SIGMA_B, true);
    }

    /**
     * @param out C_out
     * @param kh the filter height
     * @param kw the filter width
     * @param stride the stride
     * @param padding SAME or VALID
     * @param parameterization NTK or standard
     * @param sigmaW σ_w
     * @param sigmaB σ_b
     * @param bias whether it has a bias
     * @return a convolution
     */
    public static Conv conv(int out, int kh, int kw, int stride, Padding padding, Parameterization parameterization,
                            double sigmaW, double sigmaB, boolean bias) {
        return new Conv(out, kh, kw, stride, padding, parameterization, sigmaW, sigmaB, bias);
    }

    /**
     * @param window the window's height and width
     * @param stride the stride
     * @return average pooling without padding
     */
    public static AvgPool avgPool(int window, int stride) {
        return new AvgPool(window, stride);
    }

    /** @return global average pooling, (H, W, C) → (C) */
    public static GlobalAvgPool globalAvgPool() {
        return new GlobalAvgPool();
    }

    /** @return (H, W, C) → (H·W·C) */
    public static Flatten flatten() {
        return new Flatten();
    }

    /** @return layer normalization over each sample's features, without scale or shift */
    public static LayerNorm layerNorm() {
        return new LayerNorm();
    }

    /**
     * @param activation φ
     * @return the elementwise layer y = φ(x)
     */
    public static ActivationLayer activation(Activation activation) {
        return new ActivationLayer(activation);
    }

    /** @return the ReLU layer */
    public static ActivationLayer relu() {
        return activation(Activation.RELU);
    }
}
