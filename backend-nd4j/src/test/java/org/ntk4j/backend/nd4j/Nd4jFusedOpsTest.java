package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The ND4J backend's fused composites and in-place solvers against plain loops on the host (the reference):
 * 1e-12 relative for F64, 1e-5 for F32; and large buffers reused through the pool come back zeroed.
 */
@DisplayName("The ND4J backend's fused composites and in-place solvers match host loops")
@SuppressWarnings("try") // scopes close what the block made, unreferenced
class Nd4jFusedOpsTest {

    private static Backend be;

    @BeforeAll
    static void open() {
        be = new Nd4jBackendProvider().create(BackendOptions.defaults());
    }

    @AfterAll
    static void close() {
        be.close();
    }

    private static double tol(DType d) {
        return d == DType.F64 ? 1e-12 : 1e-5;
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    private static void assertClose(double[] want, double[] got, DType d) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        assertArrayEquals(want, got, tol(d) * Math.max(1, scale));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("ntkLayerAccumulate with repeated input-Gram entries")
    void repeatedAccumulate(DType d) {
        int n1 = 5;
        int n2 = 4;
        int rr = 3;
        int cr = 2;
        double[] dg = random(n1 * rr * n2 * cr, 1);
        double[] ig = random(n1 * n2, 2);
        double[] acc = random(n1 * rr * n2 * cr, 3);
        double s = 0.7;
        double bv = 0.01;
        double[] want = acc.clone();
        int cols = n2 * cr;
        for (int r = 0; r < n1 * rr; r++) {
            for (int c = 0; c < cols; c++) {
                want[r * cols + c] += dg[r * cols + c] * (s * ig[(r / rr) * n2 + c / cr] + bv);
            }
        }
        try (TensorScope scope = be.scope()) {
            Tensor a = be.fromHost(acc, n1 * rr, cols, d);
            be.ntkLayerAccumulate(be.fromHost(dg, n1 * rr, cols, d), be.fromHost(ig, n1, n2, d), rr, cr, s, bv, a);
            assertClose(want, be.toHost(a), d);
            Tensor wrong = be.zeros(n1, n2 + 1, d);
            assertThrows(IllegalArgumentException.class,
                    () -> be.ntkLayerAccumulate(be.fromHost(dg, n1 * rr, cols, d), wrong, rr, cr, s, bv, a));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("trace, addToDiagonal and reshape")
    void diagonalAndReshape(DType d) {
        int n = 6;
        double[] v = random(n * n, 4);
        double want = 0;
        for (int i = 0; i < n; i++) {
            want += v[i * n + i];
        }
        try (TensorScope scope = be.scope()) {
            Tensor a = be.fromHost(v, n, n, d);
            assertEquals(want, be.trace(a), tol(d) * n);
            be.addToDiagonal(2.5, a);
            double[] shifted = v.clone();
            for (int i = 0; i < n; i++) {
                shifted[i * n + i] += 2.5;
            }
            assertClose(shifted, be.toHost(a), d);
            Tensor r = be.reshape(a, 4, 9);
            assertEquals(4, r.rows());
            assertArrayEquals(be.toHost(a), be.toHost(r));
            assertThrows(IllegalArgumentException.class, () -> be.reshape(a, 5, 7));
        }
    }

    /** A = M·Mᵀ + n·I, SPD; B random. */
    private static double[] spd(int n) {
        double[] m = random(n * n, 5);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) {
                    s += m[i * n + k] * m[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    /** The residual max|A·X − B| relative to max|B|. */
    private static double residual(double[] a, double[] x, double[] b, int n, int k, boolean transposeA) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int q = 0; q < n; q++) {
                    s += (transposeA ? a[q * n + i] : a[i * n + q]) * x[q * k + j];
                }
                worst = Math.max(worst, Math.abs(s - b[i * k + j]));
                scale = Math.max(scale, Math.abs(b[i * k + j]));
            }
        }
        return worst / scale;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("the in-place Cholesky and LU solves satisfy A·X = B, with one and several right-hand sides")
    void inPlaceSolves(DType d) {
        int n = 40;
        double[] a = spd(n);
        double[] g = random(n * n, 6);
        for (int i = 0; i < n; i++) {
            g[i * n + i] += n;
        }
        for (int k : new int[] {1, 3}) {
            double[] b = random(n * k, 7 + k);
            try (TensorScope scope = be.scope()) {
                Tensor x = be.zeros(n, k, d);
                be.choleskySolveInPlace(be.fromHost(a, n, n, d), be.fromHost(b, n, k, d), x);
                double[] xs = be.toHost(x);
                assertEquals(0, residual(a, xs, b, n, k, false), d == DType.F64 ? 1e-12 : 1e-4);
                be.luSolveInPlace(be.fromHost(g, n, n, d), be.fromHost(b, n, k, d), x);
                assertEquals(0, residual(g, be.toHost(x), b, n, k, false), d == DType.F64 ? 1e-12 : 1e-4);
                // the copying solvers leave A as it was
                Tensor ga = be.fromHost(g, n, n, d);
                be.luSolve(ga, be.fromHost(b, n, k, d), x);
                assertEquals(0, residual(g, be.toHost(x), b, n, k, false), d == DType.F64 ? 1e-12 : 1e-4);
                assertClose(g, be.toHost(ga), d);
            }
        }
        try (TensorScope scope = be.scope()) {
            double[] indefinite = a.clone();
            indefinite[0] = -1;
            assertThrows(NotPositiveDefiniteException.class, () -> be.choleskySolveInPlace(
                    be.fromHost(indefinite, n, n, d), be.fromHost(random(n, 9), n, 1, d), be.zeros(n, 1, d)));
        }
    }

    @Test
    @DisplayName("a large buffer freed and made again comes back as zeros, and copies of it are exact")
    void reusedBuffersAreClean() {
        int n = 1500; // 18 MB in F64: kept by the pool
        try (TensorScope scope = be.scope()) {
            Tensor t = be.fromHost(random(n * n, 10), n, n, DType.F64);
            double[] v = be.toHost(t);
            t.close();
            Tensor z = be.zeros(n, n, DType.F64);
            for (double x : be.toHost(z)) {
                assertEquals(0, x);
            }
            be.addToDiagonal(1, z);
            Tensor c = be.copy(z);
            z.close();
            assertEquals(n, be.trace(c));
            assertEquals(n, v.length / n);
        }
    }
}
