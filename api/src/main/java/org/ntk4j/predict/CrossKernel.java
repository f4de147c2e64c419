package org.ntk4j.predict;

import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.ModelNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A scalar kernel function that computes one cross block K(X_a, X_b) on a backend: what the large-N solvers
 * ({@link Falkon}) need of a kernel, so that they never ask for more than a tile at a time.
 */
@FunctionalInterface
public interface CrossKernel {

    /**
     * The block K(X_a, X_b).
     *
     * @param backend the backend the inputs live on
     * @param xa Na×d inputs (not modified)
     * @param xb Nb×d inputs (not modified)
     * @return a new Na×Nb tensor, owned by the caller or the current scope
     */
    Tensor block(Backend backend, Tensor xa, Tensor xb);

    /**
     * The analytic NTK of an MLP architecture.
     *
     * @param kernel the infinite-width kernels
     * @return K = Θ
     */
    static CrossKernel analyticNtk(AnalyticNtk kernel) {
        Objects.requireNonNull(kernel, "kernel");
        return (be, xa, xb) -> {
            try (TensorScope scope = be.scope()) {
                return scope.keep(kernel.compute(be, xa, xb).ntk());
            }
        };
    }

    /**
     * The analytic NNGP kernel of an MLP architecture.
     *
     * @param kernel the infinite-width kernels
     * @return K = Σ
     */
    static CrossKernel analyticNngp(AnalyticNtk kernel) {
        Objects.requireNonNull(kernel, "kernel");
        return (be, xa, xb) -> {
            try (TensorScope scope = be.scope()) {
                return scope.keep(kernel.compute(be, xa, xb).nngp());
            }
        };
    }

    /**
     * The traced empirical NTK (averaged over the outputs) of a network at given parameters.
     *
     * @param kernel the empirical kernel of the network
     * @param params its parameters (not modified; must stay open while the kernel is used, on the backend
     *               the blocks are asked of)
     * @return K = Θ traced
     */
    static CrossKernel empiricalNtk(EmpiricalNtk kernel, Params params) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(params, "params");
        return (be, xa, xb) -> {
            requireSameBackend(be, params);
            return kernel.compute(params, xa, xb, OutputAxes.TRACED);
        };
    }

    /**
     * The traced empirical NTK (averaged over the outputs) of a layered model at given parameters: the structured
     * kernel for a dense chain, the generic one otherwise.
     *
     * @param kernel the empirical kernel of the model
     * @param params its parameters (not modified; must stay open while the kernel is used, on the backend
     *               the blocks are asked of)
     * @return K = Θ traced
     */
    static CrossKernel empiricalNtk(ModelNtk kernel, Params params) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(params, "params");
        return (be, xa, xb) -> {
            requireSameBackend(be, params);
            return kernel.compute(params, xa, xb, OutputAxes.TRACED);
        };
    }

    private static void requireSameBackend(Backend be, Params params) {
        if (be != params.backend()) {
            throw new IllegalArgumentException("empirical kernel: the parameters live on " + params.backend().name()
                    + ", the inputs on " + be.name());
        }
    }
}
