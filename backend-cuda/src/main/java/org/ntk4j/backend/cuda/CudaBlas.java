package org.ntk4j.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import org.ntk4j.tensor.DType;

/**
 * GEMM on cuBLAS through JCublas, used instead of the project's GEMM kernel when {@code libcublas} loads.
 * Only this class touches JCublas, so that the backend works without its jar or native library.
 *
 * <p>The matrices are row-major; cuBLAS is column-major. A row-major X is the column-major Xᵀ with the
 * same leading dimension, so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: the operands swap, the
 * transpose flags stay.
 */
final class CudaBlas implements AutoCloseable {

    private final cublasHandle handle = new cublasHandle();
    private boolean closed;

    /**
     * Loads JCublas and its native library and creates a handle in the current context.
     *
     * @throws LinkageError if JCublas or libcublas cannot be loaded
     * @throws RuntimeException if cuBLAS cannot create a handle
     */
    CudaBlas() {
        JCublas2.setExceptionsEnabled(true);
        JCublas2.cublasCreate(handle);
    }

    /**
     * Checks that JCublas and libcublas load, without creating a handle.
     *
     * @return the cuBLAS version, "major.minor.patch"
     * @throws LinkageError if they cannot be loaded
     */
    static String loadVersion() {
        JCublas2.setExceptionsEnabled(true);
        int[] part = new int[1];
        StringBuilder version = new StringBuilder();
        for (int property = 0; property < 3; property++) { // MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL
            JCublas2.cublasGetProperty(property, part);
            version.append(property > 0 ? "." : "").append(part[0]);
        }
        return version.toString();
    }

    /** C (m×n, row-major) ← alpha·op(A)·op(B) + beta·C; the context must be current. */
    void gemm(DType dtype, int m, int n, int k, double alpha, CUdeviceptr a, int lda, boolean transA,
              CUdeviceptr b, int ldb, boolean transB, double beta, CUdeviceptr c, int ldc) {
        ColumnMajorCall call = ColumnMajorCall.of(m, n, k, lda, transA, ldb, transB, ldc);
        int opFirst = call.transFirst() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opSecond = call.transSecond() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        // the first cuBLAS operand is B, the second A
        if (dtype == DType.F64) {
            JCublas2.cublasDgemm(handle, opFirst, opSecond, call.m(), call.n(), call.k(), Pointer.to(new double[] {alpha}),
                    b, call.ldFirst(), a, call.ldSecond(), Pointer.to(new double[] {beta}), c, call.ldc());
        } else {
            JCublas2.cublasSgemm(handle, opFirst, opSecond, call.m(), call.n(), call.k(),
                    Pointer.to(new float[] {(float) alpha}), b, call.ldFirst(), a, call.ldSecond(),
                    Pointer.to(new float[] {(float) beta}), c, call.ldc());
        }
    }

    /**
     * The column-major GEMM that computes a row-major one: C = op(A)·op(B) (m×n) is Cᵀ = op(B)ᵀ·op(A)ᵀ (n×m), and a
     * row-major matrix is its transpose in column-major order with the same leading dimension, so cuBLAS gets B
     * first and A second, with their transpose flags unchanged, and the sizes n, m, k.
     *
     * @param m cuBLAS's m (rows of its column-major result)
     * @param n cuBLAS's n
     * @param k cuBLAS's k
     * @param transFirst whether cuBLAS transposes its first operand (row-major B)
     * @param ldFirst the first operand's leading dimension
     * @param transSecond whether cuBLAS transposes its second operand (row-major A)
     * @param ldSecond the second operand's leading dimension
     * @param ldc C's leading dimension
     */
    record ColumnMajorCall(int m, int n, int k, boolean transFirst, int ldFirst, boolean transSecond, int ldSecond,
                           int ldc) {

        /** @return the call for the row-major C (m×n) ← op(A)·op(B) with the given leading dimensions */
        static ColumnMajorCall of(int m, int n, int k, int lda, boolean transA, int ldb, boolean transB, int ldc) {
            return new ColumnMajorCall(n, m, k, transB, ldb, transA, lda, ldc);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            JCublas2.cublasDestroy(handle);
        }
    }
}
