package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Dense solvers: {@code choleskySolve}, {@code luSolve}, {@code symmetricEigen}, and the triangular composites
 * {@code choleskyFactorInPlace}, {@code triangularSolve} and {@code triangularGram}, judged by backward error
 * (residuals relative to ‖A‖·‖X‖ + ‖B‖), orthogonality, and eigenvalues known by construction.
 */
public abstract class LinearAlgebraConformance extends ConformanceGroup {

    /** For subclasses. */
    protected LinearAlgebraConformance() {
    }

    private static final int[] SIZES = {1, 2, 7, 60};

    /** Asserts ‖A·X − B‖_F ≤ rounding(4n)·(‖A‖_F·‖X‖_F + ‖B‖_F). */
    private static void assertResidual(String what, HostMatrix a, HostMatrix x, HostMatrix b, DType dtype) {
        HostMatrix r = Reference.axpby(1, Reference.multiply(a, x), -1, b);
        double residual = Reference.frobenius(r);
        double bound = Tolerance.of(dtype).rounding(4 * a.rows(),
                Reference.frobenius(a) * Reference.frobenius(x) + Reference.frobenius(b));
        assertTrue(residual <= bound, what + ": residual ‖A·X − B‖ = " + residual + " exceeds " + bound);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("choleskySolve solves SPD systems, reads only the lower triangle, and may write into B")
    void cholesky(DType dtype) {
        RandomData r = random(61, dtype);
        for (int n : SIZES) {
            for (int k : new int[] {1, 3}) {
                HostMatrix a = r.spd(n);
                HostMatrix b = r.uniform(n, k);
                HostMatrix upperGarbage = a.copy();
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        upperGarbage.set(i, j, Double.NaN);
                    }
                }
                Tensor ta = tensor(upperGarbage, dtype);
                Tensor tb = tensor(b, dtype);
                Tensor out = backend.zeros(n, k, dtype);
                backend.choleskySolve(ta, tb, out);
                assertResidual("choleskySolve " + n + "×" + n + " with " + k + " right-hand sides " + dtype, a,
                        host(out), b, dtype);
                Approx.assertExact("choleskySolve leaves A unchanged", upperGarbage, host(ta));
                Approx.assertExact("choleskySolve leaves B unchanged", b, host(tb));
                backend.choleskySolve(ta, tb, tb);
                assertResidual("choleskySolve with out = B", a, host(tb), b, dtype);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("choleskySolve throws NotPositiveDefiniteException for indefinite and semidefinite matrices")
    void notPositiveDefinite(DType dtype) {
        double[][] cases = {{-1}, {0}, {1, 2, 2, 1}, {1, 1, 1, 1}, {2, 0, 0, 0, -1, 0, 0, 0, 3}};
        for (double[] c : cases) {
            int n = (int) Math.round(Math.sqrt(c.length));
            Tensor a = backend.fromHost(c.clone(), n, n, dtype);
            Tensor b = backend.fromHost(new double[n], n, 1, dtype);
            assertThrows(NotPositiveDefiniteException.class, () -> backend.choleskySolve(a, b, b),
                    "choleskySolve of " + Arrays.toString(c));
        }
        assertIllegalArgument(() -> backend.choleskySolve(backend.zeros(2, 3, dtype), backend.zeros(2, 1, dtype),
                backend.zeros(2, 1, dtype)), "2×3");
        assertIllegalArgument(() -> backend.choleskySolve(tensor(random(62, dtype).spd(3), dtype),
                backend.zeros(2, 1, dtype), backend.zeros(2, 1, dtype)), "2×1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("luSolve solves general non-symmetric systems, and may write into B")
    void lu(DType dtype) {
        RandomData r = random(63, dtype);
        for (int n : SIZES) {
            for (int k : new int[] {1, 4}) {
                HostMatrix a = r.normal(n, n);
                HostMatrix b = r.uniform(n, k);
                Tensor ta = tensor(a, dtype);
                Tensor tb = tensor(b, dtype);
                Tensor out = backend.zeros(n, k, dtype);
                backend.luSolve(ta, tb, out);
                assertResidual("luSolve " + n + "×" + n + " with " + k + " right-hand sides " + dtype, a, host(out),
                        b, dtype);
                Approx.assertExact("luSolve leaves A unchanged", a, host(ta));
                backend.luSolve(ta, tb, tb);
                assertResidual("luSolve with out = B", a, host(tb), b, dtype);
            }
        }
        // a system that needs pivoting: the leading element is zero
        HostMatrix a = new HostMatrix(3, 3, new double[] {0, 2, 1, 1, 1, 1, 3, 0, -1});
        HostMatrix b = new HostMatrix(3, 1, new double[] {3, 3, 2});
        Tensor out = backend.zeros(3, 1, dtype);
        backend.luSolve(tensor(a, dtype), tensor(b, dtype), out);
        Approx.assertWithin("luSolve with a zero leading pivot", new HostMatrix(3, 1, new double[] {1, 1, 1}), host(out),
                i -> Tolerance.of(dtype).rounding(30, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("luSolve throws SingularMatrixException for singular matrices")
    void singular(DType dtype) {
        RandomData r = random(64, dtype);
        HostMatrix dependent = r.normal(6, 6);
        for (int j = 0; j < 6; j++) {
            dependent.set(4, j, 2 * dependent.get(1, j)); // row 4 = 2·row 1: exactly singular in any precision
        }
        HostMatrix zeroColumn = r.normal(4, 4);
        for (int i = 0; i < 4; i++) {
            zeroColumn.set(i, 2, 0);
        }
        for (HostMatrix a : new HostMatrix[] {HostMatrix.zeros(1, 1), HostMatrix.zeros(3, 3), dependent, zeroColumn}) {
            Tensor ta = tensor(a, dtype);
            Tensor b = tensor(r.uniform(a.rows(), 2), dtype);
            Tensor out = backend.zeros(a.rows(), 2, dtype);
            assertThrows(SingularMatrixException.class, () -> backend.luSolve(ta, b, out),
                    "luSolve of a singular " + a.shape() + " matrix");
        }
        assertIllegalArgument(() -> backend.luSolve(backend.zeros(3, 2, dtype), backend.zeros(3, 1, dtype),
                backend.zeros(3, 1, dtype)), "3×2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("luSolve pivots: [[1e-20, 1], [1, 1]] is well conditioned and is solved, not called singular")
    void luNeedsPivoting(DType dtype) {
        // A·x = b with x = (1/(1 − 1e-20), (1 − 2e-20)/(1 − 1e-20)) = (1, 1) to far below rounding; cond(A) ≈ 2.6.
        // Without row exchanges the second pivot is 1 − 1e20: the factorization either looks singular (a
        // relative pivot test) or loses x₁ entirely (x₁ = 0).
        double[][] systems = {{1e-20, 1, 1, 1}, {1, 1, 1e-20, 1}};
        double[][] rhs = {{1, 2}, {2, 1}};
        for (int s = 0; s < systems.length; s++) {
            String what = "luSolve " + dtype + " of " + Arrays.toString(systems[s]);
            Tensor out = backend.zeros(2, 1, dtype);
            Tensor a = backend.fromHost(systems[s].clone(), 2, 2, dtype);
            Tensor b = backend.fromHost(rhs[s].clone(), 2, 1, dtype);
            try {
                backend.luSolve(a, b, out);
            } catch (SingularMatrixException e) {
                fail(what + " called a well-conditioned matrix singular (is the LU pivoting?): " + e.getMessage());
            }
            Approx.assertWithin(what, new HostMatrix(2, 1, new double[] {1, 1}), host(out),
                    i -> Tolerance.of(dtype).rounding(8, 2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("luSolve throws SingularMatrixException when A is singular to working precision, instead of a garbage solution")
    void singularToWorkingPrecision(DType dtype) {
        // Exactly singular (row 3 = 2·row 2 − row 1; so is its transpose), its entries exact in any dtype, but its LU
        // factors are not: with
        // partial pivoting the last pivot comes out as rounding noise (about 1e-16 in F64), not zero. An LU that
        // only refuses an exactly zero pivot "solves" it with entries near 1e16 and a small residual. The
        // contract: a pivot at most about n·u·max|a_ij| means singular to working precision.
        HostMatrix rows = new HostMatrix(3, 3, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        for (HostMatrix a : new HostMatrix[] {rows, Reference.transpose(rows)}) {
            Tensor ta = tensor(a, dtype);
            Tensor b = tensor(new HostMatrix(3, 1, new double[] {1, -1, 0.5}), dtype);
            Tensor out = backend.zeros(3, 1, dtype);
            String what = "luSolve " + dtype + " of the singular " + Arrays.toString(a.data());
            SingularMatrixException e = assertThrows(SingularMatrixException.class, () -> backend.luSolve(ta, b, out),
                    () -> what + " returned " + Arrays.toString(host(out).data()) + " instead of throwing "
                            + "SingularMatrixException");
            assertMessageContains(what, e, "luSolve");
        }
    }

    /** The lower triangle of {@code t}, zeros above. */
    private static HostMatrix lower(HostMatrix t) {
        HostMatrix l = t.copy();
        for (int i = 0; i < t.rows(); i++) {
            for (int j = i + 1; j < t.cols(); j++) {
                l.set(i, j, 0);
            }
        }
        return l;
    }

    /** {@code t} with NaN above the diagonal, which a triangular operation must not read. */
    private static HostMatrix withUpperGarbage(HostMatrix t) {
        HostMatrix g = t.copy();
        for (int i = 0; i < t.rows(); i++) {
            for (int j = i + 1; j < t.cols(); j++) {
                g.set(i, j, Double.NaN);
            }
        }
        return g;
    }

    /** A random lower-triangular n×n matrix, its diagonal in [1, 2]: condition number far from the rounding. */
    private static HostMatrix randomLower(RandomData r, int n) {
        HostMatrix l = lower(r.uniform(n, n, -0.5, 0.5));
        HostMatrix d = r.uniform(n, 1, 1, 2);
        for (int i = 0; i < n; i++) {
            l.set(i, i, d.get(i, 0));
        }
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("choleskyFactorInPlace leaves L with L·Lᵀ = A and zeros above the diagonal, reading only the lower triangle")
    void choleskyFactor(DType dtype) {
        RandomData r = random(66, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (int n : SIZES) {
            HostMatrix a = r.spd(n);
            Tensor t = tensor(withUpperGarbage(a), dtype);
            backend.choleskyFactorInPlace(t);
            HostMatrix l = host(t);
            String what = "choleskyFactorInPlace " + n + "×" + n + " " + dtype;
            Approx.assertExact(what + ": zeros above the diagonal", lower(l), l);
            for (int i = 0; i < n; i++) {
                assertTrue(l.get(i, i) > 0, what + ": diagonal entry " + i + " is " + l.get(i, i));
            }
            // L·Lᵀ = A with a positive diagonal defines L uniquely; its backward error is at most about n·u·|L|·|Lᵀ|
            HostMatrix product = Reference.gemm(1, l, false, l, true, 0, null);
            HostMatrix magnitude = Reference.gemmMagnitude(1, l, false, l, true, 0, null);
            Approx.assertRounding(what + ": L·Lᵀ", a, product, magnitude, 4 * n, tol);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("choleskyFactorInPlace throws NotPositiveDefiniteException for indefinite and semidefinite matrices")
    void choleskyFactorNotPositiveDefinite(DType dtype) {
        double[][] cases = {{-1}, {0}, {1, 2, 2, 1}, {1, 1, 1, 1}, {2, 0, 0, 0, -1, 0, 0, 0, 3}, {Double.NaN}};
        for (double[] c : cases) {
            int n = (int) Math.round(Math.sqrt(c.length));
            Tensor a = backend.fromHost(c.clone(), n, n, dtype);
            assertThrows(NotPositiveDefiniteException.class, () -> backend.choleskyFactorInPlace(a),
                    "choleskyFactorInPlace of " + Arrays.toString(c));
        }
        assertIllegalArgument(() -> backend.choleskyFactorInPlace(backend.zeros(2, 3, dtype)), "2×3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("triangularSolve solves with L and with Lᵀ, reads only the lower triangle, and may write into B")
    void triangularSolve(DType dtype) {
        RandomData r = random(67, dtype);
        for (int n : SIZES) {
            for (int k : new int[] {1, 3}) {
                HostMatrix l = randomLower(r, n);
                HostMatrix garbage = withUpperGarbage(l);
                HostMatrix b = r.uniform(n, k);
                Tensor tl = tensor(garbage, dtype);
                Tensor tb = tensor(b, dtype);
                for (boolean transpose : new boolean[] {false, true}) {
                    String what = "triangularSolve " + n + "×" + n + (transpose ? " Lᵀ" : " L") + " with " + k
                            + " right-hand sides " + dtype;
                    HostMatrix op = transpose ? Reference.transpose(l) : l;
                    Tensor out = backend.zeros(n, k, dtype);
                    backend.triangularSolve(tl, transpose, tb, out);
                    assertResidual(what, op, host(out), b, dtype);
                    Approx.assertExact(what + " leaves L unchanged", garbage, host(tl));
                    Approx.assertExact(what + " leaves B unchanged", b, host(tb));
                    Tensor inPlace = tensor(b, dtype);
                    backend.triangularSolve(tl, transpose, inPlace, inPlace);
                    assertResidual(what + " with out = B", op, host(inPlace), b, dtype);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("triangularSolve throws SingularMatrixException for a zero on the diagonal, and checks shapes")
    void triangularSolveRejects(DType dtype) {
        HostMatrix l = new HostMatrix(3, 3, new double[] {2, 0, 0, 1, 0, 0, 1, 1, 1});
        for (boolean transpose : new boolean[] {false, true}) {
            Tensor b = backend.fromHost(new double[] {1, 2, 3}, 3, 1, dtype);
            SingularMatrixException e = assertThrows(SingularMatrixException.class,
                    () -> backend.triangularSolve(tensor(l, dtype), transpose, b, b),
                    "triangularSolve " + dtype + " with a zero on the diagonal");
            assertMessageContains("triangularSolve " + dtype, e, "triangularSolve");
        }
        assertIllegalArgument(() -> backend.triangularSolve(backend.zeros(2, 3, dtype), false, backend.zeros(2, 1, dtype),
                backend.zeros(2, 1, dtype)), "2×3");
        Tensor square = tensor(randomLower(random(68, dtype), 3), dtype);
        assertIllegalArgument(() -> backend.triangularSolve(square, true, backend.zeros(2, 1, dtype),
                backend.zeros(2, 1, dtype)), "2×1");
        assertIllegalArgument(() -> backend.triangularSolve(square, false, backend.zeros(3, 1, dtype),
                backend.zeros(3, 2, dtype)), "3×2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("triangularGram gives Lᵀ·L in both triangles, reads only the lower triangle, and may write into L")
    void triangularGram(DType dtype) {
        RandomData r = random(69, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (int n : SIZES) {
            HostMatrix l = randomLower(r, n);
            HostMatrix garbage = withUpperGarbage(l);
            HostMatrix expected = Reference.gemm(1, l, true, l, false, 0, null);
            HostMatrix magnitude = Reference.gemmMagnitude(1, l, true, l, false, 0, null);
            String what = "triangularGram " + n + "×" + n + " " + dtype;
            Tensor tl = tensor(garbage, dtype);
            Tensor out = backend.zeros(n, n, dtype);
            backend.triangularGram(tl, out);
            HostMatrix actual = host(out);
            Approx.assertRounding(what, expected, actual, magnitude, n, tol);
            Approx.assertExact(what + " is symmetric", Reference.transpose(actual), actual);
            Approx.assertExact(what + " leaves L unchanged", garbage, host(tl));
            backend.triangularGram(tl, tl);
            Approx.assertRounding(what + " with out = L", expected, host(tl), magnitude, n, tol);
        }
        assertIllegalArgument(() -> backend.triangularGram(backend.zeros(2, 3, dtype), backend.zeros(2, 3, dtype)),
                "2×3");
        assertIllegalArgument(() -> backend.triangularGram(backend.zeros(3, 3, dtype), backend.zeros(2, 2, dtype)),
                "2×2");
    }

    /** A = H·diag(λ)·H with H = I − 2vvᵀ/vᵀv, a symmetric orthogonal reflection: eigenvalues λ. */
    private static HostMatrix withEigenvalues(double[] lambda, RandomData r) {
        int n = lambda.length;
        HostMatrix v = r.normal(n, 1);
        double vv = Reference.dot(v, v);
        HostMatrix h = HostMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h.set(i, j, (i == j ? 1 : 0) - 2 * v.get(i, 0) * v.get(j, 0) / vv);
            }
        }
        HostMatrix d = HostMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            d.set(i, i, lambda[i]);
        }
        HostMatrix a = Reference.multiply(Reference.multiply(h, d), h);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = r.round((a.get(i, j) + a.get(j, i)) / 2);
                a.set(i, j, s);
                a.set(j, i, s);
            }
            a.set(i, i, r.round(a.get(i, i)));
        }
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("symmetricEigen returns ascending eigenvalues and orthonormal vectors that reconstruct A")
    void eigen(DType dtype) {
        RandomData r = random(65, dtype);
        double[][] spectra = {{2.5}, {3, -1}, {-2, 4, 4, 1, 1, 1}, {0.5, -3, 7, 2, 0, -0.25, 1e-3},
            r.normal(1, 40).data()};
        for (double[] lambda : spectra) {
            int n = lambda.length;
            HostMatrix a = withEigenvalues(lambda, r);
            Tensor ta = tensor(a, dtype);
            SymmetricEigen eig = backend.symmetricEigen(ta);
            HostMatrix values = host(eig.values());
            HostMatrix v = host(eig.vectors());
            assertEquals(n + "×1", values.shape(), "eigenvalue tensor shape");
            assertEquals(n + "×" + n, v.shape(), "eigenvector tensor shape");
            Tolerance tol = Tolerance.of(dtype);
            double norm = Arrays.stream(lambda).map(Math::abs).max().orElse(0);
            double[] sorted = lambda.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    assertTrue(values.get(i - 1, 0) <= values.get(i, 0), "eigenvalues not ascending at " + i);
                }
            }
            Approx.assertWithin("eigenvalues of a " + n + "×" + n + " matrix", new HostMatrix(n, 1, sorted), values,
                    i -> tol.rounding(10 * n, norm));
            HostMatrix scaled = v.copy();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    scaled.set(i, j, v.get(i, j) * values.get(j, 0));
                }
            }
            HostMatrix reconstructed = Reference.gemm(1, scaled, false, v, true, 0, null);
            Approx.assertWithin("V·diag(λ)·Vᵀ of a " + n + "×" + n + " matrix", a, reconstructed,
                    i -> tol.rounding(10 * n, norm));
            HostMatrix gram = Reference.gemm(1, v, true, v, false, 0, null);
            HostMatrix identity = HostMatrix.zeros(n, n);
            for (int i = 0; i < n; i++) {
                identity.set(i, i, 1);
            }
            Approx.assertWithin("Vᵀ·V of a " + n + "×" + n + " matrix", identity, gram, i -> tol.rounding(10 * n, 1));
            Approx.assertExact("symmetricEigen leaves A unchanged", a, host(ta));
        }
        assertIllegalArgument(() -> backend.symmetricEigen(backend.zeros(2, 3, dtype)), "2×3");
    }
}
