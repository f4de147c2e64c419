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

    /** The info LAPACKE's {@code potrf} returns when A's triangle holds a NaN. */
    private static final int LAPACKE_NAN_IN_A = -4;

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

    static void choleskyFactor(Nd4jBackend backend, Tensor a) {
        choleskyFactor(backend, a, false);
        Nd4jNative.zeroUpper(backend.arr(a));
    }

    /** potrf in one triangle; the other strict triangle is not touched. */
    static void choleskyFactor(Nd4jBackend backend, Tensor a, boolean upper) {
        INDArray ma = backend.arr(a);
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("choleskyFactorInPlace: A must be square, got " + a.shape());
        }
        int info = Nd4jNative.potrf(ma, upper);
        if (info > 0) {
            throw new NotPositiveDefiniteException("choleskyFactorInPlace: the " + a.shape()
                    + " matrix is not positive definite (the leading minor of order " + info + " is not positive)");
        }
        // LAPACKE reports a NaN in the triangle it reads as an invalid fourth argument
        if (info == LAPACKE_NAN_IN_A || !finiteDiagonal(ma)) {
            throw new NotPositiveDefiniteException("choleskyFactorInPlace: the " + a.shape()
                    + " matrix is not positive definite (it holds a value that is not finite)");
        }
        requireOk("choleskyFactorInPlace", "potrf", info);
    }

    static void triangularSolve(Nd4jBackend backend, Tensor l, boolean transpose, Tensor b, Tensor out) {
        triangularSolve(backend, l, false, transpose, b, out);
    }

    /** trsm with the lower or upper triangle of {@code l}. */
    static void triangularSolve(Nd4jBackend backend, Tensor l, boolean upper, boolean transpose, Tensor b,
                                Tensor out) {
        INDArray ml = backend.arr(l);
        INDArray mb = backend.arr(b);
        INDArray mo = backend.arr(out);
        Checks.requireSquareSystem("triangularSolve", l, b, out);
        int n = l.rows();
        for (int i = 0; i < n; i++) {
            if (ml.data().getDouble((long) i * n + i) == 0) {
                throw new SingularMatrixException("triangularSolve: the " + l.shape()
                        + " triangular matrix is singular (diagonal entry " + i + " is zero)");
            }
        }
        if (mo != mb) {
            Nd4jNative.copy(mb, mo);
        }
        if (upper) {
            Nd4jNative.trsmUpper(ml, transpose, mo);
        } else {
            Nd4jNative.trsmLower(ml, transpose, mo);
        }
    }

    /** lauum in one triangle; the other strict triangle is not touched. */
    static void triangularGramInPlace(Nd4jBackend backend, Tensor a, boolean upper) {
        INDArray ma = backend.arr(a);
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("triangularGramInPlace: R must be square, got " + a.shape());
        }
        requireOk("triangularGramInPlace", "lauum", Nd4jNative.lauum(ma, upper));
    }

    static void triangularGram(Nd4jBackend backend, Tensor l, Tensor out) {
        INDArray ml = backend.arr(l);
        INDArray mo = backend.arr(out);
        Checks.requireSameDType("triangularGram", l, out);
        if (l.rows() != l.cols()) {
            throw new IllegalArgumentException("triangularGram: L must be square, got " + l.shape());
        }
        Checks.requireSameShape("triangularGram out", l, out);
        if (mo != ml) {
            Nd4jNative.copy(ml, mo);
        }
        requireOk("triangularGram", "lauum", Nd4jNative.lauum(mo));
        Nd4jNative.mirrorLower(mo);
    }

    private static boolean finiteDiagonal(INDArray a) {
        int n = a.rows();
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(a.data().getDouble((long) i * n + i))) {
                return false;
            }
        }
        return true;
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
