package org.ntk4j.tck.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.ntk4j.backend.Backend;

/**
 * The model conformance kit: the behaviour of layered models, the generic empirical NTK, the model objective and
 * training, run on the backend under test. Extend it in a test of your backend and implement
 * {@link #createBackend()}, as with {@link org.ntk4j.tck.BackendConformanceKit}:
 *
 * <pre>{@code
 * class MyBackendModelConformanceTest extends ModelConformanceKit {
 *     @Override
 *     protected Backend createBackend() {
 *         return new MyBackendProvider().create(BackendOptions.defaults());
 *     }
 * }
 * }</pre>
 *
 * <p>Each group is also a public abstract class that a backend may extend alone. References are host loops,
 * finite differences and the structured MLP path; everything runs in F64.
 */
public abstract class ModelConformanceKit {

    /** For subclasses. */
    protected ModelConformanceKit() {
    }

    /**
     * Creates a new instance of the backend under test; called once per group.
     *
     * @return a new backend; the kit closes it
     */
    protected abstract Backend createBackend();

    @Nested
    @DisplayName("layers: forward passes against host loops")
    class Forward extends LayerForwardConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("layers: vjp and per-sample Jacobian rows against finite differences")
    class Gradients extends LayerGradientConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("generic empirical NTK: finite-difference Jacobians and the structured kernel")
    class Kernel extends GenericNtkConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("model objective: gradients, linearization, every optimizer")
    class Objective extends ModelObjectiveConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("user activations: one class each, in training, the empirical NTK and the analytic kernels")
    class UserActivations extends UserActivationConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceKit.this.createBackend();
        }
    }

    @Nested
    @DisplayName("training: layered models learn, checkpoints resume, dense chains follow the MLP path")
    class Training extends LayerTrainingConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceKit.this.createBackend();
        }
    }
}
