package org.ntk4j.spark;

import java.io.Serializable;

/**
 * A run of consecutive samples, the unit the data is partitioned in.
 *
 * @param firstRow the index of the first sample
 * @param rows the number of samples
 * @param x row-major rows×d features
 * @param d the number of features
 */
record RowBlock(int firstRow, int rows, double[] x, int d) implements Serializable {

    private static final long serialVersionUID = 1L;
}
