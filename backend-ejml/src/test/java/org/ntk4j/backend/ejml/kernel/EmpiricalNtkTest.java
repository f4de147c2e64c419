package org.ntk4j.backend.ejml.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.HostMatrix;
import org.ntk4j.kernel.KernelListener;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

class EmpiricalNtkTest {

    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    static Stream<Arguments> networks() {
        List<Arguments> out = new ArrayList<>();
        Activation[] acts = {Activation.RELU, Activation.ERF, Activation.TANH, Activation.leakyRelu(0.2), Activation.GELU};
        int[][] shapes = {{3, 2}, {3, 5, 2}, {4, 6, 5, 3}, {2, 7, 3, 4, 2}};
        int k = 0;
        for (int[] w : shapes) {
            for (Parameterization p : Parameterization.values()) {
                for (boolean bias : new boolean[] {true, false}) {
                    Activation f = acts[k++ % acts.length];
                    out.add(Arguments.of(Mlp.builder(w).activation(f).parameterization(p).bias(bias)
                            .sigmaW(1.2).sigmaB(0.3).build()));
                }
            }
        }
        return out.stream();
    }

    static Tensor inputs(long seed, int n, int d) {
        return be.fromHost(TestBackends.uniform(seed, n * d, 1), n, d, DType.F64);
    }

