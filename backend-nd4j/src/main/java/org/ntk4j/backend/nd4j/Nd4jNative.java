package org.ntk4j.backend.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native binding: direct CBLAS and LAPACKE calls into the OpenBLAS that ND4J loads, on the off-heap
 * buffers of contiguous row-major arrays. No Java logic beyond picking the single- or double-precision
 * routine; callers check shapes and interpret the LAPACK status codes.
 *
 * <p>LAPACK routines run on {@link Nd4jLapackThread}, whose stack is large enough for OpenBLAS.
 *
 * <p>ND4J's own {@code Lapack} interface has no {@code potrs}/{@code getrs} and its {@code cholesky} op
 * prints native errors to standard output, hence these direct calls.
 */
final class Nd4jNative {

    private static final int ROW_MAJOR = openblas.CblasRowMajor;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;
    private static final int LAPACK_ROW_MAJOR = openblas.LAPACK_ROW_MAJOR;

    private Nd4jNative() {
    }

    private static boolean isDouble(INDArray a) {
        return a.dataType() == DataType.DOUBLE;
    }

    private static DoublePointer d(INDArray a) {
        return new DoublePointer(a.data().addressPointer());
    }

    private static FloatPointer f(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }

    /**
     * C ← alpha·op(A)·op(B) + beta·C, row-major. With beta = 0, OpenBLAS overwrites C without reading it.
     *
     * @param alpha scale
     * @param a A (not modified)
     * @param transA op(A) = Aᵀ
     * @param b B (not modified)
     * @param transB op(B) = Bᵀ
     * @param beta scale of C
     * @param c C, modified
     */
    static void gemm(double alpha, INDArray a, boolean transA, INDArray b, boolean transB, double beta, INDArray c) {
        int m = (int) c.rows();
        int n = (int) c.columns();
        int k = (int) (transA ? a.rows() : a.columns());
        int lda = (int) a.columns();
        int ldb = (int) b.columns();
        int ldc = n;
        int ta = transA ? TRANS : NO_TRANS;
        int tb = transB ? TRANS : NO_TRANS;
        if (isDouble(c)) {
            openblas.cblas_dgemm(ROW_MAJOR, ta, tb, m, n, k, alpha, d(a), lda, d(b), ldb, beta, d(c), ldc);
        } else {
            openblas.cblas_sgemm(ROW_MAJOR, ta, tb, m, n, k, (float) alpha, f(a), lda, f(b), ldb, (float) beta, f(c), ldc);
        }
    }

    /**
     * @param a a contiguous array (not modified)
     * @param b a contiguous array of the same length and type (not modified)
     * @return Σ a_i·b_i, accumulated in double precision for both types ({@code dsdot} for floats)
     */
    static double dot(INDArray a, INDArray b) {
        int n = (int) a.length();
        return isDouble(a) ? openblas.cblas_ddot(n, d(a), 1, d(b), 1) : openblas.cblas_dsdot(n, f(a), 1, f(b), 1);
    }

    /**
     * y ← alpha·x + y.
     *
     * @param alpha scale
     * @param x contiguous (not modified unless it is y)
     * @param y contiguous, same length and type, modified
     */
    static void axpy(double alpha, INDArray x, INDArray y) {
        int n = (int) x.length();
        if (isDouble(x)) {
            openblas.cblas_daxpy(n, alpha, d(x), 1, d(y), 1);
        } else {
            openblas.cblas_saxpy(n, (float) alpha, f(x), 1, f(y), 1);
        }
    }

    /**
     * x ← alpha·x.
     *
     * @param alpha scale
     * @param x contiguous, modified
     */
    static void scal(double alpha, INDArray x) {
        int n = (int) x.length();
        if (isDouble(x)) {
            openblas.cblas_dscal(n, alpha, d(x), 1);
        } else {
            openblas.cblas_sscal(n, (float) alpha, f(x), 1);
        }
    }

    /**
     * y ← x.
     *
     * @param x contiguous (not modified)
     * @param y contiguous, same length and type, modified
     */
    static void copy(INDArray x, INDArray y) {
        int n = (int) x.length();
        if (isDouble(x)) {
            openblas.cblas_dcopy(n, d(x), 1, d(y), 1);
        } else {
            openblas.cblas_scopy(n, f(x), 1, f(y), 1);
        }
    }

