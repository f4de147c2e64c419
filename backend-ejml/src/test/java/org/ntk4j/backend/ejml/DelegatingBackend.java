package org.ntk4j.backend.ejml;

import java.util.List;
import java.util.Set;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A backend that forwards every primitive to another one; subclasses override one method to plant a fault
 * and check that the conformance kit notices it. Composites keep the SPI defaults, so they run through the
 * overridden primitives.
 */
class DelegatingBackend implements Backend {

    final Backend inner;

    DelegatingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override public String name() { return inner.name(); }
    @Override public Set<DType> dtypes() { return inner.dtypes(); }
    @Override public TensorScope scope() { return inner.scope(); }
    @Override public Tensor zeros(int rows, int cols, DType dtype) { return inner.zeros(rows, cols, dtype); }
    @Override public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
        return inner.fromHost(data, rows, cols, dtype);
    }
    @Override public double[] toHost(Tensor t) { return inner.toHost(t); }
    @Override public Tensor copy(Tensor t) { return inner.copy(t); }
    @Override public Tensor gatherRows(Tensor t, int[] rows) { return inner.gatherRows(t, rows); }
    @Override public Tensor concatRows(List<Tensor> parts) { return inner.concatRows(parts); }
    @Override public Tensor transpose(Tensor t) { return inner.transpose(t); }
    @Override public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        inner.gemm(alpha, a, transA, b, transB, beta, c);
    }
    @Override public void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out) {
        inner.axpby(alpha, x, beta, y, out);
    }
    @Override public void hadamard(Tensor a, Tensor b, Tensor out) { inner.hadamard(a, b, out); }
    @Override public void affine(double alpha, Tensor x, double beta, Tensor out) { inner.affine(alpha, x, beta, out); }
    @Override public void addRowVector(Tensor a, Tensor row, Tensor out) { inner.addRowVector(a, row, out); }
    @Override public void columnSums(Tensor a, Tensor out) { inner.columnSums(a, out); }
    @Override public void rowSumsOfSquares(Tensor a, Tensor out) { inner.rowSumsOfSquares(a, out); }
    @Override public double dot(Tensor a, Tensor b) { return inner.dot(a, b); }
    @Override public void map(Activation f, Tensor x, Tensor out) { inner.map(f, x, out); }
    @Override public void mapDerivative(Activation f, Tensor x, Tensor out) { inner.mapDerivative(f, x, out); }
    @Override public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        inner.dualMap(f, k12, q1, q2, outK, outKdot);
    }
    @Override public void choleskySolve(Tensor a, Tensor b, Tensor out) { inner.choleskySolve(a, b, out); }
    @Override public void luSolve(Tensor a, Tensor b, Tensor out) { inner.luSolve(a, b, out); }
    @Override public SymmetricEigen symmetricEigen(Tensor a) { return inner.symmetricEigen(a); }
    @Override public void close() { inner.close(); }
}
