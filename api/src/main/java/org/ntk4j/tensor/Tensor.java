package org.ntk4j.tensor;

import org.ntk4j.backend.Backend;

/**
 * An opaque, backend-owned, row-major two-dimensional matrix. A vector is a 1×n or n×1 tensor.
 *
 * <p>Tensors carry no operations: every operation lives on the {@link Backend} that made the tensor, and
 * an operation given a tensor of another backend, or a closed tensor, fails with an
 * {@link IllegalArgumentException} or {@link IllegalStateException} that says so. Tensors hold native or
 * device memory on some backends, so close them, or make them inside a {@link TensorScope}.
 */
public interface Tensor extends AutoCloseable {

    /** @return the number of rows (at least 1) */
    int rows();

    /** @return the number of columns (at least 1) */
    int cols();

    /** @return the element type */
    DType dtype();

    /** @return the backend that owns this tensor's memory */
    Backend backend();

    /** @return whether {@link #close()} has been called */
    boolean isClosed();

    /** Releases the tensor's memory. Idempotent. Using the tensor afterwards fails with a clear message. */
    @Override
    void close();

    /** @return rows × cols */
    default long size() {
        return (long) rows() * cols();
    }

    /** @return the shape as {@code "rows×cols"}, for messages */
    default String shape() {
        return rows() + "×" + cols();
    }
}
