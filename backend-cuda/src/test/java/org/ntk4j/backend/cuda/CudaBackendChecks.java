package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Checks specific to how {@link CudaBackend} is built, on top of the conformance kit: GEMM on shapes that cross
 * the kernel's 128×128×8 tiles, the blocked Cholesky on sizes around its block of 32 (reading only the lower
 * triangle, naming the failing pivot), the quadrature duals against the host rule of {@link ActivationDuals},
 * and device memory returned when tensors and scopes close. References
 * are the EJML backend in F64; F32 inputs are rounded to float before the reference sees them. Subclasses say
 * where the kernels run: on a GPU, or on the CPU emulator.
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
    @DisplayName("multiplies matrices in all four transpose cases, across tile edges, with and without beta")
    void gemm(DType dtype) {
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {129, 70, 17}, {130, 3, 9}, {128, 128, 8}, {1, 257, 40}, {200, 131, 64}};
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
    @DisplayName("takes square roots and quotients on the device exactly as the host defaults do, also in place")
    void sqrtAndDivide(DType dtype) {
        double[] a = {4, 2, 0, -1, 1e-300, 7.25, Double.POSITIVE_INFINITY, 3};
        double[] b = {2, 3, 0, 0, -0.0, 1e-3, 2, Double.NaN};
        double[] sqrt = new double[a.length];
        double[] quotient = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double x = dtype == DType.F32 ? (float) a[i] : a[i];
            double y = dtype == DType.F32 ? (float) b[i] : b[i];
            sqrt[i] = dtype == DType.F32 ? (float) Math.sqrt(x) : Math.sqrt(x);
            quotient[i] = dtype == DType.F32 ? (float) (x / y) : x / y;
        }
        try (TensorScope scope = cuda.scope()) {
            Tensor ta = onCuda(a, 2, 4, dtype);
            Tensor tb = onCuda(b, 2, 4, dtype);
            Tensor out = cuda.zeros(2, 4, dtype);
            cuda.sqrt(ta, out);
            assertArrayEquals(sqrt, cuda.toHost(out), "sqrt");
            cuda.divide(ta, tb, out);
            assertArrayEquals(quotient, cuda.toHost(out), "divide");
            cuda.divide(ta, tb, ta);
            assertArrayEquals(quotient, cuda.toHost(ta), "divide in place");
        }
    }

    /** Variances of the dual check, up to where the trapezoidal rule reaches its cap of points. */
    private static final double[] DUAL_VARIANCES = {0, 0.05, 1, 4, 20, ActivationDuals.MAX_POINTS_VARIANCE};
    /** Correlations of the dual check, ±1 included. */
    private static final double[] DUAL_CORRELATIONS = {1, -1, 0.3, -0.7, 0.95, 0};

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("computes the quadrature duals by the host's trapezoidal rule, up to rounding and exactly symmetric")
    void quadratureDuals(DType dtype) {
        int n = DUAL_VARIANCES.length;
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = dtype == DType.F32 ? (float) DUAL_VARIANCES[i] : DUAL_VARIANCES[i];
        }
        double[] k = new double[n * n];
        double[] kt = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double c = DUAL_CORRELATIONS[(i + 2 * j) % DUAL_CORRELATIONS.length] * Math.sqrt(q[i] * q[j]);
                k[i * n + j] = dtype == DType.F32 ? (float) c : c;
                kt[j * n + i] = k[i * n + j];
            }
        }
        // the same sums in the same order: CUDA's and Java's exp and tanh (and fused multiply-adds) differ by an
        // ulp or so on each of up to 401² terms; F32 then rounds the same double result to float
        double rel = dtype == DType.F32 ? 0x1p-23 : 1e-12;
        double abs = 1e-14;
        double[] pair = new double[2];
        for (Activation f : new Activation[] {Activation.TANH, Activation.GELU, Activation.SIGMOID,
            Activation.SOFTPLUS}) {
            try (TensorScope scope = cuda.scope()) {
                Tensor tq = onCuda(q, n, 1, dtype);
                Tensor[] out = {cuda.zeros(n, n, dtype), cuda.zeros(n, n, dtype)};
                Tensor[] swapped = {cuda.zeros(n, n, dtype), cuda.zeros(n, n, dtype)};
                cuda.dualMap(f, onCuda(k, n, n, dtype), tq, cuda.copy(tq), out[0], out[1]);
                cuda.dualMap(f, onCuda(kt, n, n, dtype), tq, cuda.copy(tq), swapped[0], swapped[1]);
                double worst = 0;
                for (int which = 0; which < 2; which++) {
                    double[] got = cuda.toHost(out[which]);
                    double[] gotSwapped = cuda.toHost(swapped[which]);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            ActivationDuals.dual(f, q[i], q[j], k[i * n + j], pair);
                            double expected = dtype == DType.F32 ? (float) pair[which] : pair[which];
                            double err = Math.abs(got[i * n + j] - expected);
                            String at = f + (which == 0 ? " K" : " Kdot") + " at q1=" + q[i] + " q2=" + q[j]
                                    + " k=" + k[i * n + j];
                            assertTrue(err <= rel * Math.abs(expected) + abs,
                                    at + ": " + got[i * n + j] + ", host " + expected);
                            assertEquals(got[i * n + j], gotSwapped[j * n + i], at + ": not symmetric");
                            worst = Math.max(worst, err / (Math.abs(expected) + 1e-300));
                        }
                    }
                }
                System.out.printf("dualMap %s %s: largest relative difference from ActivationDuals %.2e%n",
                        dtype, f, worst);
            }
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
