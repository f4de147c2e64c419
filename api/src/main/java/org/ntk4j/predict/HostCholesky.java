package org.ntk4j.predict;

import java.util.stream.IntStream;
import org.ntk4j.backend.NotPositiveDefiniteException;

/**
 * A lower-triangular Cholesky factor L (A = L·Lᵀ) of an M×M matrix on the host, row-major, and the
 * triangular solves with it. The factorization is left-looking by columns, each column's rows in parallel.
 */
final class HostCholesky {

    /** The largest M whose M² values fit in one array. */
    static final int MAX_SIZE = 46_340;

    final double[] l;
    final int m;

    private HostCholesky(double[] l, int m) {
        this.l = l;
        this.m = m;
    }

    /**
     * Factors A + shift·I, reading A's lower triangle.
     *
     * @param a row-major M×M symmetric matrix (not modified)
     * @param m M
     * @param shift added to the diagonal
     * @param what the matrix's name, for the error message
     * @return the factor
     * @throws NotPositiveDefiniteException when a pivot is not positive
     */
    static HostCholesky factor(double[] a, int m, double shift, String what) {
        if (m > MAX_SIZE) {
            throw new IllegalArgumentException(what + ": " + m + "×" + m + " is larger than " + MAX_SIZE + "×" + MAX_SIZE);
        }
        double[] l = new double[m * m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, i * m, l, i * m, i + 1);
            l[i * m + i] += shift;
        }
        for (int j = 0; j < m; j++) {
            int jm = j * m;
            double d = l[jm + j] - dot(l, jm, l, jm, j);
            if (!(d > 0)) {
                throw new NotPositiveDefiniteException(what + " (" + m + "×" + m + ") is not positive definite: pivot "
                        + j + " is " + d);
            }
            double ljj = Math.sqrt(d);
            l[jm + j] = ljj;
            int col = j;
            IntStream range = IntStream.range(j + 1, m);
            (m - j > 256 ? range.parallel() : range).forEach(i -> {
                int im = i * m;
                l[im + col] = (l[im + col] - dot(l, im, l, jm, col)) / ljj;
            });
        }
        return new HostCholesky(l, m);
    }

    /** @return Lᵀ·L as a new row-major matrix (both triangles) */
    double[] transposeTimesSelf() {
        double[] c = new double[m * m];
        IntStream.range(0, m).parallel().forEach(i -> {
            int im = i * m;
            for (int k = i; k < m; k++) {
                double lki = l[k * m + i];
                if (lki != 0) {
                    int km = k * m;
                    for (int j = 0; j <= i; j++) {
                        c[im + j] += lki * l[km + j];
                    }
                }
            }
        });
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                c[j * m + i] = c[i * m + j];
            }
        }
        return c;
    }

    /**
     * x ← L⁻¹·x for every column of a C×M matrix stored with each column contiguous.
     *
     * @param x C·M values, column c at [c·M, (c+1)·M) (modified)
     */
    void solveLower(double[] x) {
        IntStream.range(0, x.length / m).parallel().forEach(c -> {
            int o = c * m;
            for (int i = 0; i < m; i++) {
                x[o + i] = (x[o + i] - dot(l, i * m, x, o, i)) / l[i * m + i];
            }
        });
    }

    /**
     * x ← L⁻ᵀ·x for every column, as {@link #solveLower}.
     *
     * @param x C·M values (modified)
     */
    void solveUpper(double[] x) {
        IntStream.range(0, x.length / m).parallel().forEach(c -> {
            int o = c * m;
            for (int i = m - 1; i >= 0; i--) {
                int im = i * m;
                double xi = x[o + i] / l[im + i];
                x[o + i] = xi;
                for (int k = 0; k < i; k++) {
                    x[o + k] -= xi * l[im + k];
                }
            }
        });
    }

    /** Σ_{k&lt;len} a[ao + k]·b[bo + k], in four partial sums. */
    static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < len; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
