package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Falkon's preconditioner on a backend: the lower Cholesky factors L_T of K_MM (T = L_Tᵀ, TᵀT = K_MM) and L_A of
 * T·Tᵀ/M + λ·I (A = L_Aᵀ), two M×M F64 tensors, and the triangular solves with them on C×M host vectors (column
 * c at [c·M, (c+1)·M)). The factorizations, the product T·Tᵀ = L_Tᵀ·L_T and the solves are the backend's
 * {@code choleskyFactorInPlace}, {@code triangularGram} and {@code triangularSolve} (LAPACK and BLAS on ND4J).
 * Close it to free the tensors.
 */
public final class FalkonPreconditioner implements AutoCloseable {

    private static final double EPS = Math.ulp(1.0);

    private final Backend backend;
    private final int m;
    private final Tensor lt;
    private final Tensor la;

    private FalkonPreconditioner(Backend backend, int m, Tensor lt, Tensor la) {
        this.backend = backend;
        this.m = m;
        this.lt = lt;
        this.la = la;
    }

    /**
     * Factors K_MM plus a diagonal shift of M·ε·mean diagonal (grown a hundredfold at a time while K_MM + shift
     * is numerically singular) and T·Tᵀ/M + λ·I. Peak memory on the backend: two M×M F64 tensors.
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
        Tensor lt = factorKmm(backend, kmm, m);
        Tensor la = null;
        try {
            la = backend.zeros(m, m, DType.F64);
            backend.triangularGram(lt, la);
            backend.scale(1.0 / m, la, la);
            backend.addToDiagonal(lambda, la);
            try {
                backend.choleskyFactorInPlace(la);
            } catch (NotPositiveDefiniteException e) {
                throw new NotPositiveDefiniteException("T·Tᵀ/M + λI (" + m + "×" + m + ") is not positive definite; "
                        + "is λ = " + lambda + " too small? " + e.getMessage());
            }
            return new FalkonPreconditioner(backend, m, lt, la);
        } catch (RuntimeException | Error e) {
            lt.close();
            if (la != null) {
                la.close();
            }
            throw e;
        }
    }

    /** chol(K_MM + s·I), s = M·ε·mean diagonal first, growing a hundredfold until it succeeds. */
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
                backend.choleskyFactorInPlace(t);
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
        solve(lt, !inverseTranspose, v);
    }

    /**
     * v ← A⁻ᵀ·v (transpose) or A⁻¹·v, with A = L_Aᵀ: for every column.
     *
     * @param v C×M values (modified)
     * @param inverseTranspose whether to apply A⁻ᵀ = L_A⁻¹ rather than A⁻¹ = L_A⁻ᵀ
     */
    void solveA(double[] v, boolean inverseTranspose) {
        solve(la, !inverseTranspose, v);
    }

    /** v ← L⁻¹·v or L⁻ᵀ·v for the C×M host vectors v, as one M×C right-hand side on the backend. */
    private void solve(Tensor l, boolean transpose, double[] v) {
        int c = v.length / m;
        double[] cols = new double[v.length];
        for (int a = 0; a < c; a++) {
            for (int i = 0; i < m; i++) {
                cols[i * c + a] = v[a * m + i];
            }
        }
        try (Tensor b = backend.fromHost(cols, m, c, DType.F64)) {
            backend.triangularSolve(l, transpose, b, b);
            cols = backend.toHost(b);
        }
        for (int a = 0; a < c; a++) {
            for (int i = 0; i < m; i++) {
                v[a * m + i] = cols[i * c + a];
            }
        }
    }

    /** Frees the two factors. */
    @Override
    public void close() {
        lt.close();
        la.close();
    }
}
