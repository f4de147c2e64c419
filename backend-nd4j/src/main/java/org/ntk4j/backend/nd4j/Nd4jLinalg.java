package org.ntk4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The dense solvers of {@link Nd4jBackend}: LAPACK's Cholesky, LU and symmetric eigen routines, on the
 * matrix's own buffer for the in-place solvers and otherwise on temporary copies, which are freed before the
 * call returns, whatever happens.
 */
final class Nd4jLinalg {

    private Nd4jLinalg() {
    }

    static void choleskySolve(Nd4jBackend backend, Tensor a, Tensor b, Tensor out, boolean inPlace) {
        INDArray ma = backend.arr(a);
        INDArray mb = backend.arr(b);
        INDArray mo = backend.arr(out);
        Checks.requireSquareSystem("choleskySolve", a, b, out);
        INDArray factor = inPlace ? ma : Nd4jMemory.copy(ma);
        try {
            int info = Nd4jNative.potrf(factor);
            if (info > 0) {
                throw new NotPositiveDefiniteException("choleskySolve: the " + a.shape()
                        + " matrix is not positive definite (the leading minor of order " + info + " is not positive)");
            }
            requireOk("choleskySolve", "potrf", info);
            if (mo != mb) {
                Nd4jNative.copy(mb, mo);
            }
            Nd4jNative.potrs(factor, mo);
        } finally {
            if (!inPlace) {
                Nd4jMemory.free(factor);
            }
        }
        if (!allFinite(mo)) {
            throw new NotPositiveDefiniteException("choleskySolve: the " + a.shape()
                    + " matrix is not positive definite (the solution is not finite)");
        }
    }

    static void luSolve(Nd4jBackend backend, Tensor a, Tensor b, Tensor out, boolean inPlace) {
        INDArray ma = backend.arr(a);
        INDArray mb = backend.arr(b);
        INDArray mo = backend.arr(out);
        Checks.requireSquareSystem("luSolve", a, b, out);
        INDArray lu = inPlace ? ma : Nd4jMemory.copy(ma);
        INDArray x = mo == mb ? Nd4jMemory.copy(mb) : mo;
        try {
            if (x != mb) {
                Nd4jNative.copy(mb, x);
            }
            double rcond = Nd4jNative.luSolve(lu, x);
            double eps = a.dtype() == DType.F64 ? 0x1p-52 : 0x1p-23;
            if (!(rcond > a.rows() * eps) || !allFinite(x)) {
                throw new SingularMatrixException("luSolve: the " + a.shape()
                        + " matrix is singular to working precision (reciprocal condition number " + rcond + ")");
            }
            if (x != mo) {
                Nd4jNative.copy(x, mo);
            }
        } finally {
            if (!inPlace) {
                Nd4jMemory.free(lu);
            }
            if (x != mo) {
                Nd4jMemory.free(x);
            }
        }
    }

    static SymmetricEigen symmetricEigen(Nd4jBackend backend, Tensor a) {
        INDArray ma = backend.arr(a);
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("symmetricEigen: A must be square, got " + a.shape());
        }
        int n = a.rows();
        INDArray vectors = Nd4jMemory.copy(ma);
        INDArray values = null;
        try {
            values = Nd4jMemory.zeros(n, 1, a.dtype());
            int info = Nd4jNative.syevd(vectors, values);
            if (info != 0) {
                throw new ArithmeticException("symmetricEigen: LAPACK syevd failed on the " + a.shape()
                        + " matrix (info " + info + ")");
            }
            Tensor v = backend.wrap(values, a.dtype());
            values = null;
            Tensor w;
            try {
                w = backend.wrap(vectors, a.dtype());
            } catch (RuntimeException e) {
                v.close();
                throw e;
            }
            vectors = null;
            return new SymmetricEigen(v, w);
        } finally {
            Nd4jMemory.free(values);
            Nd4jMemory.free(vectors);
        }
    }

    private static void requireOk(String op, String routine, int info) {
        if (info != 0) {
            throw new IllegalStateException(op + ": LAPACK " + routine + " rejected its arguments (info " + info + ")");
        }
    }

    private static boolean allFinite(INDArray m) {
        for (double v : Nd4jMemory.read(m)) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
