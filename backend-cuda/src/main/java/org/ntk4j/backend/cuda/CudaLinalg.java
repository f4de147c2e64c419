package org.ntk4j.backend.cuda;

import java.util.Arrays;
import java.util.Comparator;
import jcuda.driver.CUdeviceptr;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The dense solvers of {@link CudaBackend}. The Cholesky solve runs on the device: a right-looking blocked
 * factorization (blocks of {@value #NB}: the diagonal block factored by one thread block, the panel below it
 * by a triangular solve, the trailing matrix updated with GEMM), then blocked forward and backward
 * substitution. LU and the symmetric eigendecomposition copy the matrix to the host and use EJML in double
 * precision, then copy the result back.
 */
final class CudaLinalg {

    /** The block size of the Cholesky kernels ({@code CHOL_NB} in {@code cholesky.cu}). */
    static final int NB = 32;

    private final CudaBackend backend;
    private final Device cuda;

    CudaLinalg(CudaBackend backend, Device cuda) {
        this.backend = backend;
        this.cuda = cuda;
    }

    void choleskySolve(CudaTensor a, CudaTensor b, CudaTensor out) {
        Checks.requireSquareSystem("choleskySolve", a, b, out);
        CudaBackend.requireDistinct("choleskySolve", out, a);
        int n = a.rows();
        int cols = b.cols();
        DType dtype = a.dtype();
        try (CudaTensor l = backend.allocate(n, n, dtype)) {
            cuda.copy(l.pointer(), a.pointer(), a.bytes());
            int pivot = factor(l, dtype);
            if (pivot != 0) {
                throw new NotPositiveDefiniteException("choleskySolve: the " + a.shape()
                        + " matrix is not positive definite (pivot " + (pivot - 1) + " is not positive)");
            }
            if (out != b) {
                cuda.copy(out.pointer(), b.pointer(), b.bytes());
            }
            forward(l, out, n, cols, dtype);
            backward(l, out, n, cols, dtype);
        }
        double check = backend.dot(out, out);
        if (!Double.isFinite(check)) {
            throw new NotPositiveDefiniteException("choleskySolve: the " + a.shape()
                    + " matrix is not numerically positive definite (the solution is not finite)");
        }
    }

    /**
     * Factors l = L·Lᵀ in place (lower triangle).
     *
     * @return 0, or 1 + the index of the first pivot that was not positive
     */
    private int factor(CudaTensor l, DType dtype) {
        int n = l.rows();
        CUdeviceptr info = cuda.alloc(4);
        try {
            cuda.zero(info, 4);
            for (int k = 0; k < n; k += NB) {
                int nb = Math.min(NB, n - k);
                int rest = n - k - nb;
                cuda.launch(Kernel.POTRF_BLOCK, dtype, 1, 1, NB, 1, nb, l.at(k, k), n, k, info);
                if (rest > 0) {
                    cuda.launch(Kernel.TRSM_PANEL, dtype, CudaBackend.blocks(rest), 1, CudaBackend.THREADS, 1,
                            rest, nb, l.at(k, k), l.at(k + nb, k), n);
                    // A22 ← A22 − L21·L21ᵀ (both triangles are computed; only the lower one is used)
                    backend.gemm(dtype, rest, rest, nb, -1, l.at(k + nb, k), n, false, l.at(k + nb, k), n, true, 1,
                            l.at(k + nb, k + nb), n);
                }
            }
            int[] result = new int[1];
            cuda.download(result, info);
            return result[0];
        } finally {
            cuda.free(info, 4);
        }
    }

    /** X ← L⁻¹·X by blocks: X_k ← L_kk⁻¹·(X_k − L_k,0:k·X_0:k). */
    private void forward(CudaTensor l, CudaTensor x, int n, int cols, DType dtype) {
        for (int k = 0; k < n; k += NB) {
            int nb = Math.min(NB, n - k);
            if (k > 0) {
                backend.gemm(dtype, nb, cols, k, -1, l.at(k, 0), n, false, x.at(0, 0), cols, false, 1, x.at(k, 0),
                        cols);
            }
            cuda.launch(Kernel.TRSM_LOWER, dtype, CudaBackend.blocks(cols), 1, CudaBackend.THREADS, 1, nb, cols,
                    l.at(k, k), n, x.at(k, 0), cols);
        }
    }

    /** X ← L⁻ᵀ·X by blocks, last first: X_k ← L_kk⁻ᵀ·(X_k − L_k+1:,kᵀ·X_k+1:). */
    private void backward(CudaTensor l, CudaTensor x, int n, int cols, DType dtype) {
        for (int k = ((n - 1) / NB) * NB; k >= 0; k -= NB) {
            int nb = Math.min(NB, n - k);
            int rest = n - k - nb;
            if (rest > 0) {
                backend.gemm(dtype, nb, cols, rest, -1, l.at(k + nb, k), n, true, x.at(k + nb, 0), cols, false, 1,
                        x.at(k, 0), cols);
            }
            cuda.launch(Kernel.TRSM_UPPER, dtype, CudaBackend.blocks(cols), 1, CudaBackend.THREADS, 1, nb, cols,
                    l.at(k, k), n, x.at(k, 0), cols);
        }
    }

    void luSolve(CudaTensor a, CudaTensor b, CudaTensor out) {
        Checks.requireSquareSystem("luSolve", a, b, out);
        DMatrixRMaj ma = new DMatrixRMaj(a.rows(), a.cols(), true, backend.toHost(a));
        DMatrixRMaj mb = new DMatrixRMaj(b.rows(), b.cols(), true, backend.toHost(b));
        LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
        LinearSolverDense<DMatrixRMaj> solver = new LinearSolverLu_DDRM(lu);
        if (!solver.setA(ma.copy()) || hasNegligiblePivot(lu.getLU(), ma)) {
            throw new SingularMatrixException("luSolve: the " + a.shape() + " matrix is singular to working precision");
        }
        DMatrixRMaj x = new DMatrixRMaj(b.rows(), b.cols());
        solver.solve(mb, x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                throw new SingularMatrixException("luSolve: the " + a.shape()
                        + " matrix is singular to working precision");
            }
        }
        backend.upload(out, x.data);
    }

    /**
     * Whether a pivot of the LU factorization (the diagonal of U) is at most n·ε·max|a_ij|: singular to working
     * precision, judged relative to the matrix's own scale (as the EJML backend judges it).
     */
    private static boolean hasNegligiblePivot(DMatrixRMaj luFactors, DMatrixRMaj a) {
        int n = a.numRows;
        double threshold = n * Math.ulp(1.0) * CommonOps_DDRM.elementMaxAbs(a);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(luFactors.get(i, i)) > threshold)) {
                return true;
            }
        }
        return false;
    }

    SymmetricEigen symmetricEigen(CudaTensor a) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("symmetricEigen: A must be square, got " + a.shape());
        }
        int n = a.rows();
        DMatrixRMaj ma = new DMatrixRMaj(n, n, true, backend.toHost(a));
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(ma)) {
            throw new ArithmeticException("symmetricEigen: the decomposition of the " + a.shape() + " matrix failed");
        }
        Integer[] order = new Integer[n];
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            lambda[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> lambda[i]));
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            values[j] = lambda[order[j]];
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            double norm = Math.sqrt(CommonOps_DDRM.dot(v, v));
            for (int i = 0; i < n; i++) {
                vectors[i * n + j] = v.data[i] / norm;
            }
        }
        Tensor tv = backend.fromHost(values, n, 1, a.dtype());
        try {
            return new SymmetricEigen(tv, backend.fromHost(vectors, n, n, a.dtype()));
        } catch (RuntimeException e) {
            tv.close();
            throw e;
        }
    }

}
