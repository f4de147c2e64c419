package org.ntk4j.backend.spi;

import java.util.List;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** Argument checks shared by backends, with the error messages the SPI promises. */
public final class Checks {

    private Checks() {
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @throws IllegalArgumentException unless both are ≥ 1
     */
    public static void requireDimensions(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("tensor dimensions must be >= 1, got " + rows + "×" + cols);
        }
    }

    /**
     * @param what the argument's name, for the message
     * @param t the tensor
     * @param rows the required rows
     * @param cols the required columns
     * @throws IllegalArgumentException naming the shape found and the one required
     */
    public static void requireShape(String what, Tensor t, int rows, int cols) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(what + " has shape " + t.shape() + ", expected " + rows + "×" + cols);
        }
    }

    /**
     * @param op the operation's name
     * @param a the first tensor
     * @param b the second tensor
     * @throws IllegalArgumentException unless both have the same shape, naming both
     */
    public static void requireSameShape(String op, Tensor a, Tensor b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
        }
    }

    /**
     * @param op the operation's name
     * @param tensors the tensors
     * @return their common dtype
     * @throws IllegalArgumentException if they differ
     */
    public static DType requireSameDType(String op, Tensor... tensors) {
        DType d = tensors[0].dtype();
        for (Tensor t : tensors) {
            if (t.dtype() != d) {
                throw new IllegalArgumentException(op + ": mixed dtypes " + d + " and " + t.dtype());
            }
        }
        return d;
    }

    /**
     * The GEMM shape rule: op(A) is m×k, op(B) is k×n, C is m×n.
     *
     * @param a A
     * @param transA whether op(A) = Aᵀ
     * @param b B
     * @param transB whether op(B) = Bᵀ
     * @param c C
     * @throws IllegalArgumentException naming all three shapes when they do not fit, or when C aliases A or B
     */
    public static void requireGemmShapes(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: op(A) " + m + "×" + k + " (A " + a.shape() + (transA ? "ᵀ" : "")
                    + ") times op(B) " + kb + "×" + n + " (B " + b.shape() + (transB ? "ᵀ" : "")
                    + ") does not fit C " + c.shape());
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C must not be the same tensor as A or B");
        }
    }

    /**
     * @param op the operation's name
     * @param out the output tensor (not modified)
     * @param inputs the input tensors (not modified)
     * @throws IllegalArgumentException if the output is the same tensor as one of the inputs
     */
    public static void requireDistinct(String op, Tensor out, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t == out) {
                throw new IllegalArgumentException(op + ": output must not alias an input");
            }
        }
    }

    /**
     * The shape and aliasing checks of {@code Backend.dualMap}: q1 is k12.rows()×1, q2 is k12.cols()×1, both
     * outputs have k12's shape, and neither output is an input or the other output.
     *
     * @param k12 the cross covariances (not modified)
     * @param q1 the first variances (not modified)
     * @param q2 the second variances (not modified)
     * @param outK the kernel output (not modified)
     * @param outKdot the derivative kernel output (not modified)
     * @throws IllegalArgumentException naming the argument whose shape is wrong, or the aliasing
     */
    public static void requireDualMapArguments(Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        requireShape("dualMap q1", q1, k12.rows(), 1);
        requireShape("dualMap q2", q2, k12.cols(), 1);
        requireSameShape("dualMap outK", k12, outK);
        requireSameShape("dualMap outKdot", k12, outKdot);
        requireDistinct("dualMap", outK, outKdot, k12, q1, q2);
        requireDistinct("dualMap", outKdot, k12, q1, q2);
    }

    /**
     * The shape and aliasing checks of {@code Backend.dualLayer}: q1 is sigma.rows()×1, q2 is sigma.cols()×1, theta
     * has sigma's shape, and sigma, theta, q1 and q2 are four distinct tensors.
     *
     * @param sigma the covariances (not modified)
     * @param q1 the row variances (not modified)
     * @param q2 the column variances (not modified)
     * @param theta the NTK (not modified)
     * @throws IllegalArgumentException on a mismatch or an alias
     */
    public static void requireDualLayerArguments(Tensor sigma, Tensor q1, Tensor q2, Tensor theta) {
        requireShape("dualLayer q1", q1, sigma.rows(), 1);
        requireShape("dualLayer q2", q2, sigma.cols(), 1);
        requireSameShape("dualLayer theta", sigma, theta);
        requireDistinct("dualLayer", sigma, theta, q1, q2);
        requireDistinct("dualLayer", theta, q1, q2);
    }

    /**
     * @param what the argument's name
     * @param length the host array's length
     * @param rows rows
     * @param cols columns
     * @throws IllegalArgumentException if its length is not rows·cols
     */
    public static void requireLength(String what, int length, int rows, int cols) {
        requireDimensions(rows, cols);
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(what + " has " + length + " values, expected " + rows + "×" + cols
                    + " = " + (long) rows * cols);
        }
    }

    /**
     * The rule for {@code concatRows}: at least one part, all with the same column count and dtype, and no more
     * rows in all than an int holds.
     *
     * @param op the operation's name, for the message
     * @param parts the tensors to stack (not modified)
     * @return the number of rows of the result
     * @throws IllegalArgumentException naming the problem: no parts, the differing shapes or dtypes, or the total
     */
    public static int requireConcatRows(String op, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(op + ": no tensors");
        }
        Tensor first = parts.get(0);
        long rows = 0;
        for (Tensor p : parts) {
            if (p.cols() != first.cols()) {
                throw new IllegalArgumentException(op + ": column counts differ, " + first.shape() + " vs "
                        + p.shape());
            }
            rows += p.rows();
        }
        requireSameDType(op, parts.toArray(new Tensor[0]));
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + rows + " rows in all, more than an int holds");
        }
        return (int) rows;
    }

    /**
     * The rule for solving A·X = B into {@code out}: one dtype, A square, B with A's rows, out shaped as B.
     *
     * @param op the operation's name, for the message
     * @param a A (not modified)
     * @param b B (not modified)
     * @param out the result (not modified)
     * @throws IllegalArgumentException naming the shape or dtype that does not fit
     */
    public static void requireSquareSystem(String op, Tensor a, Tensor b, Tensor out) {
        requireSameDType(op, a, b, out);
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(op + ": A must be square, got " + a.shape());
        }
        requireShape(op + " B", b, a.rows(), b.cols());
        requireSameShape(op + " out", b, out);
    }
}
