package org.ntk4j.kernel;

import java.util.Objects;

/**
 * A row-major matrix on the host, as a tiled kernel computation returns it (its tiles were computed on the
 * backend one by one, so the whole matrix never had to fit there).
 *
 * @param data row-major values, length rows·cols (shared, not copied)
 * @param rows the number of rows
 * @param cols the number of columns
 */
public record HostMatrix(double[] data, int rows, int cols) {

    /**
     * @param data row-major values, length rows·cols
     * @param rows the number of rows ≥ 1
     * @param cols the number of columns ≥ 1
     */
    public HostMatrix {
        Objects.requireNonNull(data, "data");
        if (rows < 1 || cols < 1 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("host matrix " + rows + "×" + cols + " with " + data.length + " values");
        }
    }

    /**
     * @param i the row
     * @param j the column
     * @return the element
     */
    public double get(int i, int j) {
        return data[i * cols + j];
    }
}
