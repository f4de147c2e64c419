package org.ntk4j.tck;

import java.util.Objects;

/**
 * A row-major matrix on the host, the form in which the kit builds inputs and references.
 *
 * @param rows the number of rows, ≥ 1
 * @param cols the number of columns, ≥ 1
 * @param data the row-major values, length rows·cols (held, not copied)
 */
public record HostMatrix(int rows, int cols, double[] data) {

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @param data the values, length rows·cols
     */
    public HostMatrix {
        Objects.requireNonNull(data, "data");
        if (rows < 1 || cols < 1 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("host matrix " + rows + "×" + cols + " with " + data.length + " values");
        }
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a new matrix of zeros
     */
    public static HostMatrix zeros(int rows, int cols) {
        return new HostMatrix(rows, cols, new double[rows * cols]);
    }

    /**
     * @param i the row
     * @param j the column
     * @return the element (i, j)
     */
    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /**
     * @param i the row
     * @param j the column
     * @param v the new value of element (i, j); this matrix is modified
     */
    public void set(int i, int j, double v) {
        data[i * cols + j] = v;
    }

    /** @return a deep copy */
    public HostMatrix copy() {
        return new HostMatrix(rows, cols, data.clone());
    }

    /** @return the shape as {@code "rows×cols"} */
    public String shape() {
        return rows + "×" + cols;
    }

    @Override
    public String toString() {
        return "HostMatrix[" + shape() + "]";
    }
}
