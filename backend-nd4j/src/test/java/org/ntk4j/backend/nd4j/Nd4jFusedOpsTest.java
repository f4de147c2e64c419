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
import org.ntk4j.backend.Activation;
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

    @Test
    @DisplayName("ReLU and its derivative on small double arrays match Activation's reference at every element, NaN,"
            + " ±0, subnormals and infinities included")
    void reluLoops() {
        int rows = 37; // 37×61: not a multiple of the loops' chunk
        int cols = 61;
        double[] v = random(rows * cols, 11);
        double[] special = {Double.NaN, -0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MAX_VALUE, 1e-310};
        System.arraycopy(special, 0, v, 1030, special.length); // in the second chunk
        try (TensorScope scope = be.scope()) {
            Tensor x = be.fromHost(v, rows, cols, DType.F64);
            Tensor y = be.zeros(rows, cols, DType.F64);
            Tensor dy = be.zeros(rows, cols, DType.F64);
            be.map(Activation.RELU, x, y);
            be.mapDerivative(Activation.RELU, x, dy);
            double[] got = be.toHost(y);
            double[] gotD = be.toHost(dy);
            for (int i = 0; i < v.length; i++) {
                // bit for bit: +0 and −0 differ
                assertEquals(Double.doubleToLongBits(Activation.RELU.apply(v[i])), Double.doubleToLongBits(got[i]),
                        "relu(" + v[i] + ")");
                assertEquals(Activation.RELU.derivative(v[i]), gotD[i], "relu'(" + v[i] + ")");
            }
            be.map(Activation.RELU, x, x); // in place
            assertArrayEquals(got, be.toHost(x));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("the fused Adam update equals optax's formula element by element, on sizes that end mid-chunk")
    void adamUpdate(DType d) {
        for (int n : new int[] {1, 1023, 5000}) {
            double[] g = random(n, 12);
            double[] m = random(n, 13);
            double[] v = random(n, 14);
            for (int i = 0; i < n; i++) {
                v[i] = Math.abs(v[i]);
            }
            double b1 = 0.9;
            double b2 = 0.999;
            double step = 0.01 / (1 - Math.pow(b1, 3));
            double vScale = 1 / (1 - Math.pow(b2, 3));
            double eps = 1e-8;
            try (TensorScope scope = be.scope()) {
                Tensor tg = be.fromHost(g, 1, n, d);
                Tensor tm = be.fromHost(m, 1, n, d);
                Tensor tv = be.fromHost(v, 1, n, d);
                double[] gh = be.toHost(tg);
                double[] mh = be.toHost(tm);
                double[] vh = be.toHost(tv);
                Tensor u = be.zeros(1, n, d);
                be.adamUpdate(tg, tm, tv, b1, b2, step, vScale, eps, tm, tv, u); // moments in place
                double[] wantM = new double[n];
                double[] wantV = new double[n];
                double[] wantU = new double[n];
                for (int i = 0; i < n; i++) {
                    wantM[i] = b1 * mh[i] + (1 - b1) * gh[i];
                    wantV[i] = b2 * vh[i] + (1 - b2) * gh[i] * gh[i];
                    wantU[i] = -step * wantM[i] / (Math.sqrt(vScale * wantV[i]) + eps);
                }
                assertClose(wantM, be.toHost(tm), d);
                assertClose(wantV, be.toHost(tv), d);
                assertClose(wantU, be.toHost(u), d);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("denseForward writes s_w·X·W + s_b·b over an unset array, with and without a bias, small and large")
    void denseForward(DType d) {
        for (int[] shape : new int[][] {{5, 3, 4}, {300, 7, 260}}) { // the second has more than 2^16 outputs
            int n = shape[0];
            int k = shape[1];
            int h = shape[2];
            double[] x = random(n * k, 15);
            double[] w = random(k * h, 16);
            double[] b = random(h, 17);
            try (TensorScope scope = be.scope()) {
                // leave stale values in the pool for the output to land on
                be.fromHost(random(n * h, 18), n, h, d).close();
                Tensor tx = be.fromHost(x, n, k, d);
                Tensor tw = be.fromHost(w, k, h, d);
                Tensor tb = be.fromHost(b, 1, h, d);
                for (boolean withBias : new boolean[] {true, false}) {
                    double[] want = new double[n * h];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < h; j++) {
                            double s = 0;
                            for (int q = 0; q < k; q++) {
                                s += x[i * k + q] * w[q * h + j];
                            }
                            want[i * h + j] = 1.3 * s + (withBias ? 0.1 * b[j] : 0);
                        }
                    }
                    try (Tensor z = be.denseForward(tx, tw, withBias ? tb : null, 1.3, 0.1)) {
                        assertClose(want, be.toHost(z), d);
                    }
                }
                assertThrows(IllegalArgumentException.class, () -> be.denseForward(tw, tw, null, 1, 1));
                assertThrows(IllegalArgumentException.class, () -> be.denseForward(tx, tw, tx, 1, 1));
            }
        }
    }

    @Test
    @DisplayName("arrays freed with equal values come back as distinct arrays")
    void poolHandsOutDistinctArrays() {
        double[] r1 = random(15, 19);
        double[] r2 = random(15, 20);
        try (TensorScope scope = be.scope()) {
            // a column and a row of zeros: INDArray.equals calls them equal
            Tensor column = be.zeros(15, 1, DType.F64);
            Tensor row = be.zeros(1, 15, DType.F64);
            column.close();
            row.close(); // kept first
            Tensor u = be.fromHost(r1, 15, 1, DType.F64); // takes the column
            Tensor w = be.fromHost(r2, 15, 1, DType.F64); // must not take it again
            assertArrayEquals(r1, be.toHost(u));
            assertArrayEquals(r2, be.toHost(w));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("hadamard, axpby, affine, addRowVector and columnSums match host loops on 5×3 and on 300×260 (past 2^16"
            + " elements, where the loops now run), in place too")
    void elementwiseAtTrainingSizes(DType d) {
        for (int[] shape : new int[][] {{5, 3}, {300, 260}}) {
            int rows = shape[0];
            int cols = shape[1];
            int n = rows * cols;
            double[] a = random(n, 21);
            double[] b = random(n, 22);
            double[] row = random(cols, 23);
            double[] had = new double[n];
            double[] ax = new double[n];
            double[] af = new double[n];
            double[] ar = new double[n];
            double[] cs = new double[cols];
            try (TensorScope scope = be.scope()) {
                Tensor ta = be.fromHost(a, rows, cols, d);
                Tensor tb = be.fromHost(b, rows, cols, d);
                double[] ah = be.toHost(ta); // rounded as the backend holds them
                double[] bh = be.toHost(tb);
                double[] rh = be.toHost(be.fromHost(row, 1, cols, d));
                for (int i = 0; i < n; i++) {
                    had[i] = ah[i] * bh[i];
                    ax[i] = 0.3 * ah[i] - 1.7 * bh[i];
                    af[i] = 2.5 * ah[i] + 0.25;
                    ar[i] = ah[i] + rh[i % cols];
                    cs[i % cols] += ah[i];
                }
                Tensor out = be.zeros(rows, cols, d);
                be.hadamard(ta, tb, out);
                assertClose(had, be.toHost(out), d);
                be.axpby(0.3, ta, -1.7, tb, out);
                assertClose(ax, be.toHost(out), d);
                be.affine(2.5, ta, 0.25, out);
                assertClose(af, be.toHost(out), d);
                be.addRowVector(ta, be.fromHost(row, 1, cols, d), out);
                assertClose(ar, be.toHost(out), d);
                Tensor sums = be.zeros(1, cols, d);
                be.columnSums(ta, sums);
                assertClose(cs, be.toHost(sums), d);
                be.axpby(0.3, ta, -1.7, tb, ta); // out is x
                assertClose(ax, be.toHost(ta), d);
            }
        }
    }

    @Test
    @DisplayName("dot of doubles over several 8,192-element pieces equals the sum on the host")
    void dotInPieces() {
        for (int n : new int[] {8192, 20001}) {
            double[] a = random(n, 24);
            double[] b = random(n, 25);
            double want = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                want += a[i] * b[i];
                scale += Math.abs(a[i] * b[i]);
            }
            try (TensorScope scope = be.scope()) {
                assertEquals(want, be.dot(be.fromHost(a, 1, n, DType.F64), be.fromHost(b, 1, n, DType.F64)),
                        1e-13 * scale);
            }
        }
    }
}
