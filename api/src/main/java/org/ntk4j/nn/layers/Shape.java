package org.ntk4j.nn.layers;

import java.util.Arrays;

/**
 * The logical shape of one sample: a vector (d) or an image (H, W, C), row-major with channels last.
 *
 * <p>A batch of N samples is stored as an N × {@link #size()} backend tensor, one sample per row, its values in
 * row-major (H, W, C) order; reinterpreting a shape with the same size (a flatten) moves no data. Immutable.
 */
public final class Shape {

    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape dimensions must be ≥ 1, got " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /**
     * @param d the number of features, ≥ 1
     * @return the vector shape (d)
     */
    public static Shape vector(int d) {
        return new Shape(new int[] {d});
    }

    /**
     * @param height H, ≥ 1
     * @param width W, ≥ 1
     * @param channels C, ≥ 1
     * @return the image shape (H, W, C)
     */
    public static Shape image(int height, int width, int channels) {
        return new Shape(new int[] {height, width, channels});
    }

    /**
     * @param sampleShape a data set's sample shape (not modified)
     * @return the image (H, W, C) for three dimensions, else the vector of their product
     */
    public static Shape ofSample(int... sampleShape) {
        if (sampleShape.length == 3) {
            return image(sampleShape[0], sampleShape[1], sampleShape[2]);
        }
        int d = 1;
        for (int v : sampleShape) {
            d = Math.multiplyExact(d, v);
        }
        return vector(d);
    }

    /** @return whether this is an image shape (H, W, C) */
    public boolean isImage() {
        return dims.length == 3;
    }

    /** @return the number of values per sample: d, or H·W·C */
    public int size() {
        int s = 1;
        for (int d : dims) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }

    /** @return H of an image shape */
    public int height() {
        return image("height")[0];
    }

    /** @return W of an image shape */
    public int width() {
        return image("width")[1];
    }

    /** @return C of an image shape */
    public int channels() {
        return image("channels")[2];
    }

    /** @return a copy of the dimensions: {d} or {H, W, C} */
    public int[] dims() {
        return dims.clone();
    }

    private int[] image(String what) {
        if (!isImage()) {
            throw new IllegalStateException(what + " of the vector shape " + this);
        }
        return dims;
    }

    /**
     * @param layer the layer's name, for the message
     * @return this shape when it is an image shape
     * @throws IllegalArgumentException naming the layer when it is not
     */
    Shape requireImage(String layer) {
        if (!isImage()) {
            throw new IllegalArgumentException(layer + " needs an image input (H, W, C), got " + this);
        }
        return this;
    }

    /**
     * @param layer the layer's name, for the message
     * @return this shape when it is a vector shape
     * @throws IllegalArgumentException naming the layer when it is not
     */
    Shape requireVector(String layer) {
        if (isImage()) {
            throw new IllegalArgumentException(layer + " needs a vector input (d), got the image shape " + this
                    + ": add flatten() or globalAvgPool() before it");
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** @return e.g. {@code (64)} or {@code (28, 28, 1)} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
