package org.ntk4j.backend.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tck.ActivationConformance;
import org.ntk4j.tck.CompositeConformance;
import org.ntk4j.tck.DualConformance;
import org.ntk4j.tck.ElementwiseConformance;
import org.ntk4j.tck.GemmConformance;
import org.ntk4j.tck.LinearAlgebraConformance;
import org.ntk4j.tck.MemoryConformance;
import org.ntk4j.tck.ScopeConformance;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The kit must be able to fail: each case plants one fault in a forwarding wrapper around EJML and runs the one
 * kit test aimed at it through the JUnit Platform launcher; that test must fail with the fault and pass without.
 * A fault in {@code fromHost} runs the whole kit, to show that it fails its own test and no other.
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

    static class Memory extends MemoryConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    static class Composites extends CompositeConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    static class Scopes extends ScopeConformance {
        @Override protected Backend createBackend() { return faulty(); }
    }

    /**
     * Solves A·X = B on the host by Doolittle LU, with or without row exchanges, refusing only an exactly zero
     * pivot: the two classic ways to get LU wrong.
     */
    static double[] hostLu(double[] a, double[] b, int n, int k, boolean pivoting) {
        double[] lu = a.clone();
        double[] x = b.clone();
        for (int j = 0; j < n; j++) {
            int p = j;
            for (int i = j + 1; pivoting && i < n; i++) {
                if (Math.abs(lu[i * n + j]) > Math.abs(lu[p * n + j])) {
                    p = i;
                }
            }
            for (int c = 0; p != j && c < n; c++) {
                double t = lu[j * n + c]; lu[j * n + c] = lu[p * n + c]; lu[p * n + c] = t;
            }
            for (int c = 0; p != j && c < k; c++) {
                double t = x[j * k + c]; x[j * k + c] = x[p * k + c]; x[p * k + c] = t;
            }
            if (lu[j * n + j] == 0) {
                throw new SingularMatrixException("luSolve: zero pivot " + j);
            }
            for (int i = j + 1; i < n; i++) {
                double l = lu[i * n + j] / lu[j * n + j];
                for (int c = j; c < n; c++) {
                    lu[i * n + c] -= l * lu[j * n + c];
                }
                for (int c = 0; c < k; c++) {
                    x[i * k + c] -= l * x[j * k + c];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int c = 0; c < k; c++) {
                double s = x[i * k + c];
                for (int m = i + 1; m < n; m++) {
                    s -= lu[i * n + m] * x[m * k + c];
                }
                x[i * k + c] = s / lu[i * n + i];
            }
        }
        return x;
    }

    /** A backend whose luSolve is {@link #hostLu}. */
    static Backend withHostLu(Backend b, boolean pivoting) {
        return new DelegatingBackend(b) {
            @Override public void luSolve(Tensor a, Tensor rhs, Tensor out) {
                double[] x = hostLu(inner.toHost(a), inner.toHost(rhs), a.rows(), rhs.cols(), pivoting);
                try (Tensor t = inner.fromHost(x, out.rows(), out.cols(), out.dtype())) {
                    inner.affine(1, t, 0, out);
                }
            }
        };
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
                        if (Activation.GELU.equals(f)) {
                            inner.affine(1, out, 1e-9, out);
                        }
                    }
                };
            case "ReLU dual derivative (π − θ)/π":
                return b -> new DelegatingBackend(b) {
                    @Override public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
                        inner.dualMap(f, k12, q1, q2, outK, outKdot);
                        if (Activation.RELU.equals(f)) {
                            inner.scale(2, outKdot, outKdot);
                        }
                    }
                };
            case "LU without row exchanges":
                return b -> withHostLu(b, false);
            case "LU that refuses only an exactly zero pivot":
                return b -> withHostLu(b, true);
            case "dualMap does not check outKdot":
                return b -> new DelegatingBackend(b) {
                    @Override public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
                        if (!outKdot.isClosed()) {
                            inner.dualMap(f, k12, q1, q2, outK, outKdot);
                        }
                    }
                };
            case "symmetricEigen of another instance's tensor":
                return b -> new DelegatingBackend(b) {
                    @Override public SymmetricEigen symmetricEigen(Tensor a) {
                        if (a.backend() != this && a.backend() != inner) {
                            return inner.symmetricEigen(inner.fromHost(a.backend().toHost(a), a.rows(), a.cols(), a.dtype()));
                        }
                        return inner.symmetricEigen(a);
                    }
                };
            case "Cholesky reads the upper triangle":
                return b -> new DelegatingBackend(b) {
                    @Override public void choleskySolve(Tensor a, Tensor rhs, Tensor out) {
                        inner.luSolve(a, rhs, out);
                    }
                };
            case "adamUpdate without the second moment's bias correction":
                return b -> new DelegatingBackend(b) {
                    @Override public void adamUpdate(Tensor g, Tensor m, Tensor v, double beta1, double beta2,
                                                     double step, double vScale, double eps, Tensor mOut, Tensor vOut,
                                                     Tensor uOut) {
                        super.adamUpdate(g, m, v, beta1, beta2, step, 1, eps, mOut, vOut, uOut);
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
        "adamUpdate without the second moment's bias correction | Composites | adamUpdate | org.ntk4j.tensor.DType",
        "LU without row exchanges | LinearAlgebra | luNeedsPivoting | org.ntk4j.tensor.DType",
        "LU that refuses only an exactly zero pivot | LinearAlgebra | singularToWorkingPrecision | org.ntk4j.tensor.DType",
        "dualMap does not check outKdot | Scopes | closedTensorRejected | org.ntk4j.tensor.DType",
        "symmetricEigen of another instance's tensor | Scopes | foreignTensorRejected | org.ntk4j.tensor.DType",
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

    /** Runs every group of the kit on {@link #faulty()} and returns the unique ids of the tests that failed. */
    private static List<String> failuresOfWholeKit(List<String> messages) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> group : List.of(Memory.class, Gemm.class, Elementwise.class, Activations.class, Duals.class,
                LinearAlgebra.class, Composites.class, Scopes.class)) {
            request.selectors(selectClass(group));
        }
        launcher.execute(request.build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        assertTrue(summary.getTestsSucceededCount() > 100, "the kit ran: " + summary.getTestsSucceededCount());
        summary.getFailures().forEach(f -> messages.add(String.valueOf(f.getException())));
        return summary.getFailures().stream().map(f -> f.getTestIdentifier().getUniqueId()).collect(Collectors.toList());
    }

    @Test
    @DisplayName("a fromHost that keeps the caller's array fails hostArraysAreCopied and no other test of the kit")
    void aliasingFromHostFailsOneTest() {
        try {
            // the forwarding wrapper alone fails the check that tensor.backend() is the backend under test:
            // that is the baseline the fault is compared with
            fault = b -> new DelegatingBackend(b);
            List<String> baseline = failuresOfWholeKit(new ArrayList<>());
            fault = b -> new DelegatingBackend(b) {
                @Override public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
                    EjmlTensor t = (EjmlTensor) inner.fromHost(data, rows, cols, dtype);
                    t.matrix().data = data; // the tensor's storage is now the caller's array
                    return t;
                }
            };
            List<String> messages = new ArrayList<>();
            List<String> failed = failuresOfWholeKit(messages);
            failed.removeAll(baseline);
            assertEquals(1, failed.size(), () -> "failed beyond the wrapper's own: " + failed + "\n" + messages);
            assertTrue(failed.get(0).contains("MemoryConformance#hostArraysAreCopied"), failed.toString());
            assertTrue(messages.stream().anyMatch(m -> m.contains("fromHost must copy it")), messages.toString());
        } finally {
            fault = b -> b;
        }
    }
}
