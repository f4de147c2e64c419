package org.ntk4j.nn.layers;

import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * What a layer's forward pass kept: its output and whatever its backward pass needs. It reads the input and
 * the parameter tensors it was made with, which must stay open until it is closed.
 *
 * <p>Cotangents have one row per sample, like the output: for output cotangent G the backward passes compute
 * the derivatives of ⟨G, f(x; θ)⟩.
 */
public interface LayerTrace extends AutoCloseable {

    /** @return N × output-size outputs (owned by the trace: do not close) */
    Tensor output();

    /**
     * The vector–Jacobian product: the derivatives of ⟨G, f(x; θ)⟩ with respect to the input and to every
     * parameter, summed over the batch (the gradient a training step needs).
     *
     * @param cotangent N × output-size output cotangent G (not modified)
     * @return new tensors: the input cotangent and one cotangent per parameter, in the parameters' 2-D shapes
     */
    Cotangents vjp(Tensor cotangent);

    /**
     * The per-sample backward pass of the empirical NTK: hands every parameter's per-sample Jacobian rows to the
     * sink (row n of parameter k's tile is the derivative of ⟨G_n, f(x_n; θ)⟩ with respect to parameter k,
     * flattened row-major; parameters in the order of {@link Layer#parameters}, those of inner layers too), and
     * returns the input cotangent.
     *
     * @param cotangent N × output-size output cotangent G (not modified)
     * @param needInput whether the caller needs the input cotangent
     * @param sink receives each parameter's N × size tile, which it then owns
     * @return a new N × input-size input cotangent, or {@code null} when {@code needInput} is false
     */
    Tensor backward(Tensor cotangent, boolean needInput, JacobianSink sink);

    /** Closes what the forward pass made (not the input, not the parameters). Idempotent. */
    @Override
    void close();

    /**
     * The result of a vector–Jacobian product.
     *
     * @param input the input cotangent, N × input-size
     * @param params one cotangent per parameter, in the parameters' order and 2-D shapes
     */
    record Cotangents(Tensor input, List<Tensor> params) implements AutoCloseable {

        /** Closes every tensor. */
        @Override
        public void close() {
            input.close();
            params.forEach(Tensor::close);
        }
    }

    /**
     * Row-wise outer products: row n of the result is scale·(left_n ⊗ right_n), element (i, j) at column
     * i·right.cols() + j.
     *
     * @param scale the factor
     * @param left N × p (not modified)
     * @param right N × q (not modified)
     * @return a new N × (p·q) tensor on their backend
     */
    static Tensor outerRows(double scale, Tensor left, Tensor right) {
        if (left.rows() != right.rows()) {
            throw new IllegalArgumentException("outer rows: left is " + left.shape() + ", right is " + right.shape());
        }
        Backend be = left.backend();
        Tensor rows = Ops.rowKron(be, left, right);
        be.scale(scale, rows, rows);
        return rows;
    }

    /** Receives the per-sample Jacobian tiles of a backward pass. */
    @FunctionalInterface
    interface JacobianSink {

        /**
         * @param param the parameter's index among the layer's parameters
         * @param rows N × size per-sample Jacobian rows; the sink owns it (closes it or keeps it)
         */
        void accept(int param, Tensor rows);

        /**
         * Parameter {@code param}'s rows in factored form: row n is scale·(left_n ⊗ right_n), element (i, j) at
         * column i·right.cols() + j (a dense layer's weight rows are its inputs ⊗ its output cotangents). A
         * consumer that only needs inner products of rows can use (L·L'ᵀ) ∘ (R·R'ᵀ) and never form them. The
         * default forms the rows and calls {@link #accept}.
         *
         * @param param the parameter's index among the layer's parameters
         * @param scale the factor
         * @param left N × p (not modified, not owned: valid only during the call)
         * @param right N × q (not modified, not owned: valid only during the call)
         */
        default void acceptOuter(int param, double scale, Tensor left, Tensor right) {
            accept(param, outerRows(scale, left, right));
        }

        /**
         * @param offset added to every parameter index
         * @return a sink that forwards both forms to this one with shifted indices
         */
        default JacobianSink shifted(int offset) {
            JacobianSink target = this;
            return new JacobianSink() {
                @Override
                public void accept(int param, Tensor rows) {
                    target.accept(offset + param, rows);
                }

                @Override
                public void acceptOuter(int param, double scale, Tensor left, Tensor right) {
                    target.acceptOuter(offset + param, scale, left, right);
                }
            };
        }
    }
}
