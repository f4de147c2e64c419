package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.Triangle;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Falkon's preconditioner on a backend, in one M×M F64 tensor as Falkon keeps it: its lower triangle holds L_T,
 * the lower Cholesky factor of K_MM (T = L_Tᵀ, TᵀT = K_MM), its upper triangle U_A, the upper Cholesky factor of
 * T·Tᵀ + λ·M·I (so A = U_A/√M, AᵀA = T·Tᵀ/M + λ·I), and the two diagonals are kept apart on the host and put
 * back before each triangle is used. The solves act on C×M host vectors (column c at [c·M, (c+1)·M)). The
 * factorizations, the product T·Tᵀ and the solves are the backend's triangle operations
 * ({@code choleskyFactorInPlace}, {@code triangularGramInPlace}, {@code triangularSolve}; LAPACK and BLAS on
 * ND4J). Close it to free the tensor. Not for concurrent use.
 */
public final class FalkonPreconditioner implements AutoCloseable {

    private static final double EPS = Math.ulp(1.0);

    private final Backend backend;
    private final int m;
    private final Tensor factors;
    private final double[] diagT;
    private final double[] diagA;
    /** Which factor's diagonal the tensor holds now. */
    private Triangle installed;

    private FalkonPreconditioner(Backend backend, int m, Tensor factors, double[] diagT, double[] diagA) {
        this.backend = backend;
        this.m = m;
        this.factors = factors;
        this.diagT = diagT;
        this.diagA = diagA;
        this.installed = Triangle.UPPER;
    }

    /**
     * Factors K_MM plus a diagonal shift of M·ε·mean diagonal (grown a hundredfold at a time while K_MM + shift
     * is numerically singular) and T·Tᵀ + λ·M·I. Memory on the backend: one M×M F64 tensor.
     *
     * @param backend the backend that holds the factors and solves with them; used until {@link #close}
     * @param kmm row-major M×M kernel of the centres (not modified)
     * @param m M
     * @param lambda the ridge λ
     * @return the preconditioner
     * @throws NotPositiveDefiniteException if K_MM stays singular even with the largest shift
     */
    public static FalkonPreconditioner of(Backend backend, double[] kmm, int m, double lambda) {
        if (kmm.length != (long) m * m) {
            throw new IllegalArgumentException("K_MM has " + kmm.length + " values for " + m + " centres");
        }
        Tensor t = factorKmm(backend, kmm, m);
        try {
            double[] diagT = backend.diagonal(t);
            // upper ← T = L_Tᵀ, then T·Tᵀ in place; the strict lower triangle keeps L_T
            backend.mirrorTriangle(t, Triangle.LOWER);
            backend.triangularGramInPlace(t, Triangle.UPPER);
            backend.addToDiagonal(lambda * m, t);
            try {
                backend.choleskyFactorInPlace(t, Triangle.UPPER);
            } catch (NotPositiveDefiniteException e) {
                throw new NotPositiveDefiniteException("T·Tᵀ/M + λI (" + m + "×" + m + ") is not positive definite; "
                        + "is λ = " + lambda + " too small? " + e.getMessage());
            }
            return new FalkonPreconditioner(backend, m, t, diagT, backend.diagonal(t));
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    /** L_T = chol(K_MM + s·I) in the lower triangle, s = M·ε·mean diagonal first, growing a hundredfold. */
    private static Tensor factorKmm(Backend backend, double[] kmm, int m) {
        double meanDiag = 0;
        for (int i = 0; i < m; i++) {
            meanDiag += kmm[i * m + i] / m;
        }
        double shift = m * EPS * meanDiag;
        NotPositiveDefiniteException last = null;
        for (int attempt = 0; attempt < 6; attempt++, shift *= 100) {
            Tensor t = backend.fromHost(kmm, m, m, DType.F64);
            try {
                backend.addToDiagonal(shift, t);
                backend.choleskyFactorInPlace(t, Triangle.LOWER);
                return t;
            } catch (NotPositiveDefiniteException e) {
                t.close();
                last = e;
            } catch (RuntimeException | Error e) {
                t.close();
                throw e;
            }
        }
        throw new NotPositiveDefiniteException("K_MM (" + m + "×" + m + ") is not positive definite even with a "
                + "diagonal shift of " + (shift / 100) + "; are there duplicate centres? " + last.getMessage());
    }

    /** @return M */
    public int centres() {
        return m;
    }

    /**
     * v ← T⁻ᵀ·v (transpose) or T⁻¹·v, with T = L_Tᵀ: for every column.
     *
     * @param v C×M values (modified)
     * @param inverseTranspose whether to apply T⁻ᵀ = L_T⁻¹ rather than T⁻¹ = L_T⁻ᵀ
     */
    void solveT(double[] v, boolean inverseTranspose) {
        solve(Triangle.LOWER, !inverseTranspose, 1, v);
    }

    /**
     * v ← A⁻ᵀ·v (transpose) or A⁻¹·v, with A = U_A/√M: for every column.
     *
     * @param v C×M values (modified)
     * @param inverseTranspose whether to apply A⁻ᵀ = √M·U_A⁻ᵀ rather than A⁻¹ = √M·U_A⁻¹
     */
    void solveA(double[] v, boolean inverseTranspose) {
        solve(Triangle.UPPER, inverseTranspose, Math.sqrt(m), v);
    }

    /** v ← s·R⁻¹·v or s·R⁻ᵀ·v for the triangle R, on the C×M host vectors as one M×C right-hand side. */
    private void solve(Triangle part, boolean transpose, double s, double[] v) {
        if (installed != part) {
            backend.setDiagonal(part == Triangle.LOWER ? diagT : diagA, factors);
            installed = part;
        }
        int c = v.length / m;
        double[] cols = new double[v.length];
        for (int a = 0; a < c; a++) {
            for (int i = 0; i < m; i++) {
                cols[i * c + a] = v[a * m + i];
            }
        }
        try (Tensor b = backend.fromHost(cols, m, c, DType.F64)) {
            backend.triangularSolve(factors, part, transpose, b, b);
            cols = backend.toHost(b);
        }
        for (int a = 0; a < c; a++) {
            for (int i = 0; i < m; i++) {
                v[a * m + i] = s * cols[i * c + a];
            }
        }
    }

    /** Frees the factors. */
    @Override
    public void close() {
        factors.close();
    }
}