    /**
     * Cholesky factorization in place (LAPACK {@code potrf}, lower triangle, row-major).
     *
     * @param a n×n, modified: its lower triangle becomes L
     * @return LAPACK's info: 0 on success, i &gt; 0 when the leading minor of order i is not positive
     */
    static int potrf(INDArray a) {
        return Nd4jLapackThread.call(() -> potrfHere(a));
    }

    private static int potrfHere(INDArray a) {
        int n = (int) a.rows();
        return isDouble(a) ? openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'L', n, d(a), n)
                : openblas.LAPACKE_spotrf(LAPACK_ROW_MAJOR, (byte) 'L', n, f(a), n);
    }

    /**
     * Solves with a Cholesky factor (LAPACK {@code potrs}).
     *
     * @param l n×n from {@link #potrf} (not modified)
     * @param b n×k right-hand sides, modified: the solution
     * @return LAPACK's info
     */
    static int potrs(INDArray l, INDArray b) {
        return Nd4jLapackThread.call(() -> potrsHere(l, b));
    }

    private static int potrsHere(INDArray l, INDArray b) {
        int n = (int) l.rows();
        int k = (int) b.columns();
        return isDouble(l) ? openblas.LAPACKE_dpotrs(LAPACK_ROW_MAJOR, (byte) 'L', n, k, d(l), n, d(b), k)
                : openblas.LAPACKE_spotrs(LAPACK_ROW_MAJOR, (byte) 'L', n, k, f(l), n, f(b), k);
    }

    /**
     * LU factorization with partial pivoting in place, its reciprocal condition number, and the solve.
     *
     * @param a n×n, modified: its LU factors
     * @param b n×k right-hand sides, modified: the solution, unless the matrix is singular
     * @return the reciprocal 1-norm condition estimate; 0 when a pivot is exactly zero (b then untouched)
     */
    static double luSolve(INDArray a, INDArray b) {
        return Nd4jLapackThread.call(() -> luSolveHere(a, b));
    }

    private static double luSolveHere(INDArray a, INDArray b) {
        int n = (int) a.rows();
        int k = (int) b.columns();
        try (IntPointer ipiv = new IntPointer(n)) {
            if (isDouble(a)) {
                DoublePointer pa = d(a);
                double norm = openblas.LAPACKE_dlange(LAPACK_ROW_MAJOR, (byte) '1', n, n, pa, n);
                if (openblas.LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, pa, n, ipiv) != 0) {
                    return 0;
                }
                double rcond;
                try (DoublePointer r = new DoublePointer(1)) {
                    openblas.LAPACKE_dgecon(LAPACK_ROW_MAJOR, (byte) '1', n, pa, n, norm, r);
                    rcond = r.get();
                }
                openblas.LAPACKE_dgetrs(LAPACK_ROW_MAJOR, (byte) 'N', n, k, pa, n, ipiv, d(b), k);
                return rcond;
            }
            FloatPointer pa = f(a);
            float norm = openblas.LAPACKE_slange(LAPACK_ROW_MAJOR, (byte) '1', n, n, pa, n);
            if (openblas.LAPACKE_sgetrf(LAPACK_ROW_MAJOR, n, n, pa, n, ipiv) != 0) {
                return 0;
            }
            double rcond;
            try (FloatPointer r = new FloatPointer(1)) {
                openblas.LAPACKE_sgecon(LAPACK_ROW_MAJOR, (byte) '1', n, pa, n, norm, r);
                rcond = r.get();
            }
            openblas.LAPACKE_sgetrs(LAPACK_ROW_MAJOR, (byte) 'N', n, k, pa, n, ipiv, f(b), k);
            return rcond;
        }
    }

    /**
     * Symmetric eigendecomposition by divide and conquer (LAPACK {@code syevd}, lower triangle).
     *
     * @param a n×n, modified: column j becomes the unit eigenvector of w[j]
     * @param w n×1 or 1×n, modified: the eigenvalues in ascending order
     * @return LAPACK's info: 0 on success
     */
    static int syevd(INDArray a, INDArray w) {
        return Nd4jLapackThread.call(() -> syevdHere(a, w));
    }

    private static int syevdHere(INDArray a, INDArray w) {
        int n = (int) a.rows();
        return isDouble(a) ? openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'L', n, d(a), n, d(w))
                : openblas.LAPACKE_ssyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'L', n, f(a), n, f(w));
    }
}
