package com.example.ntk4j.simple;

import java.util.Arrays;
import java.util.Comparator;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;

/**
 * Textbook dense solvers on row-major arrays: Cholesky (lower triangle only), LU with partial pivoting, and
 * the cyclic Jacobi eigenvalue method for symmetric matrices. Inputs are never modified.
 */
final class DenseSolvers {

    /** Relative pivot size below which LU calls a matrix singular. */
    private static final double SINGULAR_PIVOT = 1e-14;

    private DenseSolvers() {
    }

    /**
     * Solves A·X = B for symmetric positive definite A, reading only the lower triangle of A.
     *
     * @param a n×n row-major (not modified)
     * @param n the order
     * @param b n×k row-major (not modified)
     * @param k right-hand sides
     * @param shape A's shape, for messages
     * @return X, n×k row-major, a new array
     * @throws NotPositiveDefiniteException if a pivot is not positive
     */
    static double[] cholesky(double[] a, int n, double[] b, int k, String shape) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double diag = a[j * n + j];
            for (int p = 0; p < j; p++) {
                diag -= l[j * n + p] * l[j * n + p];
            }
            if (!(diag > 0)) {
                throw new NotPositiveDefiniteException("choleskySolve: the " + shape
                        + " matrix is not positive definite (pivot " + j + " is " + diag + ")");
            }
            double ljj = Math.sqrt(diag);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++) {
                    s -= l[i * n + p] * l[j * n + p];
                }
                l[i * n + j] = s / ljj;
            }
        }
        double[] x = b.clone();
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) { // L·y = b
                double s = x[i * k + c];
                for (int p = 0; p < i; p++) {
                    s -= l[i * n + p] * x[p * k + c];
                }
                x[i * k + c] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) { // Lᵀ·x = y
                double s = x[i * k + c];
                for (int p = i + 1; p < n; p++) {
                    s -= l[p * n + i] * x[p * k + c];
                }
                x[i * k + c] = s / l[i * n + i];
            }
        }
        return x;
    }

    /**
     * Solves A·X = B by LU factorization with partial pivoting.
     *
     * @param a n×n row-major (not modified)
     * @param n the order
     * @param b n×k row-major (not modified)
     * @param k right-hand sides
     * @param shape A's shape, for messages
     * @return X, n×k row-major, a new array
     * @throws SingularMatrixException if a pivot is zero or negligible next to the largest entry of A
     */
    static double[] lu(double[] a, int n, double[] b, int k, String shape) {
        double[] lu = a.clone();
        double[] x = b.clone();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < n; j++) {
            int pivot = j;
            for (int i = j + 1; i < n; i++) {
                if (Math.abs(lu[i * n + j]) > Math.abs(lu[pivot * n + j])) {
                    pivot = i;
                }
            }
            double p = lu[pivot * n + j];
            if (!(Math.abs(p) > SINGULAR_PIVOT * n * scale)) {
                throw new SingularMatrixException("luSolve: the " + shape
                        + " matrix is singular to working precision (pivot " + j + " is " + p + ")");
            }
            swapRows(lu, n, j, pivot);
            swapRows(x, k, j, pivot);
            for (int i = j + 1; i < n; i++) {
                double f = lu[i * n + j] / p;
                lu[i * n + j] = f;
                for (int c = j + 1; c < n; c++) {
                    lu[i * n + c] -= f * lu[j * n + c];
                }
                for (int c = 0; c < k; c++) {
                    x[i * k + c] -= f * x[j * k + c];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = x[i * k + c];
                for (int p = i + 1; p < n; p++) {
                    s -= lu[i * n + p] * x[p * k + c];
                }
                x[i * k + c] = s / lu[i * n + i];
            }
        }
        return x;
    }

    private static void swapRows(double[] m, int cols, int r1, int r2) {
        if (r1 == r2) {
            return;
        }
        for (int c = 0; c < cols; c++) {
            double t = m[r1 * cols + c];
            m[r1 * cols + c] = m[r2 * cols + c];
            m[r2 * cols + c] = t;
        }
    }

    /**
     * The eigendecomposition of a symmetric matrix by cyclic Jacobi rotations, until the off-diagonal part
     * is negligible.
     *
     * @param a n×n row-major, symmetric (not modified)
     * @param n the order
     * @return {eigenvalues ascending (n), eigenvectors as columns (n×n row-major)}
     */
    static double[][] jacobiEigen(double[] a, int n) {
        double[] m = a.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += m[i * n + j] * m[i * n + j];
                    if (i != j) {
                        off += m[i * n + j] * m[i * n + j];
                    }
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, v, n, p, q);
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> m[i * n + i]));
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            values[j] = m[src * n + src];
            for (int i = 0; i < n; i++) {
                vectors[i * n + j] = v[i * n + src];
            }
        }
        return new double[][] {values, vectors};
    }

    /** One Jacobi rotation that zeroes m[p][q] (and m[q][p]); accumulates it into v. */
    private static void rotate(double[] m, double[] v, int n, int p, int q) {
        double apq = m[p * n + q];
        if (apq == 0) {
            return;
        }
        double app = m[p * n + p];
        double aqq = m[q * n + q];
        double theta = (aqq - app) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) { // columns p and q: M ← M·J
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) { // rows p and q: M ← Jᵀ·M
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k * n + p];
            double vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
