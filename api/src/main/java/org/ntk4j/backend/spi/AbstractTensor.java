package org.ntk4j.backend.spi;

import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * A base for backends' tensor classes: shape, dtype, owner, the closed flag, scope membership and the
 * checks every operation makes on its arguments. A subclass frees its memory in {@link #release()}.
 */
public abstract class AbstractTensor implements Tensor {

    private final Backend backend;
    private final int rows;
    private final int cols;
    private final DType dtype;
    private boolean closed;
    ScopeStack.Scope owner;

    /**
     * Makes the tensor and registers it with the calling thread's innermost open scope.
     *
     * @param backend the owning backend
     * @param scopes the backend's scope stack
     * @param rows the number of rows, ≥ 1
     * @param cols the number of columns, ≥ 1
     * @param dtype the element type
     */
    protected AbstractTensor(Backend backend, ScopeStack scopes, int rows, int cols, DType dtype) {
        Checks.requireDimensions(rows, cols);
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.dtype = dtype;
        scopes.register(this);
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner != null) {
            owner.forget(this);
            owner = null;
        }
        release();
    }

    /** Frees the tensor's memory; called once, by the first {@link #close()}. */
    protected abstract void release();

    /**
     * Checks that a tensor argument is open and belongs to the given backend, and casts it.
     *
     * @param t the argument
     * @param backend the backend running the operation
     * @param type the backend's tensor class
     * @param <T> the backend's tensor class
     * @return {@code t}, cast
     * @throws IllegalArgumentException if it belongs to another backend
     * @throws IllegalStateException if it is closed
     */
    public static <T extends AbstractTensor> T own(Tensor t, Backend backend, Class<T> type) {
        if (t == null) {
            throw new NullPointerException("tensor argument is null");
        }
        if (t.backend() != backend || !type.isInstance(t)) {
            throw new IllegalArgumentException("tensor " + t.shape() + " belongs to backend '" + t.backend().name()
                    + "', not to this '" + backend.name() + "' backend");
        }
        if (t.isClosed()) {
            throw new IllegalStateException("tensor " + t.shape() + " is closed");
        }
        return type.cast(t);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + shape() + " " + dtype + (closed ? ", closed]" : "]");
    }
}
