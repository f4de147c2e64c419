package org.ntk4j.tensor;

/**
 * A region of code whose tensors are closed together: every tensor a backend makes on this thread while the
 * scope is the innermost open one belongs to it, and {@link #close()} closes them all except those handed
 * out with {@link #keep(Tensor)}. Scopes nest; a kept tensor moves to the enclosing scope, if there is one,
 * and closing an outer scope closes the inner scopes still open inside it.
 *
 * <pre>{@code
 * try (TensorScope scope = backend.scope()) {
 *     Tensor tmp = backend.zeros(n, n, DType.F64);
 *     Tensor result = ...;
 *     return scope.keep(result);
 * }
 * }</pre>
 */
public interface TensorScope extends AutoCloseable {

    /**
     * Takes a tensor out of this scope so that closing the scope leaves it open; it then belongs to the
     * enclosing scope, or to the caller if there is none.
     *
     * @param tensor a tensor of this scope's backend (not modified)
     * @param <T> the tensor's type
     * @return {@code tensor}, for chaining
     */
    <T extends Tensor> T keep(T tensor);

    /** Closes every tensor still owned by this scope and every scope opened inside it. Idempotent. */
    @Override
    void close();
}
