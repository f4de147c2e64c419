package org.ntk4j.backend.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.ActivationConformance;
import org.ntk4j.tck.DualConformance;
import org.ntk4j.tck.ElementwiseConformance;
import org.ntk4j.tck.GemmConformance;
import org.ntk4j.tck.LinearAlgebraConformance;
import org.ntk4j.tensor.Tensor;

/**
 * The kit must be able to fail: each case plants one fault in a forwarding wrapper around EJML and runs the one
 * kit test aimed at it through the JUnit Platform launcher; that test must fail with the fault and pass without.
 */
class ConformanceKitDetectsFaultsTest {

    /** Which fault the nested groups below plant; set before each launch. */
    static volatile Function<Backend, Backend> fault = b -> b;

    static Backend faulty() {
        return fault.apply(new EjmlBackendProvider().create(BackendOptions.defaults().withThreads(1)));
    }

    // The groups under test. Static nested, not @Nested, so that only the launcher below runs them.
    static class Gemm extends GemmConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    static class Elementwise extends ElementwiseConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    static class Activations extends ActivationConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    static class Duals extends DualConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    static class LinearAlgebra extends LinearAlgebraConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    private static Function<Backend, Backend> plant(String name) {
        switch (name) {
            case "beta=0 multiplies the old C":
                return b -> new DelegatingBackend(b) {
                    @Override public void gemm(double alpha, Tensor x, boolean tx, Tensor y, boolean ty, double beta, Tensor c) {
                        try (Tensor old = inner.copy(c)) {
                            inner.gemm(alpha, x, tx, y, ty, 0, c);
                            inner.axpby(1, c, beta, old, c); // 0·NaN = NaN
                        }
                    }
                };
            case "transB ignored for square B":
                return b -> new DelegatingBackend(b) {
                    @Override public void gemm(double alpha, Tensor x, boolean tx, Tensor y, boolean ty, double beta, Tensor c) {
                        inner.gemm(alpha, x, tx, y, ty && y.rows() != y.cols(), beta, c);
                    }
                };
            case "columnSums adds to what out held":
                return b -> new DelegatingBackend(b) {
                    @Override public void columnSums(Tensor a, Tensor out) {
                        try (Tensor old = inner.copy(out)) {
                            inner.columnSums(a, out);
                            inner.axpby(1, out, 1, old, out);
                        }
                    }
                };
            case "GELU derivative off by 1e-9":
                return b -> new DelegatingBackend(b) {
                    @Override public void mapDerivative(Activation f, Tensor x, Tensor out) {
                        inner.mapDerivative(f, x, out);
                        if (f.kind() == Activation.Kind.GELU) {
                            inner.affine(1, out, 1e-9, out);
                        }
                    }
                };
            case "ReLU dual derivative (π − θ)/π":
                return b -> new DelegatingBackend(b) {
                    @Override public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
                        inner.dualMap(f, k12, q1, q2, outK, outKdot);
                        if (f.kind() == Activation.Kind.RELU) {
                            inner.scale(2, outKdot, outKdot);
                        }
                    }
                };
            case "Cholesky reads the upper triangle":
                return b -> new DelegatingBackend(b) {
                    @Override public void choleskySolve(Tensor a, Tensor rhs, Tensor out) {
                        inner.luSolve(a, rhs, out);
                    }
                };
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static TestExecutionSummary launch(Class<?> group, String method, String parameters) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(group.getName() + "#" + method + "(" + parameters + ")")).build(), listener);
        return listener.getSummary();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "beta=0 multiplies the old C | Gemm | betaZeroIgnoresNaN | org.ntk4j.tensor.DType",
        "transB ignored for square B | Gemm | transposesAndShapes | org.ntk4j.tensor.DType, java.lang.String, boolean, boolean",
        "columnSums adds to what out held | Elementwise | reductions | org.ntk4j.tensor.DType, java.lang.String",
        "GELU derivative off by 1e-9 | Activations | mapDerivative | org.ntk4j.tensor.DType, org.ntk4j.backend.Activation",
        "ReLU dual derivative (π − θ)/π | Duals | closedForms | org.ntk4j.tensor.DType, org.ntk4j.backend.Activation",
        "Cholesky reads the upper triangle | LinearAlgebra | cholesky | org.ntk4j.tensor.DType",
    })
    @DisplayName("a planted fault makes the kit test aimed at it fail, and the same test passes without it")
    void faultIsDetected(String faultName, String group, String method, String parameters) throws ClassNotFoundException {
        Class<?> groupClass = Class.forName(ConformanceKitDetectsFaultsTest.class.getName() + "$" + group);
        try {
            fault = b -> b;
            TestExecutionSummary clean = launch(groupClass, method, parameters);
            assertTrue(clean.getTestsSucceededCount() > 0, "the test ran without the fault");
            assertEquals(0, clean.getTotalFailureCount(), () -> "without the fault: " + clean.getFailures());

            fault = plant(faultName);
            TestExecutionSummary broken = launch(groupClass, method, parameters);
            assertTrue(broken.getTotalFailureCount() > 0, "the kit did not notice: " + faultName);
        } finally {
            fault = b -> b;
        }
    }
}
