package com.example.ntk4j.simple;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A deliberately simple backend: every primitive is a plain loop over row-major {@code double[]} arrays on
 * one thread; the solvers are in {@link DenseSolvers}. It keeps the composite operations of {@link Backend}
 * as they are. F64 only.
 */
public final class SimpleBackend implements Backend {

    private final ScopeStack scopes = new ScopeStack();

    /** Makes a backend; {@link SimpleBackendProvider#create} is the usual way. */
    public SimpleBackend() {
        // heap arrays only: nothing to set up
    }

    @Override
    public String name() {
        return "simple";
    }

    @Override
    public Set<DType> dtypes() {
        return Set.of(DType.F64);
    }

    @Override
    public TensorScope scope() {
        return scopes.open();
    }

    private SimpleTensor make(int rows, int cols, double[] data) {
        return new SimpleTensor(this, scopes, rows, cols, data);
    }

    /** Checks that a tensor is open and ours, and returns its array. */
    private double[] data(Tensor t) {
        return AbstractTensor.own(t, this, SimpleTensor.class).data();
    }

    private static void requireF64(DType dtype) {
        if (dtype != DType.F64) {
            throw new IllegalArgumentException("the simple backend supports F64 only, not " + dtype);
        }
    }

    private static void requireDistinct(String op, Tensor out, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t == out) {
                throw new IllegalArgumentException(op + ": the output must not be the same tensor as an input");
            }
        }
    }

    // ---------------------------------------------------------------------------------------- memory

    @Override
    public Tensor zeros(int rows, int cols, DType dtype) {
        requireF64(dtype);
        Checks.requireDimensions(rows, cols);
        return make(rows, cols, new double[rows * cols]);
    }

    @Override
    public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
        requireF64(dtype);
        Checks.requireLength("host data", data.length, rows, cols);
        return make(rows, cols, data.clone());
    }

    @Override
    public double[] toHost(Tensor t) {
        return data(t).clone();
    }

    @Override
    public Tensor copy(Tensor t) {
        return make(t.rows(), t.cols(), data(t).clone());
    }

    @Override
    public Tensor gatherRows(Tensor t, int[] rows) {
        double[] src = data(t);
        if (rows.length == 0) {
            throw new IllegalArgumentException("gatherRows: no row indices");
        }
        int cols = t.cols();
        double[] out = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] < 0 || rows[r] >= t.rows()) {
                throw new IndexOutOfBoundsException("gatherRows: row index " + rows[r] + " outside 0.."
                        + (t.rows() - 1) + " of " + t.shape());
            }
            System.arraycopy(src, rows[r] * cols, out, r * cols, cols);
        }
        return make(rows.length, cols, out);
    }

    @Override
    public Tensor concatRows(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatRows: no tensors");
        }
        int cols = parts.get(0).cols();
        int rows = 0;
        for (Tensor p : parts) {
            data(p);
            if (p.cols() != cols) {
                throw new IllegalArgumentException("concatRows: column counts differ, " + parts.get(0).shape()
                        + " vs " + p.shape());
            }
            rows += p.rows();
        }
        double[] out = new double[rows * cols];
        int offset = 0;
        for (Tensor p : parts) {
            double[] d = data(p);
            System.arraycopy(d, 0, out, offset, d.length);
            offset += d.length;
        }
        return make(rows, cols, out);
    }

    @Override
    public Tensor transpose(Tensor t) {
        double[] a = data(t);
        int rows = t.rows();
        int cols = t.cols();
        double[] out = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = a[i * cols + j];
            }
        }
        return make(cols, rows, out);
    }

    // ----------------------------------------------------------------------------------------- BLAS 3

    @Override
    public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        double[] da = data(a);
        double[] db = data(b);
        double[] dc = data(c);
        Checks.requireGemmShapes(a, transA, b, transB, c);
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        int lda = a.cols();
        int ldb = b.cols();
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double aip = transA ? da[p * lda + i] : da[i * lda + p];
                if (aip == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    row[j] += aip * (transB ? db[j * ldb + p] : db[p * ldb + j]);
                }
            }
            for (int j = 0; j < n; j++) {
                int ij = i * n + j;
                dc[ij] = beta == 0 ? alpha * row[j] : alpha * row[j] + beta * dc[ij];
            }
        }
    }

    // ------------------------------------------------------------------------------------ elementwise

    @Override
    public void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out) {
        double[] dx = data(x);
        double[] dy = data(y);
        double[] d = data(out);
        Checks.requireSameShape("axpby", x, y);
        Checks.requireSameShape("axpby", x, out);
        for (int i = 0; i < d.length; i++) {
            d[i] = alpha * dx[i] + beta * dy[i];
        }
    }

    @Override
    public void hadamard(Tensor a, Tensor b, Tensor out) {
        double[] da = data(a);
        double[] db = data(b);
        double[] d = data(out);
        Checks.requireSameShape("hadamard", a, b);
        Checks.requireSameShape("hadamard", a, out);
        for (int i = 0; i < d.length; i++) {
            d[i] = da[i] * db[i];
        }
    }

    @Override
    public void affine(double alpha, Tensor x, double beta, Tensor out) {
        double[] dx = data(x);
        double[] d = data(out);
        Checks.requireSameShape("affine", x, out);
        for (int i = 0; i < d.length; i++) {
            d[i] = alpha * dx[i] + beta;
        }
    }

    @Override
    public void addRowVector(Tensor a, Tensor row, Tensor out) {
        double[] da = data(a);
        double[] dr = data(row);
        double[] d = data(out);
        Checks.requireShape("addRowVector row", row, 1, a.cols());
        Checks.requireSameShape("addRowVector", a, out);
        int cols = a.cols();
        for (int i = 0; i < d.length; i++) {
            d[i] = da[i] + dr[i % cols];
        }
    }

    @Override
    public void columnSums(Tensor a, Tensor out) {
        double[] da = data(a);
        double[] d = data(out);
        Checks.requireShape("columnSums out", out, 1, a.cols());
        requireDistinct("columnSums", out, a);
        int cols = a.cols();
        Arrays.fill(d, 0);
        for (int i = 0; i < da.length; i++) {
            d[i % cols] += da[i];
        }
    }

    @Override
    public void rowSumsOfSquares(Tensor a, Tensor out) {
        double[] da = data(a);
        double[] d = data(out);
        Checks.requireShape("rowSumsOfSquares out", out, a.rows(), 1);
        requireDistinct("rowSumsOfSquares", out, a);
        int cols = a.cols();
        for (int i = 0; i < a.rows(); i++) {
            double s = 0;
            for (int j = i * cols; j < (i + 1) * cols; j++) {
                s += da[j] * da[j];
            }
            d[i] = s;
        }
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        double[] da = data(a);
        double[] db = data(b);
        Checks.requireSameShape("dot", a, b);
        double s = 0;
        for (int i = 0; i < da.length; i++) {
            s += da[i] * db[i];
        }
        return s;
    }

    @Override
    public void map(Activation f, Tensor x, Tensor out) {
        double[] dx = data(x);
        double[] d = data(out);
        Checks.requireSameShape("map", x, out);
        for (int i = 0; i < d.length; i++) {
            d[i] = f.apply(dx[i]);
        }
    }

    @Override
    public void mapDerivative(Activation f, Tensor x, Tensor out) {
        double[] dx = data(x);
        double[] d = data(out);
        Checks.requireSameShape("mapDerivative", x, out);
        for (int i = 0; i < d.length; i++) {
            d[i] = f.derivative(dx[i]);
        }
    }

    @Override
    public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        double[] dk = data(k12);
        double[] d1 = data(q1);
        double[] d2 = data(q2);
        double[] ok = data(outK);
        double[] okd = data(outKdot);
        Checks.requireShape("dualMap q1", q1, k12.rows(), 1);
        Checks.requireShape("dualMap q2", q2, k12.cols(), 1);
        Checks.requireSameShape("dualMap outK", k12, outK);
        Checks.requireSameShape("dualMap outKdot", k12, outKdot);
        requireDistinct("dualMap", outK, outKdot, k12, q1, q2);
        requireDistinct("dualMap", outKdot, k12, q1, q2);
        int cols = k12.cols();
        double[] pair = new double[2];
        for (int i = 0; i < k12.rows(); i++) {
            for (int j = 0; j < cols; j++) {
                ActivationDuals.dual(f, d1[i], d2[j], dk[i * cols + j], pair);
                ok[i * cols + j] = pair[0];
                okd[i * cols + j] = pair[1];
            }
        }
    }

    // ---------------------------------------------------------------------------------- linear algebra

    @Override
    public void choleskySolve(Tensor a, Tensor b, Tensor out) {
        double[] da = data(a);
        double[] db = data(b);
        double[] d = data(out);
        requireSquareSystem("choleskySolve", a, b, out);
        double[] x = DenseSolvers.cholesky(da, a.rows(), db, b.cols(), a.shape());
        System.arraycopy(x, 0, d, 0, x.length);
    }

    @Override
    public void luSolve(Tensor a, Tensor b, Tensor out) {
        double[] da = data(a);
        double[] db = data(b);
        double[] d = data(out);
        requireSquareSystem("luSolve", a, b, out);
        double[] x = DenseSolvers.lu(da, a.rows(), db, b.cols(), a.shape());
        System.arraycopy(x, 0, d, 0, x.length);
    }

    private static void requireSquareSystem(String op, Tensor a, Tensor b, Tensor out) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(op + ": A must be square, got " + a.shape());
        }
        Checks.requireShape(op + " B", b, a.rows(), b.cols());
        Checks.requireSameShape(op + " out", b, out);
    }

    @Override
    public SymmetricEigen symmetricEigen(Tensor a) {
        double[] da = data(a);
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("symmetricEigen: A must be square, got " + a.shape());
        }
        int n = a.rows();
        double[][] valuesAndVectors = DenseSolvers.jacobiEigen(da, n);
        return new SymmetricEigen(make(n, 1, valuesAndVectors[0]), make(n, n, valuesAndVectors[1]));
    }

    @Override
    public void close() {
        // heap arrays only: nothing to release
    }

    @Override
    public String toString() {
        return "SimpleBackend";
    }
}
