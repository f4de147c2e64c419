package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Every operation of {@link CudaBackend} against the EJML backend (F64) or the scalar references, for both
 * dtypes, on shapes that cross the kernels' tile and block boundaries. Subclasses say where the kernels run:
 * on a GPU, or on the CPU emulator. F32 inputs are rounded to float before the reference sees them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CudaBackendChecks {

    private CudaBackend cuda;
    private Backend ejml;
    private final SplittableRandom random = new SplittableRandom(20240611);

    /** @return a new CUDA backend to test */
    abstract CudaBackend newBackend();

    @BeforeAll
    void open() {
        cuda = newBackend();
        ejml = new EjmlBackendProvider().create(BackendOptions.defaults().withThreads(1));
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
            assertEquals(0, cuda.deviceMemoryUsed(), "device memory left after close");
        }
        if (ejml != null) {
            ejml.close();
        }
    }

    private double[] randomData(int n, DType dtype) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = random.nextDouble(-2, 2);
            if (dtype == DType.F32) {
                d[i] = (float) d[i];
            }
        }
        return d;
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.F32 ? 2e-5 : 1e-12;
    }

    /** |expected − actual| ≤ tol·(1 + max|expected|), element by element. */
    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= tol * scale) && !(Double.isNaN(expected[i]) && Double.isNaN(actual[i]))) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (tolerance " + tol * scale + ")");
            }
        }
    }

    private Tensor onCuda(double[] data, int rows, int cols, DType dtype) {
        return cuda.fromHost(data, rows, cols, dtype);
    }

    private Tensor onEjml(double[] data, int rows, int cols) {
        return ejml.fromHost(data, rows, cols, DType.F64);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("moves data to the device and back, and makes zeros, copies, gathers, stacks and transposes")
    void memory(DType dtype) {
        try (TensorScope scope = cuda.scope()) {
            double[] d = randomData(37 * 53, dtype);
            Tensor t = onCuda(d, 37, 53, dtype);
            assertArrayEquals(d, cuda.toHost(t));
            assertArrayEquals(new double[6], cuda.toHost(cuda.zeros(2, 3, dtype)));
            assertArrayEquals(d, cuda.toHost(cuda.copy(t)));
            int[] rows = {36, 0, 5, 5, 17};
            Tensor g = cuda.gatherRows(t, rows);
            assertArrayEquals(ejml.toHost(ejml.gatherRows(onEjml(d, 37, 53), rows)), cuda.toHost(g));
            Tensor one = onCuda(new double[] {3}, 1, 1, dtype);
            Tensor c = cuda.concatRows(List.of(t, g, t));
            assertArrayEquals(ejml.toHost(ejml.concatRows(List.of(onEjml(d, 37, 53),
                    ejml.gatherRows(onEjml(d, 37, 53), rows), onEjml(d, 37, 53)))), cuda.toHost(c));
            for (int[] shape : new int[][] {{1, 1}, {1, 70}, {70, 1}, {37, 53}, {64, 96}, {33, 31}}) {
                double[] x = randomData(shape[0] * shape[1], dtype);
                Tensor tt = cuda.transpose(onCuda(x, shape[0], shape[1], dtype));
                assertEquals(shape[1], tt.rows());
                assertArrayEquals(ejml.toHost(ejml.transpose(onEjml(x, shape[0], shape[1]))), cuda.toHost(tt),
                        "transpose " + shape[0] + "×" + shape[1]);
            }
            assertArrayEquals(new double[] {3}, cuda.toHost(one));
            assertThrows(IndexOutOfBoundsException.class, () -> cuda.gatherRows(t, new int[] {37}));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("multiplies matrices in all four transpose cases, across tile edges, with and without beta")
    void gemm(DType dtype) {
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {65, 70, 17}, {130, 3, 129}, {64, 64, 16}, {1, 97, 40}};
        try (TensorScope scope = cuda.scope()) {
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                for (int variant = 0; variant < 4; variant++) {
                    boolean ta = (variant & 1) != 0;
                    boolean tb = (variant & 2) != 0;
                    double[] a = randomData(m * k, dtype);
                    double[] b = randomData(k * n, dtype);
                    double[] c = randomData(m * n, dtype);
                    int ar = ta ? k : m;
                    int br = tb ? n : k;
                    for (double beta : new double[] {0, 0.5}) {
                        Tensor ec = onEjml(c, m, n);
                        ejml.gemm(1.5, onEjml(a, ar, a.length / ar), ta, onEjml(b, br, b.length / br), tb, beta, ec);
                        double[] start = c.clone();
                        if (beta == 0) {
                            java.util.Arrays.fill(start, Double.NaN); // beta = 0 must ignore C entirely
                        }
                        Tensor cc = onCuda(start, m, n, dtype);
                        cuda.gemm(1.5, onCuda(a, ar, a.length / ar, dtype), ta, onCuda(b, br, b.length / br, dtype), tb,
                                beta, cc);
                        assertClose(ejml.toHost(ec), cuda.toHost(cc), tolerance(dtype) * k,
                                "gemm " + m + "×" + n + "×" + k + " transA=" + ta + " transB=" + tb + " beta=" + beta);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("computes axpby, hadamard, affine and addRowVector, also in place")
    void elementwise(DType dtype) {
        try (TensorScope scope = cuda.scope()) {
            int r = 23;
            int c = 41;
            double[] x = randomData(r * c, dtype);
            double[] y = randomData(r * c, dtype);
            double[] row = randomData(c, dtype);
            Tensor ex = onEjml(x, r, c);
            Tensor ey = onEjml(y, r, c);
            Tensor eo = ejml.zeros(r, c, DType.F64);
            Tensor cx = onCuda(x, r, c, dtype);
            Tensor cy = onCuda(y, r, c, dtype);
            Tensor co = cuda.zeros(r, c, dtype);
            double tol = tolerance(dtype);
            ejml.axpby(0.75, ex, -2, ey, eo);
            cuda.axpby(0.75, cx, -2, cy, co);
            assertClose(ejml.toHost(eo), cuda.toHost(co), tol, "axpby");
            ejml.hadamard(ex, ey, eo);
            cuda.hadamard(cx, cy, co);
            assertClose(ejml.toHost(eo), cuda.toHost(co), tol, "hadamard");
            ejml.affine(-1.25, ex, 0.5, eo);
            cuda.affine(-1.25, cx, 0.5, co);
            assertClose(ejml.toHost(eo), cuda.toHost(co), tol, "affine");
            ejml.addRowVector(ex, onEjml(row, 1, c), eo);
            cuda.addRowVector(cx, onCuda(row, 1, c, dtype), co);
            assertClose(ejml.toHost(eo), cuda.toHost(co), tol, "addRowVector");
            ejml.axpby(2, ex, 3, ex, ex);
            cuda.axpby(2, cx, 3, cx, cx);
            assertClose(ejml.toHost(ex), cuda.toHost(cx), tol, "axpby in place");
            ejml.hadamard(ey, ey, ey);
            cuda.hadamard(cy, cy, cy);
            assertClose(ejml.toHost(ey), cuda.toHost(cy), tol, "hadamard in place");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("reduces columns, rows and dot products in double precision")
    void reductions(DType dtype) {
        try (TensorScope scope = cuda.scope()) {
            for (int[] s : new int[][] {{1, 1}, {1, 50}, {300, 3}, {70, 45}, {2000, 1}}) {
                double[] a = randomData(s[0] * s[1], dtype);
                double[] b = randomData(s[0] * s[1], dtype);
                Tensor ea = onEjml(a, s[0], s[1]);
                Tensor ca = onCuda(a, s[0], s[1], dtype);
                Tensor ecs = ejml.zeros(1, s[1], DType.F64);
                Tensor ccs = cuda.zeros(1, s[1], dtype);
                ejml.columnSums(ea, ecs);
                cuda.columnSums(ca, ccs);
                String shape = s[0] + "×" + s[1];
                assertClose(ejml.toHost(ecs), cuda.toHost(ccs), tolerance(dtype), "columnSums " + shape);
                Tensor ers = ejml.zeros(s[0], 1, DType.F64);
                Tensor crs = cuda.zeros(s[0], 1, dtype);
                ejml.rowSumsOfSquares(ea, ers);
                cuda.rowSumsOfSquares(ca, crs);
                assertClose(ejml.toHost(ers), cuda.toHost(crs), tolerance(dtype), "rowSumsOfSquares " + shape);
                double expected = ejml.dot(ea, onEjml(b, s[0], s[1]));
                double actual = cuda.dot(ca, onCuda(b, s[0], s[1], dtype));
                assertEquals(expected, actual, 1e-12 * (1 + a.length), "dot " + shape);
            }
        }
    }

    private static List<Activation> activations() {
        return List.of(Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.2), Activation.ERF,
                Activation.TANH, Activation.GELU, Activation.SIGMOID, Activation.SOFTPLUS);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("applies every activation and its derivative as the scalar reference does")
    void activationsMatch(DType dtype) {
        double[] x = {-40, -6, -2.5, -1, -0.3, -1e-3, 0, 1e-3, 0.3, 1, 2.5, 6, 40};
        try (TensorScope scope = cuda.scope()) {
            Tensor cx = onCuda(x, 1, x.length, dtype);
            Tensor out = cuda.zeros(1, x.length, dtype);
            for (Activation f : activations()) {
                double[] fx = new double[x.length];
                double[] dx = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    fx[i] = f.apply(x[i]);
                    dx[i] = f.derivative(x[i]);
                }
                double tol = dtype == DType.F32 ? 1e-6 : 1e-14;
                cuda.map(f, cx, out);
                assertClose(fx, cuda.toHost(out), tol, "map " + f);
                cuda.mapDerivative(f, cx, out);
                assertClose(dx, cuda.toHost(out), tol, "mapDerivative " + f);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("computes the infinite-width duals as ActivationDuals does")
    void duals(DType dtype) {
        double[] q1 = {0.5, 1.0, 2.0, 0.0};
        double[] q2 = {0.7, 1.3, 0.0};
        double[] k = new double[q1.length * q2.length];
        for (int i = 0; i < q1.length; i++) {
            for (int j = 0; j < q2.length; j++) {
                k[i * q2.length + j] = (0.9 - 0.6 * ((i + j) % 3)) * Math.sqrt(q1[i] * q2[j]);
                if (dtype == DType.F32) {
                    k[i * q2.length + j] = (float) k[i * q2.length + j];
                }
            }
        }
        try (TensorScope scope = cuda.scope()) {
            Tensor ck = onCuda(k, q1.length, q2.length, dtype);
            Tensor c1 = onCuda(q1, q1.length, 1, dtype);
            Tensor c2 = onCuda(q2, q2.length, 1, dtype);
            Tensor outK = cuda.zeros(q1.length, q2.length, dtype);
            Tensor outKdot = cuda.zeros(q1.length, q2.length, dtype);
            for (Activation f : activations()) {
                double[] ek = new double[k.length];
                double[] ekd = new double[k.length];
                double[] pair = new double[2];
                for (int i = 0; i < q1.length; i++) {
                    for (int j = 0; j < q2.length; j++) {
                        ActivationDuals.dual(f, q1[i], q2[j], k[i * q2.length + j], pair);
                        ek[i * q2.length + j] = pair[0];
                        ekd[i * q2.length + j] = pair[1];
                    }
                }
                cuda.dualMap(f, ck, c1, c2, outK, outKdot);
                double tol = dtype == DType.F32 ? 1e-6 : 1e-12;
                assertClose(ek, cuda.toHost(outK), tol, "dual K " + f);
                assertClose(ekd, cuda.toHost(outKdot), tol, "dual Kdot " + f);
            }
        }
    }

    private double[] spd(int n, DType dtype) {
        double[] g = randomData(n * n, dtype);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int p = 0; p < n; p++) {
                    s += g[i * n + p] * g[j * n + p] / n;
                }
                a[i * n + j] = dtype == DType.F32 ? (float) s : s;
            }
        }
        return a;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("solves positive definite systems by Cholesky on the device, one block or several")
    void cholesky(DType dtype) {
        try (TensorScope scope = cuda.scope()) {
            for (int n : new int[] {1, 31, 32, 33, 70, 100}) {
                for (int cols : new int[] {1, 3}) {
                    double[] a = spd(n, dtype);
                    double[] b = randomData(n * cols, dtype);
                    Tensor ex = ejml.zeros(n, cols, DType.F64);
                    ejml.choleskySolve(onEjml(a, n, n), onEjml(b, n, cols), ex);
                    double[] upperNaN = a.clone();
                    for (int i = 0; i < n; i++) {
                        for (int j = i + 1; j < n; j++) {
                            upperNaN[i * n + j] = Double.NaN; // only the lower triangle may be read
                        }
                    }
                    Tensor ca = onCuda(upperNaN, n, n, dtype);
                    Tensor cb = onCuda(b, n, cols, dtype);
                    Tensor cx = cuda.zeros(n, cols, dtype);
                    cuda.choleskySolve(ca, cb, cx);
                    double tol = dtype == DType.F32 ? 1e-4 : 1e-10;
                    assertClose(ejml.toHost(ex), cuda.toHost(cx), tol, "cholesky n=" + n + " cols=" + cols);
                    cuda.choleskySolve(ca, cb, cb);
                    assertClose(ejml.toHost(ex), cuda.toHost(cb), tol, "cholesky in place n=" + n);
                }
            }
        }
    }

    @Test
    @DisplayName("reports the first pivot that is not positive")
    void notPositiveDefinite() {
        int n = 40;
        double[] a = spd(n, DType.F64);
        a[35 * n + 35] = -100;
        try (TensorScope scope = cuda.scope()) {
            Tensor ca = onCuda(a, n, n, DType.F64);
            Tensor b = cuda.zeros(n, 1, DType.F64);
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> cuda.choleskySolve(ca, b, b));
            assertTrue(e.getMessage().contains("pivot 35"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("solves general systems and symmetric eigenproblems on the host")
    void hostSolvers(DType dtype) {
        int n = 12;
        try (TensorScope scope = cuda.scope()) {
            double[] a = randomData(n * n, dtype);
            double[] b = randomData(n * 2, dtype);
            Tensor ex = ejml.zeros(n, 2, DType.F64);
            ejml.luSolve(onEjml(a, n, n), onEjml(b, n, 2), ex);
            Tensor cx = cuda.zeros(n, 2, dtype);
            cuda.luSolve(onCuda(a, n, n, dtype), onCuda(b, n, 2, dtype), cx);
            assertClose(ejml.toHost(ex), cuda.toHost(cx), dtype == DType.F32 ? 1e-5 : 1e-10, "luSolve");
            double[] s = spd(n, dtype);
            SymmetricEigen ee = ejml.symmetricEigen(onEjml(s, n, n));
            SymmetricEigen ce = cuda.symmetricEigen(onCuda(s, n, n, dtype));
            assertClose(ejml.toHost(ee.values()), cuda.toHost(ce.values()), tolerance(dtype), "eigenvalues");
        }
    }

    @Test
    @DisplayName("frees device memory when tensors and scopes close, so loops do not grow")
    void memoryIsReturned() {
        long before = cuda.deviceMemoryUsed();
        for (int iteration = 0; iteration < 8; iteration++) {
            try (TensorScope scope = cuda.scope()) {
                Tensor a = cuda.zeros(50, 40, DType.F64);
                Tensor g = cuda.gram(a);
                cuda.columnSums(g, cuda.zeros(1, 50, DType.F64));
                cuda.dot(a, a);
                scope.keep(cuda.copy(g)).close();
            }
            assertEquals(before, cuda.deviceMemoryUsed(), "iteration " + iteration);
        }
        Tensor outside = cuda.zeros(10, 10, DType.F32);
        assertEquals(before + 400, cuda.deviceMemoryUsed());
        outside.close();
        assertEquals(before, cuda.deviceMemoryUsed());
    }
}
