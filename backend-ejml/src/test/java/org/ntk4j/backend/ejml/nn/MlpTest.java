package org.ntk4j.backend.ejml.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.Params;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

class MlpTest {

    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    static double[] randn(long seed, int n) {
        return TestBackends.uniform(seed, n, 1.5);
    }

    /** Host reference forward pass: plain loops, independent of the backend. */
    static double[] hostForward(MlpParams p, double[] x, int n) {
        Mlp m = p.mlp();
        double[] cur = x;
        for (int l = 0; l < m.depth(); l++) {
            int din = m.width(l);
            int dout = m.width(l + 1);
            double[] w = p.weight(l);
            double[] b = m.hasBias() ? p.bias(l) : null;
            double[] z = new double[n * dout];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dout; j++) {
                    double s = 0;
                    for (int k = 0; k < din; k++) {
                        s += cur[i * din + k] * w[k * dout + j];
                    }
                    z[i * dout + j] = m.weightScale(l) * s + (b == null ? 0 : m.biasScale() * b[j]);
                }
            }
            if (l + 1 < m.depth()) {
                for (int k = 0; k < z.length; k++) {
                    z[k] = m.activation().apply(z[k]);
                }
            }
            cur = z;
        }
        return cur;
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of(Mlp.builder(3, 5, 2).activation(Activation.RELU).build()),
                Arguments.of(Mlp.builder(4, 6, 5, 3).activation(Activation.TANH).sigmaW(1.3).sigmaB(0.4).build()),
                Arguments.of(Mlp.builder(4, 6, 5, 3).activation(Activation.ERF)
                        .parameterization(Parameterization.STANDARD).sigmaB(0.3).build()),
                Arguments.of(Mlp.builder(2, 7, 4, 3, 2).activation(Activation.GELU).bias(false).build()),
                Arguments.of(Mlp.builder(3, 4, 2).activation(Activation.SOFTPLUS)
                        .parameterization(Parameterization.STANDARD).bias(false).build()),
                Arguments.of(Mlp.builder(5, 3).build()));
    }

    @ParameterizedTest
    @MethodSource("networks")
    @DisplayName("the forward pass equals a plain host loop")
    void forwardMatchesHost(Mlp mlp) {
        int n = 4;
        MlpParams p = mlp.init(11);
        double[] x = randn(3, n * mlp.inputDim());
        try (TensorScope s = be.scope()) {
            Params dp = p.upload(be, DType.F64);
            Tensor xt = be.fromHost(x, n, mlp.inputDim(), DType.F64);
            double[] f = be.toHost(mlp.apply(dp, xt));
            assertArrayEquals(hostForward(p, x, n), f, 1e-12);
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    @DisplayName("vjp equals central finite differences of <G, f(X)> for every parameter")
    void vjpMatchesFiniteDifferences(Mlp mlp) {
        int n = 3;
        MlpParams p = mlp.init(5);
        double[] x = randn(7, n * mlp.inputDim());
        double[] g = randn(9, n * mlp.outputDim());
        double[] analytic;
        try (TensorScope s = be.scope()) {
            Params dp = p.upload(be, DType.F64);
            Tensor xt = be.fromHost(x, n, mlp.inputDim(), DType.F64);
            Tensor gt = be.fromHost(g, n, mlp.outputDim(), DType.F64);
            try (ForwardTrace t = mlp.forward(dp, xt); Params grad = mlp.vjp(dp, t, gt)) {
                analytic = grad.toHostFlat();
            }
        }
        double[] theta = p.flatten();
        double h = 1e-5;
        for (int k = 0; k < theta.length; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            double fp = inner(g, hostForward(MlpParams.unflatten(mlp, plus), x, n));
            double fm = inner(g, hostForward(MlpParams.unflatten(mlp, minus), x, n));
            double fd = (fp - fm) / (2 * h);
            assertEquals(fd, analytic[k], 1e-7 * Math.max(1, Math.abs(fd)), "parameter " + k + " of " + mlp);
        }
    }

    @Test
    @DisplayName("a trace outlives the scopes it is read in: derivatives first used in a closed scope, then vjp")
    void traceSurvivesNestedScopes() {
        Mlp mlp = Mlp.builder(4, 6, 5, 3).activation(Activation.TANH).sigmaB(0.2).build();
        int n = 3;
        MlpParams p = mlp.init(21);
        double[] x = randn(22, n * mlp.inputDim());
        double[] g = randn(23, n * mlp.outputDim());
        double[] expected;
        try (TensorScope s = be.scope()) {
            Params dp = p.upload(be, DType.F64);
            Tensor xt = be.fromHost(x, n, mlp.inputDim(), DType.F64);
            Tensor gt = be.fromHost(g, n, mlp.outputDim(), DType.F64);
            try (ForwardTrace t = mlp.forward(dp, xt); Params grad = mlp.vjp(dp, t, gt)) {
                expected = grad.toHostFlat();
            }
        }
        // no scope open: the trace and its inputs belong to this test
        Params dp = p.upload(be, DType.F64);
        Tensor xt = be.fromHost(x, n, mlp.inputDim(), DType.F64);
        Tensor gt = be.fromHost(g, n, mlp.outputDim(), DType.F64);
        try (ForwardTrace t = mlp.forward(dp, xt)) {
            try (TensorScope inner = be.scope()) {
                Tensor k = new EmpiricalNtk(mlp).withMeterRegistry(null).compute(dp, t, OutputAxes.FULL);
                assertEquals(n * mlp.outputDim(), k.rows());
                try (TensorScope deeper = be.scope()) {
                    assertEquals(n, t.derivative(0).rows());
                    assertEquals(n, t.derivative(1).rows());
                }
            }
            try (Params grad = mlp.vjp(dp, t, gt)) {
                assertArrayEquals(expected, grad.toHostFlat(), 0);
            }
            assertEquals(n, t.derivative(1).rows());
        } finally {
            gt.close();
            xt.close();
            dp.close();
        }
    }

    static double inner(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    @DisplayName("initialization is seeded and has the documented variances")
    void initStatistics() {
        Mlp ntk = Mlp.builder(200, 300, 2).sigmaW(2).sigmaB(0.5).build();
        assertArrayEquals(ntk.init(1).flatten(), ntk.init(1).flatten());
        assertTrue(!java.util.Arrays.equals(ntk.init(1).flatten(), ntk.init(2).flatten()));
        assertEquals(1.0, variance(ntk.init(1).weight(0)), 0.02);
        Mlp std = ntk.toBuilder().parameterization(Parameterization.STANDARD).build();
        MlpParams sp = std.init(1);
        assertEquals(4.0 / 200, variance(sp.weight(0)), 0.02 * 4.0 / 200);
        assertEquals(0.25, variance(sp.bias(0)), 0.25 * 0.25);
    }

    static double variance(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s / v.length;
    }

    @Test
    @DisplayName("losses and their gradients match host formulas and finite differences")
    void losses() {
        int n = 4;
        int o = 3;
        double[] f = randn(21, n * o);
        double[] y = new double[n * o];
        for (int i = 0; i < n; i++) {
            y[i * o + (i % o)] = 1;
        }
        for (Loss loss : Loss.values()) {
            try (TensorScope s = be.scope()) {
                Tensor ft = be.fromHost(f, n, o, DType.F64);
                Tensor yt = be.fromHost(y, n, o, DType.F64);
                Loss.Value v = loss.evaluate(ft, yt);
                double[] grad = be.toHost(v.gradient());
                assertEquals(hostLoss(loss, f, y, n, o), v.value(), 1e-13);
                for (int k = 0; k < f.length; k++) {
                    double[] fp = f.clone();
                    double[] fm = f.clone();
                    fp[k] += 1e-6;
                    fm[k] -= 1e-6;
                    double fd = (hostLoss(loss, fp, y, n, o) - hostLoss(loss, fm, y, n, o)) / 2e-6;
                    assertEquals(fd, grad[k], 1e-8, loss + " gradient " + k);
                }
            }
        }
        assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, Loss.parse("xent"));
        assertThrows(IllegalArgumentException.class, () -> Loss.parse("hinge"));
    }

    static double hostLoss(Loss loss, double[] f, double[] y, int n, int o) {
        double s = 0;
        if (loss == Loss.MSE) {
            for (int k = 0; k < f.length; k++) {
                s += (f[k] - y[k]) * (f[k] - y[k]);
            }
            return s / (2.0 * n * o);
        }
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int a = 0; a < o; a++) {
                z += Math.exp(f[i * o + a]);
            }
            for (int a = 0; a < o; a++) {
                s -= y[i * o + a] * Math.log(Math.exp(f[i * o + a]) / z);
            }
        }
        return s / n;
    }

    @Test
    @DisplayName("params arithmetic works over every tensor and bad shapes are named")
    void paramsArithmetic() {
        Mlp mlp = Mlp.builder(3, 4, 2).build();
        MlpParams p = mlp.init(3);
        try (TensorScope s = be.scope()) {
            Params a = p.upload(be, DType.F64);
            Params b = a.copy();
            b.scale(2);
            Params c = a.zerosLike();
            Params.axpby(3, a, -1, b, c);
            assertArrayEquals(a.toHostFlat(), c.toHostFlat(), 1e-15);
            assertEquals(2 * a.normSquared(), a.dot(b), 1e-12);
            c.addScaled(-1, a);
            assertEquals(0, c.normSquared(), 1e-28);
            assertEquals(mlp.parameterCount(), a.elementCount());
            assertArrayEquals(p.flatten(), MlpParams.download(mlp, a).flatten(), 0);
            Params other = Mlp.builder(3, 5, 2).build().init(1).upload(be, DType.F64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlp.checkParams(other));
            assertTrue(e.getMessage().contains("W0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.dot(other));
        }
    }
}
