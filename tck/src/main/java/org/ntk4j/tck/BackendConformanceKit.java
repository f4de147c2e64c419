package org.ntk4j.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.ntk4j.backend.Backend;

/**
 * The backend conformance kit: extend it in a test of your backend, implement {@link #createBackend()}, and
 * every group of checks runs, once for each dtype the backend lists in {@link Backend#dtypes()}.
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends BackendConformanceKit {
 *     @Override
 *     protected Backend createBackend() {
 *         return new MyBackendProvider().create(BackendOptions.defaults());
 *     }
 * }
 * }</pre>
 *
 * <p>Each group is also a public abstract class of its own ({@link MemoryConformance}, {@link GemmConformance},
 * …) that a backend may extend alone. References are plain Java loops ({@link Reference}, {@link DualReference});
 * tolerances come from one table ({@link Tolerance}).
 *
 * <p>Build tools name the nested groups' reports after this class ({@code BackendConformanceKit$Gemm}), so two
 * subclasses in one module would write the same report files: to run the kit on a second backend in the same
 * module, nest the groups in that test class instead.
 */
public abstract class BackendConformanceKit {

    /** For subclasses. */
    protected BackendConformanceKit() {
    }

    /**
     * Creates a new instance of the backend under test; called once per group, and once more by the scope
     * group, which needs two instances.
     *
     * @return a new backend; the kit closes it
     */
    protected abstract Backend createBackend();

    @Nested
    @DisplayName("memory: zeros, host round trips, copy, gatherRows, concatRows, transpose")
    class Memory extends MemoryConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("gemm: every transpose combination, alpha and beta, edge shapes, argument checks")
    class Gemm extends GemmConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("elementwise: axpby, hadamard, affine, scale, addRowVector, reductions, dot")
    class Elementwise extends ElementwiseConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("activations: map and mapDerivative for every kind")
    class Activations extends ActivationConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("duals: dualMap against closed forms, the host reference and Monte Carlo")
    class Duals extends DualConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("linear algebra: Cholesky, LU and symmetric eigen")
    class LinearAlgebra extends LinearAlgebraConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("triangles: factor, solve, Gram product, mirror and diagonal on one triangle of a shared buffer")
    class Triangles extends TriangleConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("composites: gram, crossGram, dense forward and backward, NTK layer accumulation")
    class Composites extends CompositeConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("windows: im2col, col2im, segmentedOuterSums and reshape")
    class Windows extends WindowConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("scopes: tensor life cycle, closed and foreign tensors")
    class Scopes extends ScopeConformance {
        @Override
        protected Backend createBackend() {
            return BackendConformanceKit.this.createBackend();
        }
    }
}
