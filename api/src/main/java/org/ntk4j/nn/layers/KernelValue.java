package org.ntk4j.nn.layers;

import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The infinite-width kernel of a pair of sample blocks at one point of a model, as it flows through the layers'
 * {@link Layer#kernel} maps (neural-tangents' {@code Kernel}): the NNGP covariance Σ and the NTK Θ of every pair
 * (a, b) of a block of n1 samples and a block of n2 samples, and each sample's own covariance (its "side"), whose
 * diagonal gives the variances the activations need. All covariances are channel-averaged: for a layer with C
 * channels, Σ(x, x') = E[z_c(x)·z_c(x')], the same for every channel c in the limit.
 *
 * <p>Storage by {@link Layout}, with P = H·W positions of an image and R position pairs:
 * <ul>
 *   <li>{@code VECTOR} (a vector sample): Σ and Θ are n1 × n2 tensors, row a, column b; R = 1.</li>
 *   <li>{@code DIAGONAL} (an image, aligned positions only): R = P, row p holds Σ(x_a at p, x'_b at p) for all
 *       pairs in columns a·n2 + b: a P × (n1·n2) tensor.</li>
 *   <li>{@code FULL} (an image, every pair of positions): R = P², row p·P + p' holds Σ(x_a at p, x'_b at p'),
 *       columns a·n2 + b: a P² × (n1·n2) tensor.</li>
 * </ul>
 * Positions as rows make convolutions and pooling row gathers (stencils) over whole tensors. The sides are host
 * arrays of R·n values, element r·n + a for sample a (O(n·R), against O(n1·n2·R) for the pair).
 *
 * <p>A value owns its tensors: {@link #close()} closes them. Maps never modify or close their input value.
 */
public final class KernelValue implements AutoCloseable {

    /** How much of the spatial covariance a value keeps. */
    public enum Layout {
        /** A vector sample: no positions. */
        VECTOR,
        /** An image: only pairs of equal positions, enough for convolutions, activations and flatten. */
        DIAGONAL,
        /** An image: every pair of positions, needed by pooling. */
        FULL
    }

    final Backend be;
    final Shape shape;
    final Layout layout;
    final int n1;
    final int n2;
    final Tensor nngp;
    final Tensor ntk;
    final double[] side1;
    final double[] side2;
    /** Whether every feature has mean zero in the limit (after dense or conv, or an odd activation of such). */
    final boolean centred;
    /** How many dense or conv layers have acted so far (a residual block must contain one). */
    final int mixes;

    KernelValue(Backend be, Shape shape, Layout layout, int n1, int n2, Tensor nngp, Tensor ntk, double[] side1,
                double[] side2, boolean centred, int mixes) {
        this.be = be;
        this.shape = shape;
        this.layout = layout;
        this.n1 = n1;
        this.n2 = n2;
        this.nngp = nngp;
        this.ntk = ntk;
        this.side1 = side1;
        this.side2 = side2;
        this.centred = centred;
        this.mixes = mixes;
    }

    /**
     * A value with the same bookkeeping and new contents.
     */
    KernelValue with(Shape s, Layout l, Tensor sigma, Tensor theta, double[] s1, double[] s2, boolean c, int m) {
        return new KernelValue(be, s, l, n1, n2, sigma, theta, s1, s2, c, m);
    }

    /**
     * The kernel of the inputs themselves: Σ⁰(x, x') = x·x'/d for vectors, and for images the channel-averaged
     * product of pixels, Σ⁰(x at p, x' at p') = Σ_c x[p, c]·x'[p', c]/C; Θ⁰ = 0.
     *
     * @param be the backend of the inputs
     * @param x1 n1 × shape.size() inputs, one sample per row (not modified)
     * @param x2 n2 × shape.size() inputs, or {@code null} for x1 itself (not modified)
     * @param shape the shape of one sample
     * @param spatial for images, DIAGONAL or FULL; ignored for vectors
     * @return a new value
     */
    public static KernelValue inputs(Backend be, Tensor x1, Tensor x2, Shape shape, Layout spatial) {
        requireInputs(x1, x2, shape);
        if (!shape.isImage()) {
            return KernelInputs.vectors(be, x1, x2, shape);
        }
        if (spatial == Layout.VECTOR) {
            throw new IllegalArgumentException("analytic kernel: image inputs " + shape + " need the DIAGONAL or"
                    + " FULL layout");
        }
        return KernelInputs.images(be, x1, x2, shape, spatial);
    }

    /** Refuses, in one line, inputs whose rows are not samples of that shape. */
    static void requireInputs(Tensor x1, Tensor x2, Shape shape) {
        Objects.requireNonNull(shape, "shape");
        Tensor other = x2 == null ? x1 : x2;
        if (x1.cols() != shape.size() || other.cols() != shape.size()) {
            throw new IllegalArgumentException("analytic kernel: inputs have " + x1.cols() + " and " + other.cols()
                    + " columns, the model expects samples of shape " + shape + " = " + shape.size() + " values");
        }
    }

    /** @return the shape of one sample at this point */
    public Shape shape() {
        return shape;
    }

    /** @return what the value keeps */
    public Layout layout() {
        return layout;
    }

    /** @return n1, the samples of the first block */
    public int rows1() {
        return n1;
    }

    /** @return n2, the samples of the second block */
    public int rows2() {
        return n2;
    }

    /** @return R, the position pairs kept per sample pair: 1, P or P² */
    public int positionPairs() {
        return rowsOf(shape, layout);
    }

    /** @return the NNGP Σ in the layout's storage (owned by this value) */
    public Tensor nngp() {
        return nngp;
    }

    /** @return the NTK Θ in the layout's storage (owned by this value) */
    public Tensor ntk() {
        return ntk;
    }

    /**
     * @param first the first block (true) or the second
     * @return a new array of the block's variances q[a·P + p] = Σ(x_a at p, x_a at p) (P = 1 for a vector)
     */
    public double[] variances(boolean first) {
        return KernelMaps.variances(this, first);
    }

    /** @return the dtype of the tensors */
    DType dtype() {
        return nngp.dtype();
    }

    /** @return the positions P of an image shape, 1 of a vector */
    static int positions(Shape s) {
        return s.isImage() ? s.height() * s.width() : 1;
    }

    /** @return R for that shape and layout */
    static int rowsOf(Shape s, Layout l) {
        int p = positions(s);
        return l == Layout.FULL ? Math.multiplyExact(p, p) : l == Layout.DIAGONAL ? p : 1;
    }

    /** Closes Σ and Θ. */
    @Override
    public void close() {
        nngp.close();
        ntk.close();
    }

    @Override
    public String toString() {
        return "kernel-value[" + shape + ", " + layout + ", " + n1 + "×" + n2 + "]";
    }
}
