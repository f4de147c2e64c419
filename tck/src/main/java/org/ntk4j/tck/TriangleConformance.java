package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.Triangle;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Operations on one triangle of a square tensor whose other strict triangle holds something else (Falkon's
 * preconditioner keeps two factors in one buffer): {@code choleskyFactorInPlace}, {@code triangularSolve} and
 * {@code triangularGramInPlace} with a {@link Triangle}, {@code mirrorTriangle}, {@code diagonal} and
 * {@code setDiagonal}. The other strict triangle is filled with NaN, which must be neither read nor written.
 */
public abstract class TriangleConformance extends ConformanceGroup {

    /** For subclasses. */
    protected TriangleConformance() {
    }

    private static final int[] SIZES = {1, 2, 7, 60};

    /** m with the strict triangle opposite {@code part} set to {@code fill}. */
    private static HostMatrix only(HostMatrix m, Triangle part, double fill) {
        HostMatrix out = m.copy();
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                boolean inside = part == Triangle.LOWER ? j <= i : j >= i;
                if (!inside) {
                    out.set(i, j, fill);
                }
            }
        }
        return out;
    }

    /** m with {@code part} (diagonal included) set to 0: the strict triangle an operation on part must keep. */
    private static HostMatrix outside(HostMatrix m, Triangle part) {
        HostMatrix out = m.copy();
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                if (part == Triangle.LOWER ? j <= i : j >= i) {
                    out.set(i, j, 0);
                }
            }
        }
        return out;
    }

    /** A random triangular n×n matrix in {@code part}, its diagonal in [1, 2], zeros elsewhere. */
    private static HostMatrix randomTriangle(RandomData r, int n, Triangle part) {
        HostMatrix t = only(r.uniform(n, n, -0.5, 0.5), part, 0);
        HostMatrix d = r.uniform(n, 1, 1, 2);
        for (int i = 0; i < n; i++) {
            t.set(i, i, d.get(i, 0));
        }
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("choleskyFactorInPlace(a, part) leaves L·Lᵀ = A (lower) or Uᵀ·U = A (upper) in that triangle alone")
    void choleskyFactor(DType dtype) {
        RandomData r = random(71, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (Triangle part : Triangle.values()) {
            for (int n : SIZES) {
                HostMatrix a = r.spd(n);
                HostMatrix input = only(a, part, Double.NaN);
                Tensor t = tensor(input, dtype);
                backend.choleskyFactorInPlace(t, part);
                HostMatrix after = host(t);
                String what = "choleskyFactorInPlace " + part + " " + n + "×" + n + " " + dtype;
                Approx.assertExact(what + " leaves the other triangle", outside(input, part), outside(after, part));
                HostMatrix f = only(after, part, 0);
                for (int i = 0; i < n; i++) {
                    assertTrue(f.get(i, i) > 0, what + ": diagonal entry " + i + " is " + f.get(i, i));
                }
                boolean lower = part == Triangle.LOWER;
                HostMatrix product = Reference.gemm(1, f, !lower, f, lower, 0, null);
                HostMatrix magnitude = Reference.gemmMagnitude(1, f, !lower, f, lower, 0, null);
                Approx.assertRounding(what, a, product, magnitude, 4 * n, tol);
            }
            Tensor indefinite = backend.fromHost(new double[] {1, 2, 2, 1}, 2, 2, dtype);
            assertThrows(NotPositiveDefiniteException.class, () -> backend.choleskyFactorInPlace(indefinite, part),
                    "choleskyFactorInPlace " + part + " of an indefinite matrix");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("triangularSolve(r, part, …) solves with R and Rᵀ, reading that triangle alone")
    void triangularSolve(DType dtype) {
        RandomData r = random(72, dtype);
        for (Triangle part : Triangle.values()) {
            for (int n : SIZES) {
                HostMatrix t = randomTriangle(r, n, part);
                HostMatrix input = only(t, part, Double.NaN);
                HostMatrix b = r.uniform(n, 3);
                Tensor tt = tensor(input, dtype);
                for (boolean transpose : new boolean[] {false, true}) {
                    String what = "triangularSolve " + part + (transpose ? " transposed " : " ") + n + "×" + n + " "
                            + dtype;
                    Tensor x = tensor(b, dtype);
                    backend.triangularSolve(tt, part, transpose, x, x);
                    HostMatrix op = transpose ? Reference.transpose(t) : t;
                    HostMatrix residual = Reference.axpby(1, Reference.multiply(op, host(x)), -1, b);
                    double bound = Tolerance.of(dtype).rounding(4 * n,
                            Reference.frobenius(t) * Reference.frobenius(host(x)) + Reference.frobenius(b));
                    assertTrue(Reference.frobenius(residual) <= bound, what + ": residual "
                            + Reference.frobenius(residual) + " exceeds " + bound);
                    Approx.assertExact(what + " leaves R", input, host(tt));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("triangularGramInPlace(a, part) writes Lᵀ·L (lower) or U·Uᵀ (upper) into that triangle alone")
    void triangularGram(DType dtype) {
        RandomData r = random(73, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (Triangle part : Triangle.values()) {
            for (int n : SIZES) {
                HostMatrix t = randomTriangle(r, n, part);
                HostMatrix input = only(t, part, Double.NaN);
                boolean lower = part == Triangle.LOWER;
                HostMatrix expected = only(Reference.gemm(1, t, lower, t, !lower, 0, null), part, 0);
                HostMatrix magnitude = only(Reference.gemmMagnitude(1, t, lower, t, !lower, 0, null), part, 0);
                Tensor tt = tensor(input, dtype);
                backend.triangularGramInPlace(tt, part);
                HostMatrix after = host(tt);
                String what = "triangularGramInPlace " + part + " " + n + "×" + n + " " + dtype;
                Approx.assertExact(what + " leaves the other triangle", outside(input, part), outside(after, part));
                Approx.assertRounding(what, expected, only(after, part, 0), magnitude, n, tol);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("mirrorTriangle copies one strict triangle onto the other, transposed; diagonal and source stay")
    void mirror(DType dtype) {
        RandomData r = random(74, dtype);
        for (Triangle from : Triangle.values()) {
            for (int n : SIZES) {
                HostMatrix m = r.uniform(n, n);
                HostMatrix expected = m.copy();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        if (from == Triangle.LOWER) {
                            expected.set(j, i, m.get(i, j));
                        } else {
                            expected.set(i, j, m.get(j, i));
                        }
                    }
                }
                Tensor t = tensor(m, dtype);
                backend.mirrorTriangle(t, from);
                Approx.assertExact("mirrorTriangle from " + from + " " + n + "×" + n + " " + dtype, expected, host(t));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("diagonal reads and setDiagonal writes the diagonal alone")
    void diagonal(DType dtype) {
        RandomData r = random(75, dtype);
        for (int n : SIZES) {
            HostMatrix m = r.uniform(n, n);
            HostMatrix d = r.uniform(n, 1);
            Tensor t = tensor(m, dtype);
            String what = "diagonal " + n + "×" + n + " " + dtype;
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = m.get(i, i);
            }
            assertArrayEquals(expected, backend.diagonal(t), 0, what);
            backend.setDiagonal(d.data(), t);
            HostMatrix after = m.copy();
            for (int i = 0; i < n; i++) {
                after.set(i, i, d.get(i, 0));
            }
            Approx.assertExact("setDiagonal " + n + "×" + n + " " + dtype, after, host(t));
        }
        assertIllegalArgument(() -> backend.setDiagonal(new double[2], backend.zeros(3, 3, dtype)), "2 values");
    }
}
