package org.ntk4j.backend;

import org.ntk4j.tensor.Tensor;

/**
 * The eigendecomposition A = V·diag(values)·Vᵀ of a symmetric matrix, as returned by
 * {@link Backend#symmetricEigen}. Both tensors belong to the caller (or the current scope); closing this
 * record closes them.
 *
 * @param values n×1, the eigenvalues in ascending order
 * @param vectors n×n, column j the unit eigenvector of {@code values[j]}; the columns are orthonormal
 */
public record SymmetricEigen(Tensor values, Tensor vectors) implements AutoCloseable {

    /** Closes both tensors. */
    @Override
    public void close() {
        values.close();
        vectors.close();
    }
}
