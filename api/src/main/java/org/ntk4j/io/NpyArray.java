package org.ntk4j.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A 1-D or 2-D array as stored in a {@code .npy} file: an element type, a shape and the values in C (row-major)
 * order. Floating-point values are held as {@code double} (exact for both float types), integers as
 * {@code long} (exact for both integer types). Instances are immutable: arrays are copied in and out.
 */
public final class NpyArray {

    private final NpyType type;
    private final int[] shape;
    private final double[] floats;
    private final long[] ints;

    private NpyArray(NpyType type, int[] shape, double[] floats, long[] ints) {
        this.type = Objects.requireNonNull(type, "type");
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("only 1-D and 2-D arrays are supported, got shape "
                    + Arrays.toString(shape));
        }
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        int length = floats != null ? floats.length : ints.length;
        if (n != length) {
            throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
        }
        this.shape = shape.clone();
        this.floats = floats;
        this.ints = ints;
    }

    /**
     * @param values row-major values (copied)
     * @param shape one or two dimensions whose product is {@code values.length}
     * @return a {@code <f8} array
     */
    public static NpyArray ofDoubles(double[] values, int... shape) {
        return new NpyArray(NpyType.FLOAT64, shape, values.clone(), null);
    }

    /**
     * @param values row-major values (copied)
     * @param shape one or two dimensions whose product is {@code values.length}
     * @return a {@code <f4} array
     */
    public static NpyArray ofFloats(float[] values, int... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new NpyArray(NpyType.FLOAT32, shape, d, null);
    }

    /**
     * @param values row-major values (copied)
     * @param shape one or two dimensions whose product is {@code values.length}
     * @return an {@code <i4} array
     */
    public static NpyArray ofInts(int[] values, int... shape) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        return new NpyArray(NpyType.INT32, shape, null, l);
    }

    /**
     * @param values row-major values (copied)
     * @param shape one or two dimensions whose product is {@code values.length}
     * @return an {@code <i8} array
     */
    public static NpyArray ofLongs(long[] values, int... shape) {
        return new NpyArray(NpyType.INT64, shape, null, values.clone());
    }

    /** Wraps decoded values without copying; for the reader. */
    static NpyArray wrap(NpyType type, int[] shape, double[] floats, long[] ints) {
        return new NpyArray(type, shape, floats, ints);
    }

    /** @return the element type */
    public NpyType type() {
        return type;
    }

    /** @return a copy of the shape (one or two dimensions) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions, 1 or 2 */
    public int ndim() {
        return shape.length;
    }

    /** @return the number of rows: the first dimension */
    public int rows() {
        return shape[0];
    }

    /** @return the number of columns: the second dimension, or 1 for a 1-D array */
    public int cols() {
        return shape.length == 2 ? shape[1] : 1;
    }

    /** @return the number of elements */
    public int size() {
        return floats != null ? floats.length : ints.length;
    }

    /** @return the values as doubles, row-major (a copy; 64-bit integers beyond 2⁵³ are rounded) */
    public double[] toDoubles() {
        if (floats != null) {
            return floats.clone();
        }
        double[] d = new double[ints.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = ints[i];
        }
        return d;
    }

    /**
     * @return the values as longs, row-major (a copy)
     * @throws IllegalStateException if the array holds floating-point values
     */
    public long[] toLongs() {
        if (ints == null) {
            throw new IllegalStateException("a " + type.descr() + " array holds floating-point values, not integers");
        }
        return ints.clone();
    }

    /**
     * @return the values as ints, row-major (a copy)
     * @throws IllegalStateException if the array holds floating-point values or an integer beyond the int range
     */
    public int[] toInts() {
        long[] l = toLongs();
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) {
                throw new IllegalStateException("element " + i + " = " + l[i] + " does not fit in an int");
            }
            r[i] = (int) l[i];
        }
        return r;
    }

    /** Direct access for the writer (not copied). */
    double[] floatValues() {
        return floats;
    }

    /** Direct access for the writer (not copied). */
    long[] intValues() {
        return ints;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.type == type && Arrays.equals(a.shape, shape)
                && Arrays.equals(a.floats, floats) && Arrays.equals(a.ints, ints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(ints));
    }

    @Override
    public String toString() {
        return "NpyArray[" + type.descr() + " " + Arrays.toString(shape) + "]";
    }
}
