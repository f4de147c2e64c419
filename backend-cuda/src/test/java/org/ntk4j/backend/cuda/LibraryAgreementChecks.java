package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import org.ntk4j.train.MlpObjective;
import org.ntk4j.train.PhaseTimes;

/**
 * The library on the CUDA backend against the library on EJML: the empirical NTK of digits (full and traced)
 * and a run of proximal-ntk iterations (squared error, Cholesky solves; cross-entropy, LU solves), the same
 * seeded network on both. Subclasses say where the kernels run and how large the problems are.
 */
abstract class LibraryAgreementChecks {

    /** @return a new CUDA backend to test */
    abstract Backend newBackend();

    /** @return the number of digits in the kernel */
    abstract int kernelSamples();

    /** @return the hidden width of the kernel's network */
    abstract int kernelWidth();

    /** @return the number of proximal-ntk iterations */
    abstract int iterations();

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static void assertClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        double tol = relative * Math.max(1e-300, maxAbs(expected));
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", EJML gives " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    private double[] kernel(Backend b, Mlp mlp, Dataset data, OutputAxes axes, DType dtype) {
        int n = kernelSamples();
        try (TensorScope scope = b.scope()) {
            Tensor x = b.fromHost(Arrays.copyOf(data.features(), n * mlp.inputDim()), n, mlp.inputDim(), dtype);
            Params params = mlp.init(11).upload(b, dtype);
            return b.toHost(new EmpiricalNtk(mlp).withMeterRegistry(null).compute(params, x, axes));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("computes the digits empirical NTK (full and traced) as EJML does")
    void empiricalNtk(DType dtype) {
        Mlp mlp = Mlp.builder(64, kernelWidth(), kernelWidth(), 10).build();
        Dataset digits = Digits.load().scaled(1.0 / 16);
        double rel = dtype == DType.F32 ? 1e-4 : 1e-10;
        try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
             Backend cuda = newBackend()) {
            for (OutputAxes axes : OutputAxes.values()) {
                assertClose(kernel(ejml, mlp, digits, axes, DType.F64), kernel(cuda, mlp, digits, axes, dtype), rel,
                        "eNTK " + axes + " " + dtype);
            }
        }
    }

    /** @return {losses per iteration and after the last, final parameters} */
    private double[][] proximal(Backend backend, Loss loss) {
        int batch = 16;
        Mlp mlp = Mlp.builder(64, 16, 10).build();
        ProximalNtk proximal = ProximalNtk.defaults().withLearningRate(0.5).withBounds(1e-4, 1e9);
        Dataset digits = Digits.load().scaled(1.0 / 16);
        double[] losses = new double[iterations() + 1];
        try (TensorScope scope = backend.scope()) {
            Tensor x = backend.fromHost(Arrays.copyOf(digits.features(), batch * 64), batch, 64, DType.F64);
            Tensor y = backend.fromHost(Arrays.copyOf(digits.oneHot(), batch * 10), batch, 10, DType.F64);
            MlpObjective objective = new MlpObjective(mlp, loss, x, y, new EmpiricalNtk(mlp).withMeterRegistry(null),
                    new PhaseTimes(Clock.SYSTEM), null);
            Params params = mlp.init(20240611L).upload(backend, DType.F64);
            ProximalNtk.State state = proximal.init(params);
            for (int i = 0; i < iterations(); i++) {
                Update<ProximalNtk.State> u = proximal.update(objective, state, params);
                Params next = Optimizers.applyUpdates(params, u.updates());
                u.updates().close();
                params.close();
                params = next;
                state = u.state();
                losses[i] = state.lastLoss();
            }
            losses[iterations()] = objective.loss(params);
            return new double[][] {losses, params.toHostFlat()};
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    @DisplayName("takes the same proximal-ntk steps as EJML (F64)")
    void proximalNtk(Loss loss) {
        double[][] expected;
        try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults())) {
            expected = proximal(ejml, loss);
        }
        double[][] actual;
        try (Backend cuda = newBackend()) {
            actual = proximal(cuda, loss);
        }
        assertClose(expected[0], actual[0], 1e-8, loss + " losses");
        assertClose(expected[1], actual[1], 1e-6, loss + " final parameters");
    }
}
