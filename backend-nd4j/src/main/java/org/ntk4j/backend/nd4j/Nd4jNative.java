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
    private static final int LAPACK_COL_MAJOR = openblas.LAPACK_COL_MAJOR;
    private static final int LEFT = openblas.CblasLeft;
    private static final int LOWER = openblas.CblasLower;
    private static final int UPPER = openblas.CblasUpper;
    private static final int UNIT = openblas.CblasUnit;
    private static final int NON_UNIT = openblas.CblasNonUnit;

    /** Elements per {@code ddot} call: below OpenBLAS's threading threshold of 10,000. */
    private static final int DOT_PIECE = 8192;

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
        int m = c.rows();
        int n = c.columns();
        int k = transA ? a.rows() : a.columns();
        int lda = a.columns();
        int ldb = b.columns();
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
     * C ← A·Aᵀ, row-major, by {@code syrk} on the lower triangle (half a GEMM's work), then mirrored onto the
     * upper one.
     *
     * @param a n×k A (not modified)
     * @param c n×n C, overwritten whole (not read)
     */
    static void syrk(INDArray a, INDArray c) {
        int n = a.rows();
        int k = a.columns();
        if (isDouble(c)) {
            openblas.cblas_dsyrk(ROW_MAJOR, LOWER, NO_TRANS, n, k, 1.0, d(a), k, 0.0, d(c), n);
        } else {
            openblas.cblas_ssyrk(ROW_MAJOR, LOWER, NO_TRANS, n, k, 1.0f, f(a), k, 0.0f, f(c), n);
        }
        mirror(c, false);
    }

    /**
     * @param a a contiguous array (not modified)
     * @param b a contiguous array of the same length and type (not modified)
     * @return Σ a_i·b_i, accumulated in double precision: {@code ddot} on pieces of 8,192 elements for doubles
     *     (one thread each), the pieces' sums added in order; for floats a loop over the
     *     off-heap buffers, because the {@code dsdot} of the OpenBLAS build ND4J loads returns sums with
     *     single-precision error (the conformance kit caught it)
     */
    static double dot(INDArray a, INDArray b) {
        int n = (int) a.length();
        if (isDouble(a)) {
            // OpenBLAS's x86-64 ddot splits vectors of more than 10,000 elements over its threads, whose hand-offs
            // cost milliseconds on a busy machine: one thread per piece of DOT_PIECE elements, partial sums added here
            DoublePointer pa = d(a);
            DoublePointer pb = d(b);
            double s = 0;
            for (int i = 0; i < n; i += DOT_PIECE) {
                int k = Math.min(DOT_PIECE, n - i);
                s += openblas.cblas_ddot(k, pa.position(i), 1, pb.position(i), 1);
            }
            return s;
        }
        java.nio.FloatBuffer fa = a.data().asNioFloat();
        java.nio.FloatBuffer fb = b.data().asNioFloat();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) fa.get(i) * fb.get(i);
        }
        return s;
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
     * Cholesky factorization in place: on return the lower triangle holds L with A = L·Lᵀ (the upper triangle
     * is not touched). LAPACK {@code potrf} is called column-major with the upper triangle, which is the same
     * storage as the row-major lower triangle of a symmetric matrix, so LAPACKE transposes nothing.
     *
     * @param a n×n, modified: its lower triangle becomes L
     * @return LAPACK's info: 0 on success, i &gt; 0 when the leading minor of order i is not positive
     */
    static int potrf(INDArray a) {
        return potrf(a, false);
    }

    /**
     * Cholesky factorization in one triangle of the row-major {@code a}: its lower triangle becomes L with
     * A = L·Lᵀ, or its upper triangle U with A = Uᵀ·U; the other strict triangle is not touched. Column-major,
     * the row-major upper triangle is the lower one.
     *
     * @param a n×n, modified in that triangle
     * @param upper whether the matrix and its factor are in the upper triangle
     * @return LAPACK's info: 0 on success, i &gt; 0 when the leading minor of order i is not positive
     */
    static int potrf(INDArray a, boolean upper) {
        return Nd4jLapackThread.call(() -> potrfHere(a, upper));
    }

    private static int potrfHere(INDArray a, boolean upper) {
        int n = a.rows();
        byte uplo = (byte) (upper ? 'L' : 'U');
        return isDouble(a) ? openblas.LAPACKE_dpotrf(LAPACK_COL_MAJOR, uplo, n, d(a), n)
                : openblas.LAPACKE_spotrf(LAPACK_COL_MAJOR, uplo, n, f(a), n);
    }

    /**
     * Solves with a Cholesky factor from {@link #potrf}: L·y = B, then Lᵀ·X = y, by two triangular solves on
     * the row-major buffers (no copies).
     *
     * @param l n×n whose lower triangle is L (not modified)
     * @param b n×k right-hand sides, modified: the solution
     */
    static void potrs(INDArray l, INDArray b) {
        trsm(l, b, LOWER, NO_TRANS, NON_UNIT);
        trsm(l, b, LOWER, TRANS, NON_UNIT);
    }

    /**
     * B ← L⁻¹·B or L⁻ᵀ·B for the lower triangle L of the row-major n×n {@code l} (BLAS {@code trsm} on the
     * buffers, no copies).
     *
     * @param l n×n (not modified; its strict upper triangle is not read)
     * @param transpose whether to solve with Lᵀ
     * @param b n×k right-hand sides, modified: the solution
     */
    static void trsmLower(INDArray l, boolean transpose, INDArray b) {
        trsm(l, b, LOWER, transpose ? TRANS : NO_TRANS, NON_UNIT);
    }

    /**
     * B ← U⁻¹·B or U⁻ᵀ·B for the upper triangle U of the row-major n×n {@code u} (BLAS {@code trsm} on the
     * buffers, no copies).
     *
     * @param u n×n (not modified; its strict lower triangle is not read)
     * @param transpose whether to solve with Uᵀ
     * @param b n×k right-hand sides, modified: the solution
     */
    static void trsmUpper(INDArray u, boolean transpose, INDArray b) {
        trsm(u, b, UPPER, transpose ? TRANS : NO_TRANS, NON_UNIT);
    }

    /**
     * The row-major lower triangle L of {@code a} becomes Lᵀ·L (its lower triangle). LAPACK {@code lauum} runs
     * column-major on the upper triangle U = Lᵀ and computes U·Uᵀ = Lᵀ·L in place; the strict upper triangle of
     * the row-major array is not touched.
     *
     * @param a n×n, modified
     * @return LAPACK's info: 0 on success
     */
    static int lauum(INDArray a) {
        return lauum(a, false);
    }

    /**
     * The row-major lower triangle L of {@code a} becomes Lᵀ·L, or its upper triangle U becomes U·Uᵀ (that
     * triangle of the product); the other strict triangle is not touched. Column-major the row-major upper
     * triangle U is the lower triangle Uᵀ, whose {@code lauum} is (Uᵀ)ᵀ·Uᵀ = U·Uᵀ.
     *
     * @param a n×n, modified in that triangle
     * @param upper whether the factor and the product are in the upper triangle
     * @return LAPACK's info: 0 on success
     */
    static int lauum(INDArray a, boolean upper) {
        return Nd4jLapackThread.call(() -> lauumHere(a, upper));
    }

    private static int lauumHere(INDArray a, boolean upper) {
        int n = a.rows();
        byte uplo = (byte) (upper ? 'L' : 'U');
        return isDouble(a) ? openblas.LAPACKE_dlauum(LAPACK_COL_MAJOR, uplo, n, d(a), n)
                : openblas.LAPACKE_slauum(LAPACK_COL_MAJOR, uplo, n, f(a), n);
    }

    /**
     * Sets the strict upper triangle of the row-major n×n {@code a} to zero.
     *
     * @param a n×n, modified
     */
    static void zeroUpper(INDArray a) {
        int n = a.rows();
        long width = a.dataType().width();
        org.bytedeco.javacpp.Pointer p = new org.bytedeco.javacpp.BytePointer(a.data().addressPointer());
        for (int i = 0; i + 1 < n; i++) {
            org.bytedeco.javacpp.Pointer.memset(p.position((i * (long) n + i + 1) * width), 0, (n - i - 1) * width);
        }
    }

    /**
     * Copies the strict lower triangle of the row-major n×n {@code a} into its upper triangle, making it
     * symmetric: row i's tail is column i's tail, a strided copy.
     *
     * @param a n×n, modified
     */
    static void mirrorLower(INDArray a) {
        mirror(a, false);
    }

    /**
     * Copies one strict triangle of the row-major n×n {@code a} onto the other, transposed: column i's tail
     * and row i's tail trade places by a strided copy.
     *
     * @param a n×n, modified in the strict triangle opposite the one copied
     * @param fromUpper whether the upper triangle is copied into the lower one
     */
    static void mirror(INDArray a, boolean fromUpper) {
        int n = a.rows();
        for (int i = 0; i + 1 < n; i++) {
            long below = (i + 1) * (long) n + i;
            long right = i * (long) n + i + 1;
            long src = fromUpper ? right : below;
            long dst = fromUpper ? below : right;
            int srcInc = fromUpper ? 1 : n;
            int dstInc = fromUpper ? n : 1;
            if (isDouble(a)) {
                openblas.cblas_dcopy(n - i - 1, d(a).position(src), srcInc, d(a).position(dst), dstInc);
            } else {
                openblas.cblas_scopy(n - i - 1, f(a).position(src), srcInc, f(a).position(dst), dstInc);
            }
        }
    }

    /** B ← op(T)⁻¹·B for the triangle {@code uplo} of the row-major n×n T, row-major n×k B. */
    private static void trsm(INDArray t, INDArray b, int uplo, int trans, int diag) {
        int n = t.rows();
        int k = b.columns();
        if (isDouble(t)) {
            openblas.cblas_dtrsm(ROW_MAJOR, LEFT, uplo, trans, diag, n, k, 1, d(t), n, d(b), k);
        } else {
            openblas.cblas_strsm(ROW_MAJOR, LEFT, uplo, trans, diag, n, k, 1, f(t), n, f(b), k);
        }
    }

    /**
     * LU factorization with partial pivoting in place, its reciprocal condition number, and the solve, with no
     * copy of A. LAPACK {@code getrf} runs column-major on the row-major buffer, i.e. on Aᵀ = P·L·U; then
     * A = Uᵀ·Lᵀ·Pᵀ, and X = P·Lᵀ⁻¹·Uᵀ⁻¹·B by two row-major triangular solves (Uᵀ is the buffer's lower
     * triangle, Lᵀ its unit upper one) and the row interchanges in reverse order. The condition number of Aᵀ in
     * the ∞-norm is that of A in the 1-norm.
     *
     * @param a n×n, modified: the LU factors of Aᵀ
     * @param b n×k right-hand sides, modified: the solution, unless the matrix is singular
     * @return the reciprocal 1-norm condition estimate; 0 when a pivot is exactly zero (b then untouched)
     */
    static double luSolve(INDArray a, INDArray b) {
        int n = a.rows();
        int[] pivots = new int[n];
        double rcond = Nd4jLapackThread.call(() -> luFactorHere(a, pivots));
        if (rcond == 0) {
            return 0;
        }
        trsm(a, b, LOWER, NO_TRANS, NON_UNIT);
        trsm(a, b, UPPER, NO_TRANS, UNIT);
        unpivot(b, pivots);
        return rcond;
    }

    private static double luFactorHere(INDArray a, int[] pivots) {
        int n = a.rows();
        try (IntPointer ipiv = new IntPointer(n)) {
            double rcond;
            if (isDouble(a)) {
                DoublePointer pa = d(a);
                double norm = openblas.LAPACKE_dlange(LAPACK_COL_MAJOR, (byte) 'I', n, n, pa, n);
                if (openblas.LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, pa, n, ipiv) != 0) {
                    return 0;
                }
                try (DoublePointer r = new DoublePointer(1)) {
                    openblas.LAPACKE_dgecon(LAPACK_COL_MAJOR, (byte) 'I', n, pa, n, norm, r);
                    rcond = r.get();
                }
            } else {
                FloatPointer pa = f(a);
                float norm = openblas.LAPACKE_slange(LAPACK_COL_MAJOR, (byte) 'I', n, n, pa, n);
                if (openblas.LAPACKE_sgetrf(LAPACK_COL_MAJOR, n, n, pa, n, ipiv) != 0) {
                    return 0;
                }
                try (FloatPointer r = new FloatPointer(1)) {
                    openblas.LAPACKE_sgecon(LAPACK_COL_MAJOR, (byte) 'I', n, pa, n, norm, r);
                    rcond = r.get();
                }
            }
            ipiv.get(pivots);
            return rcond;
        }
    }

    /** B ← P·B: LAPACK's (1-based) row interchanges i ↔ ipiv[i], applied from the last to the first. */
    private static void unpivot(INDArray b, int[] pivots) {
        int k = b.columns();
        long bytes = (long) k * (isDouble(b) ? Double.BYTES : Float.BYTES);
        org.bytedeco.javacpp.Pointer p = b.data().addressPointer();
        try (org.bytedeco.javacpp.BytePointer tmp = new org.bytedeco.javacpp.BytePointer(bytes)) {
            for (int i = pivots.length - 1; i >= 0; i--) {
                int j = pivots[i] - 1;
                if (j != i) {
                    Nd4jMemory.copyBytes(p, i * bytes, tmp, 0, bytes);
                    Nd4jMemory.copyBytes(p, j * bytes, p, i * bytes, bytes);
                    Nd4jMemory.copyBytes(tmp, 0, p, j * bytes, bytes);
                }
            }
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
        int n = a.rows();
        return isDouble(a) ? openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'L', n, d(a), n, d(w))
                : openblas.LAPACKE_ssyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'L', n, f(a), n, f(w));
    }
}