    /** The explicit Jacobian, N·O × P, one row per (sample i, output a) at i·O + a, by one vjp per row. */
    static double[][] jacobian(Mlp mlp, Params p, Tensor x) {
        int n = x.rows();
        int o = mlp.outputDim();
        double[][] j = new double[n * o][];
        try (ForwardTrace t = mlp.forward(p, x)) {
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < o; a++) {
                    double[] e = new double[n * o];
                    e[i * o + a] = 1;
                    try (Tensor cot = be.fromHost(e, n, o, DType.F64); Params g = mlp.vjp(p, t, cot)) {
                        j[i * o + a] = g.toHostFlat();
                    }
                }
            }
        }
        return j;
    }

    static double[] contract(double[][] j1, double[][] j2) {
        double[] k = new double[j1.length * j2.length];
        for (int r = 0; r < j1.length; r++) {
            for (int c = 0; c < j2.length; c++) {
                double s = 0;
                for (int q = 0; q < j1[r].length; q++) {
                    s += j1[r][q] * j2[c][q];
                }
                k[r * j2.length + c] = s;
            }
        }
        return k;
    }

    static double[] traced(double[] full, int n1, int n2, int o) {
        double[] t = new double[n1 * n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                double s = 0;
                for (int a = 0; a < o; a++) {
                    s += full[(i * o + a) * (n2 * o) + j * o + a];
                }
                t[i * n2 + j] = s / o;
            }
        }
        return t;
    }

    static void assertRelClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * Math.max(scale, 1e-300), what + " at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    @DisplayName("the structured kernel equals the contraction of the explicit Jacobian, full, traced and cross")
    void matchesExplicitJacobian(Mlp mlp) {
        int n1 = 4;
        int n2 = 3;
        int o = mlp.outputDim();
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null);
        try (TensorScope s = be.scope()) {
            Params p = mlp.init(17).upload(be, DType.F64);
            Tensor x1 = inputs(1, n1, mlp.inputDim());
            Tensor x2 = inputs(2, n2, mlp.inputDim());
            double[][] j1 = jacobian(mlp, p, x1);
            double[][] j2 = jacobian(mlp, p, x2);
            double[] full11 = contract(j1, j1);
            double[] full12 = contract(j1, j2);
            assertRelClose(full11, be.toHost(ntk.compute(p, x1, OutputAxes.FULL)), 1e-9, mlp + " full");
            assertRelClose(full12, be.toHost(ntk.compute(p, x1, x2, OutputAxes.FULL)), 1e-9, mlp + " full cross");
            assertRelClose(traced(full11, n1, n1, o), be.toHost(ntk.compute(p, x1, OutputAxes.TRACED)), 1e-9,
                    mlp + " traced");
            assertRelClose(traced(full12, n1, n2, o), be.toHost(ntk.compute(p, x1, x2, OutputAxes.TRACED)), 1e-9,
                    mlp + " traced cross");
            try (ForwardTrace t = mlp.forward(p, x1)) {
                assertRelClose(full11, be.toHost(ntk.compute(p, t, OutputAxes.FULL)), 1e-9, mlp + " from trace");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    @DisplayName("the kernel is symmetric and positive semi-definite")
    void symmetricPsd(Mlp mlp) {
        int n = 6;
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null);
        for (OutputAxes axes : OutputAxes.values()) {
            try (TensorScope s = be.scope()) {
                Params p = mlp.init(3).upload(be, DType.F64);
                Tensor k = ntk.compute(p, inputs(5, n, mlp.inputDim()), axes);
                double[] v = be.toHost(k);
                int m = k.rows();
                double trace = 0;
                for (int i = 0; i < m; i++) {
                    trace += v[i * m + i];
                    for (int j = 0; j < i; j++) {
                        assertEquals(v[i * m + j], v[j * m + i], 1e-12 * Math.abs(v[i * m + i] + v[j * m + j]));
                    }
                }
                SymmetricEigen eig = be.symmetricEigen(k);
                double min = be.toHost(eig.values())[0];
                assertTrue(min >= -1e-10 * trace, "smallest eigenvalue " + min + ", trace " + trace);
            }
        }
    }

    @Test
    @DisplayName("tiled kernels equal untiled ones for every batch size, symmetric and cross, with progress")
    void tiledEqualsUntiled() {
        Mlp mlp = Mlp.builder(3, 8, 6, 3).activation(Activation.ERF).build();
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null);
        try (TensorScope s = be.scope()) {
            Params p = mlp.init(9).upload(be, DType.F64);
            Tensor x1 = inputs(11, 7, 3);
            Tensor x2 = inputs(12, 5, 3);
            for (OutputAxes axes : OutputAxes.values()) {
                double[] self = be.toHost(ntk.compute(p, x1, axes));
                double[] cross = be.toHost(ntk.compute(p, x1, x2, axes));
                for (int b : new int[] {1, 2, 3, 7, 100}) {
                    int[] last = {0, 0};
                    HostMatrix t = ntk.computeTiled(p, x1, null, axes, b, (done, total) -> {
                        assertEquals(last[0] + 1, done);
                        last[0] = done;
                        last[1] = total;
                    });
                    int tiles = (7 + b - 1) / b;
                    assertEquals(tiles * (tiles + 1) / 2, last[1]);
                    assertEquals(last[1], last[0]);
                    assertRelClose(self, t.data(), 1e-13, axes + " self b=" + b);
                    HostMatrix c = ntk.computeTiled(p, x1, x2, axes, b, (done, total) -> { });
                    assertRelClose(cross, c.data(), 1e-13, axes + " cross b=" + b);
                    assertEquals(x2.rows() * (axes == OutputAxes.FULL ? 3 : 1), c.cols());
                }
            }
        }
    }

    @Test
    @DisplayName("each computation is timed and its GEMM flops counted")
    void metricsAndFlops() {
        Mlp mlp = Mlp.builder(5, 7, 2).build();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        List<KernelListener.Event> events = new ArrayList<>();
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(reg).withListener(events::add);
        try (TensorScope s = be.scope()) {
            Params p = mlp.init(1).upload(be, DType.F64);
            ntk.compute(p, inputs(1, 4, 5), OutputAxes.TRACED);
        }
        assertEquals(1, reg.get("ntk4j.kernel.compute").tag("kind", "empirical").tag("backend", "ejml").timer().count());
        // forward 2·4·5·7 + 2·4·7·2; the Gram of the last hidden layer's scaled derivatives h = φ'·diag(√c)
        // 2·4·4·7 (traced: no per-output backward pass below it in a 2-layer net, ones for the output layer);
        // input Grams 2·4·4·5 + 2·4·4·7
        long expected = 2 * 4 * 5 * 7 + 2 * 4 * 7 * 2 + 2 * 4 * 4 * 7 + 2 * 4 * 4 * 5 + 2 * 4 * 4 * 7;
        assertEquals(1, events.size());
        assertEquals(expected, events.get(0).gemmFlops());
        assertEquals(expected, reg.get("ntk4j.backend.flops").tag("op", "kernel.empirical").counter().count(), 0);
    }

    @Test
    @DisplayName("bad inputs are refused with the shapes named")
    void badInputs() {
        Mlp mlp = Mlp.builder(3, 4, 2).build();
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null);
        try (TensorScope s = be.scope()) {
            Params p = mlp.init(1).upload(be, DType.F64);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ntk.compute(p, inputs(1, 5, 4), OutputAxes.TRACED));
            assertTrue(e.getMessage().contains("5×4"), e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ntk.computeTiled(p, inputs(1, 5, 3), null, OutputAxes.FULL, 0, (d, t) -> { }));
            Params other = Mlp.builder(3, 6, 2).build().init(1).upload(be, DType.F64);
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ntk.compute(other, inputs(1, 5, 3), OutputAxes.TRACED));
            assertTrue(e.getMessage().contains("W0"), e.getMessage());
        }
    }
}
