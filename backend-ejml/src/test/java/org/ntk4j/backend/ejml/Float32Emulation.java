package org.ntk4j.backend.ejml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A test-only, F32-only backend: every tensor holds float values (kept in an EJML matrix), every operation runs
 * in double on EJML and rounds what it writes to float. It is no substitute for a real float backend; it exists
 * so that the conformance kit's F32 paths (inputs rounded to float, the F32 tolerance row, dtype-only-F32
 * capability flags) run in this build.
 */
final class Float32Emulation implements Backend {

    /** A float tensor: an EJML tensor whose values are all representable in float. */
    static final class F32Tensor extends AbstractTensor {
        final EjmlTensor inner;

        F32Tensor(Float32Emulation backend, EjmlTensor inner) {
            super(backend, backend.scopes, inner.rows(), inner.cols(), DType.F32);
            this.inner = inner;
        }

        @Override
        protected void release() {
            inner.close();
        }
    }

    private final ScopeStack scopes = new ScopeStack();
    private final EjmlBackend ejml = (EjmlBackend) new EjmlBackendProvider().create(BackendOptions.defaults());

    private EjmlTensor in(Tensor t) {
        return (EjmlTensor) AbstractTensor.own(t, this, F32Tensor.class).inner;
    }

    private static void round(Tensor t) {
        double[] d = ((EjmlTensor) t).data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) d[i];
        }
    }

    private F32Tensor wrap(Tensor inner) {
        round(inner);
        return new F32Tensor(this, (EjmlTensor) inner);
    }

    private static void requireF32(DType dtype) {
        if (dtype != DType.F32) {
            throw new IllegalArgumentException("the float32 emulation supports F32 only, not " + dtype);
        }
    }

    @Override public String name() { return "f32-emulation"; }
    @Override public Set<DType> dtypes() { return Set.of(DType.F32); }
    @Override public TensorScope scope() { return scopes.open(); }

    @Override public Tensor zeros(int rows, int cols, DType dtype) {
        requireF32(dtype);
        return wrap(ejml.zeros(rows, cols, DType.F64));
    }

    @Override public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
        requireF32(dtype);
        return wrap(ejml.fromHost(data, rows, cols, DType.F64));
    }

    @Override public double[] toHost(Tensor t) { return ejml.toHost(in(t)); }
    @Override public Tensor copy(Tensor t) { return wrap(ejml.copy(in(t))); }
    @Override public Tensor gatherRows(Tensor t, int[] rows) { return wrap(ejml.gatherRows(in(t), rows)); }
    @Override public Tensor transpose(Tensor t) { return wrap(ejml.transpose(in(t))); }

    @Override public Tensor concatRows(List<Tensor> parts) {
        List<Tensor> inner = new ArrayList<>();
        for (Tensor p : parts) {
            inner.add(in(p));
        }
        return wrap(ejml.concatRows(inner));
    }

    @Override public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        ejml.gemm((float) alpha, in(a), transA, in(b), transB, (float) beta, in(c));
        round(in(c));
    }

    @Override public void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out) {
        ejml.axpby((float) alpha, in(x), (float) beta, in(y), in(out));
        round(in(out));
    }

    @Override public void hadamard(Tensor a, Tensor b, Tensor out) {
        ejml.hadamard(in(a), in(b), in(out));
        round(in(out));
    }

    @Override public void affine(double alpha, Tensor x, double beta, Tensor out) {
        ejml.affine((float) alpha, in(x), (float) beta, in(out));
        round(in(out));
    }

    @Override public void addRowVector(Tensor a, Tensor row, Tensor out) {
        ejml.addRowVector(in(a), in(row), in(out));
        round(in(out));
    }

    @Override public void columnSums(Tensor a, Tensor out) {
        ejml.columnSums(in(a), in(out));
        round(in(out));
    }

    @Override public void rowSumsOfSquares(Tensor a, Tensor out) {
        ejml.rowSumsOfSquares(in(a), in(out));
        round(in(out));
    }

    @Override public double dot(Tensor a, Tensor b) { return ejml.dot(in(a), in(b)); }

    @Override public void map(Activation f, Tensor x, Tensor out) {
        ejml.map(f, in(x), in(out));
        round(in(out));
    }

    @Override public void mapDerivative(Activation f, Tensor x, Tensor out) {
        ejml.mapDerivative(f, in(x), in(out));
        round(in(out));
    }

    @Override public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        ejml.dualMap(f, in(k12), in(q1), in(q2), in(outK), in(outKdot));
        round(in(outK));
        round(in(outKdot));
    }

    @Override public void choleskySolve(Tensor a, Tensor b, Tensor out) {
        ejml.choleskySolve(in(a), in(b), in(out));
        round(in(out));
    }

    @Override public void luSolve(Tensor a, Tensor b, Tensor out) {
        ejml.luSolve(in(a), in(b), in(out));
        round(in(out));
    }

    @Override public SymmetricEigen symmetricEigen(Tensor a) {
        SymmetricEigen e = ejml.symmetricEigen(in(a));
        return new SymmetricEigen(wrap(e.values()), wrap(e.vectors()));
    }

    @Override public void close() {
        ejml.close();
    }
}
