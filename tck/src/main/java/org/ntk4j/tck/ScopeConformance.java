package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Tensor life cycle: scopes close what was made inside them except what is kept, scopes nest, closed tensors
 * and tensors of another backend instance are refused with a clear message.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the tensors made inside, not referenced
public abstract class ScopeConformance extends ConformanceGroup {

    /** For subclasses. */
    protected ScopeConformance() {
    }

    /** The scope checks manage scopes themselves. */
    @Override
    protected boolean runsInScope() {
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("closing a scope closes every tensor made inside it, by any operation, and none made before it")
    void scopeClosesItsTensors(DType dtype) {
        Tensor before = backend.zeros(2, 2, dtype);
        List<Tensor> made = new ArrayList<>();
        try (TensorScope scope = backend.scope()) {
            Tensor a = backend.fromHost(new double[] {2, 1, 1, 3}, 2, 2, dtype);
            made.add(a);
            made.add(backend.zeros(3, 1, dtype));
            made.add(backend.copy(before));
            made.add(backend.transpose(a));
            made.add(backend.gatherRows(a, new int[] {1, 1}));
            made.add(backend.concatRows(List.of(a, before)));
            made.add(backend.gram(a));
            SymmetricEigen eig = backend.symmetricEigen(a);
            made.add(eig.values());
            made.add(eig.vectors());
            for (Tensor t : made) {
                assertFalse(t.isClosed(), "a tensor is open while its scope is");
            }
        }
        for (Tensor t : made) {
            assertTrue(t.isClosed(), "tensor " + t.shape() + " made in the scope is closed with it");
        }
        assertFalse(before.isClosed(), "a tensor made before the scope stays open");
        before.close();
        assertTrue(before.isClosed());
        before.close(); // idempotent
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("keep moves a tensor to the enclosing scope, or to the caller when there is none")
    void keep(DType dtype) {
        Tensor kept;
        Tensor keptToParent;
        Tensor dropped;
        try (TensorScope outer = backend.scope()) {
            try (TensorScope inner = backend.scope()) {
                keptToParent = inner.keep(backend.zeros(2, 3, dtype));
                dropped = backend.zeros(2, 3, dtype);
            }
            assertTrue(dropped.isClosed(), "a tensor not kept closes with its scope");
            assertFalse(keptToParent.isClosed(), "a kept tensor survives its scope");
            backend.affine(0, keptToParent, 1, keptToParent);
            kept = outer.keep(keptToParent);
            assertSame(keptToParent, kept, "keep returns its argument");
        }
        assertFalse(kept.isClosed(), "a tensor kept by the outermost scope belongs to the caller");
        Approx.assertExact("a kept tensor keeps its values", filled(2, 3, 1), host(kept));
        kept.close();

        Tensor inParent;
        try (TensorScope outer = backend.scope()) {
            try (TensorScope inner = backend.scope()) {
                inParent = inner.keep(backend.zeros(1, 1, dtype));
            }
            assertFalse(inParent.isClosed());
        }
        assertTrue(inParent.isClosed(), "a tensor kept by an inner scope closes with the outer one");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("closing an outer scope closes the inner scopes still open and their tensors; close is idempotent")
    void nestedScopes(DType dtype) {
        TensorScope outer = backend.scope();
        Tensor a = backend.zeros(1, 2, dtype);
        TensorScope inner = backend.scope();
        Tensor b = backend.zeros(1, 2, dtype);
        TensorScope innermost = backend.scope();
        Tensor c = backend.zeros(1, 2, dtype);
        innermost.close();
        assertTrue(c.isClosed(), dtype + ": the innermost scope's tensor is closed with it");
        assertFalse(b.isClosed(), dtype + ": closing an inner scope leaves the enclosing scope's tensors open");
        assertFalse(a.isClosed(), dtype + ": closing an inner scope leaves the outer scope's tensors open");
        Tensor d = backend.zeros(1, 2, dtype); // belongs to inner again
        outer.close();
        String[] names = {"a (outer scope)", "b (inner scope)", "d (inner scope, made after innermost closed)"};
        Tensor[] tensors = {a, b, d};
        for (int i = 0; i < tensors.length; i++) {
            assertTrue(tensors[i].isClosed(), dtype + ": tensor " + names[i] + " is closed with the outer scope");
        }
        assertDoesNotThrow(inner::close, dtype + ": closing an inner scope again after its outer scope closed it");
        assertDoesNotThrow(outer::close, dtype + ": closing the outer scope twice");
        Tensor after = backend.zeros(1, 1, dtype);
        try (TensorScope fresh = backend.scope()) {
            backend.zeros(1, 1, dtype);
        }
        assertFalse(after.isClosed(), dtype + ": after every scope is closed, new tensors belong to the caller");
        after.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("a tensor closed early is simply forgotten by its scope")
    void earlyClose(DType dtype) {
        Tensor t;
        Tensor u;
        try (TensorScope scope = backend.scope()) {
            t = backend.zeros(2, 2, dtype);
            u = backend.zeros(2, 2, dtype);
            t.close();
            assertTrue(t.isClosed(), dtype + ": a tensor closed inside its scope reports isClosed()");
            assertFalse(u.isClosed(), dtype + ": closing one tensor leaves the scope's others open");
        }
        assertTrue(u.isClosed(), dtype + ": the scope still closes its other tensors after one was closed early");
        assertDoesNotThrow(t::close, dtype + ": closing the early-closed tensor again");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("scopes belong to the thread that opened them")
    void scopesArePerThread(DType dtype) throws InterruptedException {
        AtomicReference<Tensor> other = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (TensorScope scope = backend.scope()) {
            Thread thread = new Thread(() -> {
                try {
                    other.set(backend.zeros(2, 2, dtype));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            thread.start();
            thread.join();
        }
        assertTrue(failure.get() == null, () -> "zeros on another thread failed: " + failure.get());
        assertFalse(other.get().isClosed(), "a tensor made on another thread is not in this thread's scope");
        other.get().close();
    }

    /**
     * Every operation of the SPI with {@code bad} in each tensor position in turn; the other arguments are 2×2
     * (an SPD matrix for the solvers and symmetricEigen), 1×2 rows or 2×1 columns made by {@code backend}, so
     * that {@code bad} is the only thing wrong.
     */
    private List<Call> everyOperation(Backend b, Tensor bad, Tensor badRow, Tensor badColumn, DType dtype) {
        Tensor open = b.zeros(2, 2, dtype);
        Tensor out = b.zeros(2, 2, dtype);
        Tensor out2 = b.zeros(2, 2, dtype);
        Tensor spd = b.fromHost(new double[] {2, 1, 1, 3}, 2, 2, dtype);
        Tensor row = b.zeros(1, 2, dtype);
        Tensor column = b.fromHost(new double[] {1, 2}, 2, 1, dtype);
        Tensor k12 = b.fromHost(new double[] {1, 0.5, 0.5, 2}, 2, 2, dtype);
        return List.of(
            call("toHost", () -> backend.toHost(bad)),
            call("copy", () -> backend.copy(bad)),
            call("transpose", () -> backend.transpose(bad)),
            call("gatherRows", () -> backend.gatherRows(bad, new int[] {1, 0})),
            call("concatRows(second part)", () -> backend.concatRows(List.of(open, bad))),
            call("gemm(A)", () -> backend.gemm(1, bad, false, open, false, 0, out)),
            call("gemm(B)", () -> backend.gemm(1, open, false, bad, false, 0, out)),
            call("gemm(C)", () -> backend.gemm(1, open, false, open, false, 0, bad)),
            call("axpby(x)", () -> backend.axpby(1, bad, 1, open, out)),
            call("axpby(y)", () -> backend.axpby(1, open, 1, bad, out)),
            call("axpby(out)", () -> backend.axpby(1, open, 1, open, bad)),
            call("hadamard(b)", () -> backend.hadamard(open, bad, out)),
            call("hadamard(out)", () -> backend.hadamard(open, open, bad)),
            call("affine(x)", () -> backend.affine(1, bad, 0, out)),
            call("affine(out)", () -> backend.affine(1, open, 0, bad)),
            call("addRowVector(a)", () -> backend.addRowVector(bad, row, out)),
            call("addRowVector(row)", () -> backend.addRowVector(open, badRow, out)),
            call("columnSums(a)", () -> backend.columnSums(bad, row)),
            call("columnSums(out)", () -> backend.columnSums(open, badRow)),
            call("rowSumsOfSquares(a)", () -> backend.rowSumsOfSquares(bad, column)),
            call("rowSumsOfSquares(out)", () -> backend.rowSumsOfSquares(open, badColumn)),
            call("dot(b)", () -> backend.dot(open, bad)),
            call("map(x)", () -> backend.map(Activation.RELU, bad, out)),
            call("map(out)", () -> backend.map(Activation.RELU, open, bad)),
            call("mapDerivative(x)", () -> backend.mapDerivative(Activation.TANH, bad, out)),
            call("dualMap(k12)", () -> backend.dualMap(Activation.RELU, bad, column, column, out, out2)),
            call("dualMap(q1)", () -> backend.dualMap(Activation.RELU, k12, badColumn, column, out, out2)),
            call("dualMap(q2)", () -> backend.dualMap(Activation.RELU, k12, column, badColumn, out, out2)),
            call("dualMap(outK)", () -> backend.dualMap(Activation.RELU, k12, column, column, bad, out2)),
            call("dualMap(outKdot)", () -> backend.dualMap(Activation.RELU, k12, column, column, out, bad)),
            call("choleskySolve(A)", () -> backend.choleskySolve(bad, open, out)),
            call("choleskySolve(B)", () -> backend.choleskySolve(spd, bad, out)),
            call("choleskySolve(out)", () -> backend.choleskySolve(spd, open, bad)),
            call("luSolve(A)", () -> backend.luSolve(bad, open, out)),
            call("luSolve(B)", () -> backend.luSolve(spd, bad, out)),
            call("luSolve(out)", () -> backend.luSolve(spd, open, bad)),
            call("symmetricEigen", () -> backend.symmetricEigen(bad)),
            call("choleskyFactorInPlace", () -> backend.choleskyFactorInPlace(bad)),
            call("triangularSolve(L)", () -> backend.triangularSolve(bad, false, open, out)),
            call("triangularSolve(B)", () -> backend.triangularSolve(spd, true, bad, out)),
            call("triangularSolve(out)", () -> backend.triangularSolve(spd, false, open, bad)),
            call("triangularGram(L)", () -> backend.triangularGram(bad, out)),
            call("triangularGram(out)", () -> backend.triangularGram(spd, bad)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("every operation given a closed tensor, in any position, throws IllegalStateException saying it is closed")
    void closedTensorRejected(DType dtype) {
        try (TensorScope scope = backend.scope()) {
            Tensor closed = backend.fromHost(new double[] {2, 1, 1, 3}, 2, 2, dtype);
            Tensor closedRow = backend.fromHost(new double[] {1, 2}, 1, 2, dtype);
            Tensor closedColumn = backend.fromHost(new double[] {1, 2}, 2, 1, dtype);
            closed.close();
            closedRow.close();
            closedColumn.close();
            assertEachThrows(IllegalStateException.class, "a closed tensor", dtype,
                    everyOperation(backend, closed, closedRow, closedColumn, dtype), "closed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("every operation given a tensor of another backend instance, in any position, throws IllegalArgumentException naming the backend")
    void foreignTensorRejected(DType dtype) {
        Backend other = createBackend();
        try (TensorScope scope = backend.scope(); TensorScope otherScope = other.scope()) {
            Tensor foreign = other.fromHost(new double[] {2, 1, 1, 3}, 2, 2, dtype);
            Tensor foreignRow = other.fromHost(new double[] {1, 2}, 1, 2, dtype);
            Tensor foreignColumn = other.fromHost(new double[] {1, 2}, 2, 1, dtype);
            List<Call> calls = new ArrayList<>(everyOperation(backend, foreign, foreignRow, foreignColumn, dtype));
            Tensor mine = backend.zeros(2, 2, dtype);
            calls.add(call("toHost on the other instance", () -> other.toHost(mine)));
            calls.add(call("gemm on the other instance", () -> other.gemm(1, foreign, false, mine, false, 0, foreign)));
            assertEachThrows(IllegalArgumentException.class, "a tensor of another backend instance", dtype, calls,
                    "backend");
            Approx.assertExact("the foreign tensor " + dtype + " after every operation refused it",
                    new HostMatrix(2, 2, new double[] {2, 1, 1, 3}), new HostMatrix(2, 2, other.toHost(foreign)));
        } finally {
            other.close();
        }
    }
}
