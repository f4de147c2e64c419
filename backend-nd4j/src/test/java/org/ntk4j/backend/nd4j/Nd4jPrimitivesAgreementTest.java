package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Every primitive of the ND4J backend against the EJML backend (F64, the reference) on the same random
 * inputs, in both of ND4J's dtypes: 1e-12 relative for F64, 1e-5 for F32.
 */
@DisplayName("The ND4J backend agrees with the EJML backend on every primitive")
class Nd4jPrimitivesAgreementTest {

    private static Backend nd4j;
    private static Backend ejml;

    @BeforeAll
    static void open() {
        nd4j = new Nd4jBackendProvider().create(BackendOptions.defaults());
        ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
    }

    @AfterAll
    static void close() {
        nd4j.close();
        ejml.close();
    }

    private static double tol(DType d) {
        return d == DType.F64 ? 1e-12 : 2e-5;
    }

    private static double[] random(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble(-2, 2);
        }
        return v;
    }

    /** Rounds host data to what the dtype can hold, so both backends start from the same values. */
    private static double[] as(DType d, double[] v) {
        double[] r = v.clone();
        if (d == DType.F32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) r[i];
            }
        }
        return r;
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double bound = tol * Math.max(1, Math.abs(e)) + tol * 1e-3 * scale;
            if (!(Math.abs(e - actual[i]) <= bound) && !(Double.isNaN(e) && Double.isNaN(actual[i]))) {
                throw new AssertionError(what + ": element " + i + " expected " + e + " got " + actual[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("memory: fromHost/toHost, copy, gatherRows, concatRows, transpose")
    void memory(DType d) {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] v = as(d, random(rnd, 12));
        try (TensorScope s = nd4j.scope()) {
            Tensor t = nd4j.fromHost(v, 3, 4, d);
            assertArrayEquals(v, nd4j.toHost(t));
            assertArrayEquals(v, nd4j.toHost(nd4j.copy(t)));
            double[] g = nd4j.toHost(nd4j.gatherRows(t, new int[] {2, 0, 2}));
            for (int j = 0; j < 4; j++) {
                assertEquals(v[8 + j], g[j]);
                assertEquals(v[j], g[4 + j]);
                assertEquals(v[8 + j], g[8 + j]);
            }
            double[] c = nd4j.toHost(nd4j.concatRows(List.of(t, nd4j.gatherRows(t, new int[] {1}))));
            assertEquals(16, c.length);
            assertEquals(v[4], c[12]);
            double[] tr = nd4j.toHost(nd4j.transpose(t));
            assertEquals(v[1 * 4 + 2], tr[2 * 3 + 1]);
            assertThrows(IndexOutOfBoundsException.class, () -> nd4j.gatherRows(t, new int[] {3}));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("gemm in all four transpose combinations, beta 0 ignoring NaN and beta 0.5")
    void gemm(DType d) {
        SplittableRandom rnd = new SplittableRandom(2);
        int m = 5;
        int k = 7;
        int n = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                double[] a = as(d, random(rnd, m * k));
                double[] b = as(d, random(rnd, k * n));
                double[] c = as(d, random(rnd, m * n));
                for (double beta : new double[] {0, 0.5}) {
                    double[] c0 = c.clone();
                    if (beta == 0) {
                        c0[0] = Double.NaN;
                    }
                    double[] expected;
                    double[] actual;
                    try (TensorScope s = ejml.scope()) {
                        Tensor tc = ejml.fromHost(c0, m, n, DType.F64);
                        ejml.gemm(1.5, ejml.fromHost(a, ta ? k : m, ta ? m : k, DType.F64), ta,
                                ejml.fromHost(b, tb ? n : k, tb ? k : n, DType.F64), tb, beta, tc);
                        expected = ejml.toHost(tc);
                    }
                    try (TensorScope s = nd4j.scope()) {
                        Tensor tc = nd4j.fromHost(c0, m, n, d);
                        nd4j.gemm(1.5, nd4j.fromHost(a, ta ? k : m, ta ? m : k, d), ta,
                                nd4j.fromHost(b, tb ? n : k, tb ? k : n, d), tb, beta, tc);
                        actual = nd4j.toHost(tc);
                    }
                    assertClose(expected, actual, tol(d) * 10, "gemm " + ta + " " + tb + " beta " + beta);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("elementwise ops and reductions, with aliasing, on 1×1, 1×n, n×1 and m×n shapes")
    void elementwise(DType d) {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] shapes = {{1, 1}, {1, 5}, {5, 1}, {4, 6}};
        for (int[] sh : shapes) {
            int r = sh[0];
            int c = sh[1];
            double[] x = as(d, random(rnd, r * c));
            double[] y = as(d, random(rnd, r * c));
            double[] row = as(d, random(rnd, c));
            String tag = r + "x" + c + " ";
            assertClose(run(ejml, DType.F64, x, y, row, r, c), run(nd4j, d, x, y, row, r, c), tol(d), tag);
        }
    }

    /** Runs a fixed sequence of elementwise ops and returns all results concatenated. */
    private static double[] run(Backend be, DType d, double[] x, double[] y, double[] row, int r, int c) {
        try (TensorScope s = be.scope()) {
            Tensor tx = be.fromHost(x, r, c, d);
            Tensor ty = be.fromHost(y, r, c, d);
            Tensor tr = be.fromHost(row, 1, c, d);
            Tensor out = be.zeros(r, c, d);
            java.util.ArrayList<Double> acc = new java.util.ArrayList<>();
            java.util.function.Consumer<Tensor> add = t -> {
                for (double v : be.toHost(t)) {
                    acc.add(v);
                }
            };
            be.axpby(0.7, tx, -1.3, ty, out);
            add.accept(out);
            Tensor a1 = be.copy(tx);
            be.axpby(0.7, a1, -1.3, ty, a1);
            add.accept(a1);
            Tensor a2 = be.copy(ty);
            be.axpby(0.7, tx, -1.3, a2, a2);
            add.accept(a2);
            Tensor a3 = be.copy(tx);
            be.axpby(0.7, a3, -1.3, a3, a3);
            add.accept(a3);
            be.hadamard(tx, ty, out);
            add.accept(out);
            Tensor h = be.copy(tx);
            be.hadamard(h, h, h);
            add.accept(h);
            be.affine(-2.5, tx, 0.25, out);
            add.accept(out);
            be.scale(3, ty, out);
            add.accept(out);
            be.addRowVector(tx, tr, out);
            add.accept(out);
            Tensor ar = be.copy(tx);
            be.addRowVector(ar, tr, ar);
            add.accept(ar);
            Tensor cs = be.zeros(1, c, d);
            be.columnSums(tx, cs);
            add.accept(cs);
            Tensor rs = be.zeros(r, 1, d);
            be.rowSumsOfSquares(tx, rs);
            add.accept(rs);
            acc.add(be.dot(tx, ty));
            return acc.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("every activation and its derivative, in place and out of place, match the scalar reference")
    void activations(DType d) {
        double[] x = as(d, new double[] {-30, -5, -1.5, -0.3, 0, 0.2, 0.9, 2.5, 7, 40});
        List<Activation> all = List.of(Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1),
                Activation.ERF, Activation.TANH, Activation.GELU, Activation.SIGMOID, Activation.SOFTPLUS);
        for (Activation f : all) {
            double[] ef = new double[x.length];
            double[] ed = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                ef[i] = as(d, new double[] {f.apply(x[i])})[0];
                ed[i] = as(d, new double[] {f.derivative(x[i])})[0];
            }
            try (TensorScope s = nd4j.scope()) {
                Tensor tx = nd4j.fromHost(x, 2, 5, d);
                Tensor out = nd4j.zeros(2, 5, d);
                nd4j.map(f, tx, out);
                assertClose(ef, nd4j.toHost(out), tol(d) * 10, "map " + f + " " + d);
                nd4j.mapDerivative(f, tx, out);
                assertClose(ed, nd4j.toHost(out), tol(d) * 10, "mapDerivative " + f + " " + d);
                Tensor in = nd4j.copy(tx);
                nd4j.map(f, in, in);
                assertClose(ef, nd4j.toHost(in), tol(d) * 10, "map in place " + f + " " + d);
                Tensor in2 = nd4j.copy(tx);
                nd4j.mapDerivative(f, in2, in2);
                assertClose(ed, nd4j.toHost(in2), tol(d) * 10, "mapDerivative in place " + f + " " + d);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    @DisplayName("Cholesky, LU and symmetric eigen solve the same systems as EJML, and reject bad matrices")
    void solvers(DType d) {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 6;
        double[] g = random(rnd, n * n);
        double[] spd = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += g[i * n + k] * g[j * n + k];
                }
                spd[i * n + j] = s + (i == j ? n : 0);
            }
        }
        spd = as(d, spd);
        double[] gen = as(d, random(rnd, n * n));
        double[] b = as(d, random(rnd, n * 2));
        double[] ec;
        double[] el;
        double[] ev;
        try (TensorScope s = ejml.scope()) {
            Tensor x = ejml.zeros(n, 2, DType.F64);
            ejml.choleskySolve(ejml.fromHost(spd, n, n, DType.F64), ejml.fromHost(b, n, 2, DType.F64), x);
            ec = ejml.toHost(x);
            ejml.luSolve(ejml.fromHost(gen, n, n, DType.F64), ejml.fromHost(b, n, 2, DType.F64), x);
            el = ejml.toHost(x);
            ev = ejml.toHost(ejml.symmetricEigen(ejml.fromHost(spd, n, n, DType.F64)).values());
        }
        double t = d == DType.F64 ? 1e-10 : 1e-3;
        try (TensorScope s = nd4j.scope()) {
            Tensor bb = nd4j.fromHost(b, n, 2, d);
            Tensor x = nd4j.zeros(n, 2, d);
            Tensor a = nd4j.fromHost(spd, n, n, d);
            nd4j.choleskySolve(a, bb, x);
            assertClose(ec, nd4j.toHost(x), t, "cholesky");
            Tensor inPlace = nd4j.copy(bb);
            nd4j.choleskySolve(a, inPlace, inPlace);
            assertClose(ec, nd4j.toHost(inPlace), t, "cholesky in place");
            assertArrayEquals(spd, nd4j.toHost(a), "A is not modified");
            nd4j.luSolve(nd4j.fromHost(gen, n, n, d), bb, x);
            assertClose(el, nd4j.toHost(x), t * 100, "lu");
            Tensor inPlace2 = nd4j.copy(bb);
            nd4j.luSolve(nd4j.fromHost(gen, n, n, d), inPlace2, inPlace2);
            assertClose(el, nd4j.toHost(inPlace2), t * 100, "lu in place");
            SymmetricEigen eig = nd4j.symmetricEigen(a);
            double[] vals = nd4j.toHost(eig.values());
            assertClose(ev, vals, t, "eigenvalues");
            double[] vecs = nd4j.toHost(eig.vectors());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dotIJ = 0;
                    double av = 0;
                    for (int k = 0; k < n; k++) {
                        dotIJ += vecs[k * n + i] * vecs[k * n + j];
                        av += spd[i * n + k] * vecs[k * n + j];
                    }
                    assertEquals(i == j ? 1 : 0, dotIJ, t, "orthonormal columns");
                    assertEquals(vals[j] * vecs[i * n + j], av, t * 100, "A·v = λ·v");
                }
            }
            Tensor notPd = nd4j.fromHost(new double[] {1, 2, 2, 1}, 2, 2, d);
            Tensor rhs = nd4j.fromHost(new double[] {1, 1}, 2, 1, d);
            Tensor sol = nd4j.zeros(2, 1, d);
            assertThrows(NotPositiveDefiniteException.class, () -> nd4j.choleskySolve(notPd, rhs, sol));
            Tensor singular = nd4j.fromHost(new double[] {1, 2, 2, 4}, 2, 2, d);
            assertThrows(SingularMatrixException.class, () -> nd4j.luSolve(singular, rhs, sol));
            Tensor zero = nd4j.zeros(2, 2, d);
            assertThrows(SingularMatrixException.class, () -> nd4j.luSolve(zero, rhs, sol));
        }
    }
}
