package org.ntk4j.nn.layers;

import java.util.Arrays;

/**
 * One parameter tensor of a layer: its name, its logical shape, and the standard deviation of its
 * initialization (values are drawn as {@code initStd}·N(0, 1) on the host).
 *
 * <p>On a backend the parameter is a 2-D tensor of {@link #rows()} × {@link #cols()}: the product of all but
 * the last dimension by the last one (a vector (n) is 1 × n), so a dense weight (d_in, d_out) is d_in × d_out and
 * a conv kernel (kh, kw, C_in, C_out) is (kh·kw·C_in) × C_out, row-major as in the {@code .npz} file.
 */
public final class ParamSpec {

    private final String name;
    private final int[] shape;
    private final double initStd;

    /**
     * @param name the name, unique within its layer (e.g. {@code W}, {@code b}, {@code K})
     * @param initStd the standard deviation of the initial values, ≥ 0
     * @param shape the logical shape, every dimension ≥ 1 (not modified, copied)
     */
    public ParamSpec(String name, double initStd, int... shape) {
        if (name.isEmpty() || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1) || !(initStd >= 0)) {
            throw new IllegalArgumentException("parameter '" + name + "' with shape " + Arrays.toString(shape)
                    + " and initial standard deviation " + initStd);
        }
        this.name = name;
        this.shape = shape.clone();
        this.initStd = initStd;
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return a copy of the logical shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the standard deviation of the initial values */
    public double initStd() {
        return initStd;
    }

    /** @return the rows of the backend tensor: the product of all but the last dimension (1 for a vector) */
    public int rows() {
        return size() / cols();
    }

    /** @return the columns of the backend tensor: the last dimension */
    public int cols() {
        return shape[shape.length - 1];
    }

    /** @return the number of values */
    public int size() {
        int s = 1;
        for (int d : shape) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }

    /**
     * @param prefix the prefix, e.g. {@code "2/"}
     * @return the same parameter under the name prefix + name
     */
    ParamSpec prefixed(String prefix) {
        return new ParamSpec(prefix + name, initStd, shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
