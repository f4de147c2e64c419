package org.ntk4j.tck;

import java.util.List;
import org.ntk4j.backend.Activation;

/**
 * Plain-loop references for the backend primitives and composites, in double precision on the host. Every
 * method returns a new matrix and modifies none of its arguments. Methods whose name ends in
 * {@code Magnitude} return, for each element, the sum of the absolute values of the terms that make it up:
 * the scale a rounding-error bound is taken relative to (see {@link Tolerance#rounding}).
 */
public final class Reference {

    private Reference() {
    }

    /**
     * @param a the matrix (not modified)
     * @param trans whether to transpose
     * @return op(a) as a new matrix
     */
    public static HostMatrix op(HostMatrix a, boolean trans) {
        return trans ? transpose(a) : a.copy();
    }

    /**
     * @param a the matrix (not modified)
     * @return aᵀ
     */
    public static HostMatrix transpose(HostMatrix a) {
        HostMatrix t = HostMatrix.zeros(a.cols(), a.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                t.set(j, i, a.get(i, j));
            }
        }
        return t;
    }

    /**
     * @param alpha scale of the product
     * @param a A (not modified)
     * @param transA whether op(A) = Aᵀ
     * @param b B (not modified)
     * @param transB whether op(B) = Bᵀ
     * @param beta scale of C; with 0 the old C is ignored, even where it is NaN
     * @param c the old C (not modified)
     * @return alpha·op(A)·op(B) + beta·C
     */
    public static HostMatrix gemm(double alpha, HostMatrix a, boolean transA, HostMatrix b, boolean transB,
                                  double beta, HostMatrix c) {
        return gemm(alpha, a, transA, b, transB, beta, c, false);
    }

    /**
     * @param alpha scale of the product
     * @param a A (not modified)
     * @param transA whether op(A) = Aᵀ
     * @param b B (not modified)
     * @param transB whether op(B) = Bᵀ
     * @param beta scale of C
     * @param c the old C (not modified)
     * @return |alpha|·|op(A)|·|op(B)| + |beta|·|C|, the scale of each element of the GEMM
     */
    public static HostMatrix gemmMagnitude(double alpha, HostMatrix a, boolean transA, HostMatrix b, boolean transB,
                                           double beta, HostMatrix c) {
        return gemm(alpha, a, transA, b, transB, beta, c, true);
    }

    private static HostMatrix gemm(double alpha, HostMatrix a, boolean transA, HostMatrix b, boolean transB,
                                   double beta, HostMatrix c, boolean magnitude) {
        HostMatrix oa = op(a, transA);
        HostMatrix ob = op(b, transB);
        HostMatrix out = HostMatrix.zeros(oa.rows(), ob.cols());
        for (int i = 0; i < oa.rows(); i++) {
            for (int j = 0; j < ob.cols(); j++) {
                double s = 0;
                for (int p = 0; p < oa.cols(); p++) {
                    double term = oa.get(i, p) * ob.get(p, j);
                    s += magnitude ? Math.abs(term) : term;
                }
                double old = beta == 0 ? 0 : (magnitude ? Math.abs(beta * c.get(i, j)) : beta * c.get(i, j));
                out.set(i, j, (magnitude ? Math.abs(alpha) : alpha) * s + old);
            }
        }
        return out;
    }

    /**
     * @param a A (not modified)
     * @param b B (not modified)
     * @return A·B
     */
    public static HostMatrix multiply(HostMatrix a, HostMatrix b) {
        return gemm(1, a, false, b, false, 0, null, false);
    }

    /**
     * @param t the source (not modified)
     * @param rows the row indices (not modified)
     * @return the gathered rows
     */
    public static HostMatrix gatherRows(HostMatrix t, int[] rows) {
        HostMatrix out = HostMatrix.zeros(rows.length, t.cols());
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < t.cols(); j++) {
                out.set(r, j, t.get(rows[r], j));
            }
        }
        return out;
    }

    /**
     * @param parts matrices with equal column counts (not modified)
     * @return them stacked
     */
    public static HostMatrix concatRows(List<HostMatrix> parts) {
        int rows = 0;
        for (HostMatrix p : parts) {
            rows += p.rows();
        }
        HostMatrix out = HostMatrix.zeros(rows, parts.get(0).cols());
        int r = 0;
        for (HostMatrix p : parts) {
            for (int i = 0; i < p.rows(); i++, r++) {
                for (int j = 0; j < p.cols(); j++) {
                    out.set(r, j, p.get(i, j));
                }
            }
        }
        return out;
    }

    /**
     * @param alpha scale of x
     * @param x x (not modified)
     * @param beta scale of y
     * @param y y (not modified)
     * @return alpha·x + beta·y
     */
    public static HostMatrix axpby(double alpha, HostMatrix x, double beta, HostMatrix y) {
        HostMatrix out = HostMatrix.zeros(x.rows(), x.cols());
        for (int i = 0; i < out.data().length; i++) {
            out.data()[i] = alpha * x.data()[i] + beta * y.data()[i];
        }
        return out;
    }

    /**
     * @param alpha scale of x
     * @param x x (not modified)
     * @param beta scale of y
     * @param y y (not modified)
     * @return |alpha·x| + |beta·y|
     */
    public static HostMatrix axpbyMagnitude(double alpha, HostMatrix x, double beta, HostMatrix y) {
        return axpby(Math.abs(alpha), abs(x), Math.abs(beta), abs(y));
    }

    /**
     * @param a a (not modified)
     * @param b b (not modified)
     * @return a ⊙ b
     */
    public static HostMatrix hadamard(HostMatrix a, HostMatrix b) {
        HostMatrix out = HostMatrix.zeros(a.rows(), a.cols());
        for (int i = 0; i < out.data().length; i++) {
            out.data()[i] = a.data()[i] * b.data()[i];
        }
        return out;
    }

    /**
     * @param alpha the scale
     * @param x x (not modified)
     * @param beta the shift
     * @return alpha·x + beta, elementwise
     */
    public static HostMatrix affine(double alpha, HostMatrix x, double beta) {
        HostMatrix out = HostMatrix.zeros(x.rows(), x.cols());
        for (int i = 0; i < out.data().length; i++) {
            out.data()[i] = alpha * x.data()[i] + beta;
        }
        return out;
    }

    /**
     * @param a a (not modified)
     * @param row a 1×cols row (not modified)
     * @return a with row added to every row
     */
    public static HostMatrix addRowVector(HostMatrix a, HostMatrix row) {
        HostMatrix out = HostMatrix.zeros(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                out.set(i, j, a.get(i, j) + row.get(0, j));
            }
        }
        return out;
    }

    /**
     * @param a a (not modified)
     * @return the 1×cols column sums
     */
    public static HostMatrix columnSums(HostMatrix a) {
        HostMatrix out = HostMatrix.zeros(1, a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                out.set(0, j, out.get(0, j) + a.get(i, j));
            }
        }
        return out;
    }

    /**
     * @param a a (not modified)
     * @return the rows×1 sums of squares of each row
     */
    public static HostMatrix rowSumsOfSquares(HostMatrix a) {
        HostMatrix out = HostMatrix.zeros(a.rows(), 1);
        for (int i = 0; i < a.rows(); i++) {
            double s = 0;
            for (int j = 0; j < a.cols(); j++) {
                s += a.get(i, j) * a.get(i, j);
            }
            out.set(i, 0, s);
        }
        return out;
    }

    /**
     * @param a a (not modified)
     * @param b b (not modified)
     * @return Σ a·b
     */
    public static double dot(HostMatrix a, HostMatrix b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += a.data()[i] * b.data()[i];
        }
        return s;
    }

    /**
     * @param a a (not modified)
     * @return |a| elementwise
     */
    public static HostMatrix abs(HostMatrix a) {
        HostMatrix out = a.copy();
        for (int i = 0; i < out.data().length; i++) {
            out.data()[i] = Math.abs(out.data()[i]);
        }
        return out;
    }

    /**
     * @param f the activation
     * @param x x (not modified)
     * @param derivative whether to apply φ' instead of φ
     * @return φ(x) or φ'(x) elementwise, by {@link Activation#apply} and {@link Activation#derivative}
     */
    public static HostMatrix map(Activation f, HostMatrix x, boolean derivative) {
        HostMatrix out = x.copy();
        for (int i = 0; i < out.data().length; i++) {
            double v = out.data()[i];
            out.data()[i] = derivative ? f.derivative(v) : f.apply(v);
        }
        return out;
    }

    /**
     * @param x n×d inputs (not modified)
     * @param w d×h weights (not modified)
     * @param bias 1×h bias or null (not modified)
     * @param weightScale the factor on X·W
     * @param biasScale the factor on the bias
     * @return weightScale·X·W + biasScale·bias on every row
     */
    public static HostMatrix denseForward(HostMatrix x, HostMatrix w, HostMatrix bias, double weightScale,
                                          double biasScale) {
        HostMatrix z = HostMatrix.zeros(x.rows(), w.cols());
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < w.cols(); j++) {
                double s = 0;
                for (int p = 0; p < x.cols(); p++) {
                    s += x.get(i, p) * w.get(p, j);
                }
                z.set(i, j, weightScale * s + (bias == null ? 0 : biasScale * bias.get(0, j)));
            }
        }
        return z;
    }

    /**
     * @param deltaGram n1×n2 (not modified)
     * @param inputGram n1×n2 (not modified)
     * @param inputScale the factor on the input Gram
     * @param biasVariance the constant added to it
     * @param acc n1×n2 old accumulator (not modified)
     * @return acc + deltaGram ⊙ (inputScale·inputGram + biasVariance)
     */
    public static HostMatrix ntkLayerAccumulate(HostMatrix deltaGram, HostMatrix inputGram, double inputScale,
                                                double biasVariance, HostMatrix acc) {
        HostMatrix out = HostMatrix.zeros(acc.rows(), acc.cols());
        for (int i = 0; i < acc.rows(); i++) {
            for (int j = 0; j < acc.cols(); j++) {
                out.set(i, j, acc.get(i, j)
                        + deltaGram.get(i, j) * (inputScale * inputGram.get(i, j) + biasVariance));
            }
        }
        return out;
    }

    /**
     * @param a the matrix (not modified)
     * @return the Frobenius norm
     */
    public static double frobenius(HostMatrix a) {
        double s = 0;
        for (double v : a.data()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
