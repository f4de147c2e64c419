package org.ntk4j.backend.spi;

import java.util.stream.IntStream;

/**
 * Host versions of the triangular composites of {@code Backend} — a Cholesky factorization, solves with a
 * lower-triangular factor, and the product Lᵀ·L — on row-major {@code double[]} arrays. They are the defaults a
 * backend inherits; the factorization and the product run their rows in parallel, the solves make one pass
 * over L for all right-hand sides.
 */
public final class HostTriangular {

    /** Rows below which the loops stay on the calling thread. */
    private static final int PARALLEL = 256;

    private HostTriangular() {
    }

    /**
     * Factors a symmetric matrix in place, left-looking by columns: afterwards the lower triangle holds L with
     * A = L·Lᵀ and the strict upper triangle is zero. Only A's lower triangle is read.
     *
     * @param a row-major n×n values, modified: L
     * @param n n
     * @return −1 on success, otherwise the 0-based index of the first pivot that is not positive (or not a
     *     number); a is then partly overwritten
     */
    public static int cholesky(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0);
        }
        for (int j = 0; j < n; j++) {
            int jn = j * n;
            double d = a[jn + j] - dot(a, jn, a, jn, j);
            if (!(d > 0) || d == Double.POSITIVE_INFINITY) {
                return j;
            }
            double ljj = Math.sqrt(d);
            a[jn + j] = ljj;
            int col = j;
            IntStream rows = IntStream.range(j + 1, n);
            (n - j > PARALLEL ? rows.parallel() : rows).forEach(i -> {
                int in = i * n;
                a[in + col] = (a[in + col] - dot(a, in, a, jn, col)) / ljj;
            });
        }
        return -1;
    }

    /**
     * b ← L⁻¹·B or L⁻ᵀ·B, with L the lower triangle of {@code l} (its strict upper triangle is not read): forward
     * or backward substitution by rows of L, every right-hand side at once.
     *
     * @param l row-major n×n values (not modified)
     * @param n n
     * @param transpose whether to solve with Lᵀ
     * @param b row-major n×k right-hand sides, modified: the solution
     * @param k k
     */
    public static void solveLower(double[] l, int n, boolean transpose, double[] b, int k) {
        if (!transpose) {
            for (int i = 0; i < n; i++) {
                int in = i * n;
                int ik = i * k;
                for (int j = 0; j < i; j++) {
                    double lij = l[in + j];
                    if (lij != 0) {
                        int jk = j * k;
                        for (int c = 0; c < k; c++) {
                            b[ik + c] -= lij * b[jk + c];
                        }
                    }
                }
                double lii = l[in + i];
                for (int c = 0; c < k; c++) {
                    b[ik + c] /= lii;
                }
            }
            return;
        }
        for (int i = n - 1; i >= 0; i--) {
            int in = i * n;
            int ik = i * k;
            double lii = l[in + i];
            for (int c = 0; c < k; c++) {
                b[ik + c] /= lii;
            }
            for (int j = 0; j < i; j++) {
                double lij = l[in + j];
                if (lij != 0) {
                    int jk = j * k;
                    for (int c = 0; c < k; c++) {
                        b[jk + c] -= lij * b[ik + c];
                    }
                }
            }
        }
    }

    /**
     * @param l row-major n×n values whose lower triangle is L (not modified; the strict upper triangle is not
     *     read)
     * @param n n
     * @return Lᵀ·L as a new row-major n×n array, both triangles
     */
    public static double[] transposeTimesSelf(double[] l, int n) {
        double[] c = new double[n * n];
        IntStream rows = IntStream.range(0, n);
        (n > PARALLEL ? rows.parallel() : rows).forEach(i -> {
            int in = i * n;
            for (int k = i; k < n; k++) {
                double lki = l[k * n + i];
                if (lki != 0) {
                    int kn = k * n;
                    for (int j = 0; j <= i; j++) {
                        c[in + j] += lki * l[kn + j];
                    }
                }
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                c[j * n + i] = c[i * n + j];
            }
        }
        return c;
    }

    /**
     * @param a row-major n×n values (not modified)
     * @param n n
     * @param upper whether to take the upper triangle, transposed, rather than the lower one
     * @return a new row-major n×n array whose lower triangle is that triangle of a (transposed when upper) and
     *     whose strict upper triangle is zero
     */
    public static double[] lowerOf(double[] a, int n, boolean upper) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                l[i * n + j] = upper ? a[j * n + i] : a[i * n + j];
            }
        }
        return l;
    }

    /**
     * Writes the lower triangle of {@code l} into one triangle of {@code a}, transposed for the upper one; the
     * other strict triangle of a is left as it is.
     *
     * @param l row-major n×n values (not modified; its strict upper triangle is not read)
     * @param n n
     * @param upper whether to write a's upper triangle
     * @param a row-major n×n values, modified
     */
    public static void storeLower(double[] l, int n, boolean upper, double[] a) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[upper ? j * n + i : i * n + j] = l[i * n + j];
            }
        }
    }

    /**
     * Σ_{k&lt;len} a[ao + k]·b[bo + k], in four partial sums (the dot product of the host loops here and of other
     * host-side solvers).
     *
     * @param a the first array (not modified)
     * @param ao the offset in a
     * @param b the second array (not modified)
     * @param bo the offset in b
     * @param len the number of products
     * @return the sum
     */
    public static double dot(double[] a, int ao, double[] b, int bo, int len) {
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
