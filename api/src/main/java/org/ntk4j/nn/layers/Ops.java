package org.ntk4j.nn.layers;

import java.util.List;
import java.util.Arrays;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * Tensor manipulations the layers share, built from the backend's primitives. Every method returns new
 * tensors and modifies none of its arguments.
 */
final class Ops {

    private Ops() {
    }

    /**
     * A row-major reshape by the backend's {@link Backend#reshape} (a copy on the backend).
     *
     * @param be the backend
     * @param t the tensor (not modified)
     * @param rows the new rows; rows·cols must equal t's size
     * @param cols the new columns
     * @return a new rows×cols tensor with t's values in the same row-major order
     */
    static Tensor reshape(Backend be, Tensor t, int rows, int cols) {
        if ((long) rows * cols != t.size()) {
            throw new IllegalArgumentException("reshape " + t.shape() + " to " + rows + "×" + cols);
        }
        return be.reshape(t, rows, cols);
    }

    /**
     * The row-wise Kronecker product: row r of the result is a_r ⊗ b_r, element (i, j) at column i·b.cols() + j
     * ({@link Backend#segmentedOuterSums} with segments of one row).
     *
     * @param be the backend
     * @param a an n×p tensor (not modified)
     * @param b an n×q tensor (not modified)
     * @return a new n × (p·q) tensor
     */
    static Tensor rowKron(Backend be, Tensor a, Tensor b) {
        Tensor out = be.zeros(a.rows(), a.cols() * b.cols(), a.dtype());
        be.segmentedOuterSums(1, a, b, out);
        return out;
    }

    /**
     * Sums the column blocks of a matrix: out = Σ_s t[:, s·width : (s+1)·width], by a reshape and
     * {@link Backend#segmentedOuterSums} with a column of ones.
     *
     * @param be the backend
     * @param t an n × (S·width) tensor (not modified)
     * @param width the block width, dividing t.cols()
     * @return a new n × width tensor
     */
    static Tensor blockSum(Backend be, Tensor t, int width) {
        int n = t.rows();
        int blocks = t.cols() / width;
        Tensor out = be.zeros(n, width, t.dtype());
        try (Tensor r = be.reshape(t, n * blocks, width); Tensor ones = filled(be, n * blocks, 1, 1, t)) {
            be.segmentedOuterSums(1, ones, r, out);
        }
        return out;
    }
    /**
     * The adjoint of {@link #blockSum}: the columns of t repeated side by side, by a row gather and a reshape.
     *
     * @param be the backend
     * @param t an n × width tensor (not modified)
     * @param blocks how many copies, ≥ 1
     * @return a new n × (blocks·width) tensor
     */
    static Tensor tileCols(Backend be, Tensor t, int blocks) {
        int n = t.rows();
        int[] idx = new int[n * blocks];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i / blocks;
        }
        try (Tensor rows = be.gatherRows(t, idx)) {
            return be.reshape(rows, n, blocks * t.cols());
        }
    }
    /**
     * @param be the backend
     * @param x an n×d tensor (not modified)
     * @param scale the factor
     * @return a new n×1 tensor: scale·(row sums of x)
     */
    static Tensor rowSums(Backend be, Tensor x, double scale) {
        Tensor out = be.zeros(x.rows(), 1, x.dtype());
        try (Tensor ones = filled(be, x.cols(), 1, 1, x)) {
            be.gemm(scale, x, false, ones, false, 0, out);
        }
        return out;
    }

    /**
     * out ← out + alpha·v·1ᵀ: adds a multiple of a column vector to every column.
     *
     * @param be the backend
     * @param alpha the factor
     * @param v an n×1 tensor (not modified)
     * @param out an n×d tensor, modified
     */
    static void addColumnVector(Backend be, double alpha, Tensor v, Tensor out) {
        try (Tensor ones = filled(be, 1, out.cols(), 1, out)) {
            be.gemm(alpha, v, false, ones, false, 1, out);
        }
    }

    /**
     * out ← diag(v)·out: scales every row by its entry of a column vector.
     *
     * @param be the backend
     * @param v an n×1 tensor (not modified)
     * @param out an n×d tensor, modified
     */
    static void scaleRows(Backend be, Tensor v, Tensor out) {
        try (Tensor spread = be.zeros(out.rows(), out.cols(), out.dtype());
             Tensor ones = filled(be, 1, out.cols(), 1, out)) {
            be.gemm(1, v, false, ones, false, 0, spread);
            be.hadamard(out, spread, out);
        }
    }

    /**
     * @param be the backend
     * @param rows the rows
     * @param cols the columns
     * @param value every element's value
     * @param like a tensor whose dtype the result takes
     * @return a new tensor
     */
    static Tensor filled(Backend be, int rows, int cols, double value, Tensor like) {
        double[] v = new double[rows * cols];
        Arrays.fill(v, value);
        return be.fromHost(v, rows, cols, like.dtype());
    }

    /**
     * @param be the backend
     * @param t an r×c tensor (not modified)
     * @return a new (r+1)×c tensor: t with a row of zeros below, the target of padded gathers
     */
    static Tensor withZeroRow(Backend be, Tensor t) {
        try (Tensor z = be.zeros(1, t.cols(), t.dtype())) {
            return be.concatRows(List.of(t, z));
        }
    }

    /**
     * @param from the first value
     * @param to one past the last value
     * @return {from, from+1, …, to−1}
     */
    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
