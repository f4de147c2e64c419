package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.function.Executable;
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
        assertTrue(c.isClosed());
        assertFalse(b.isClosed(), "closing an inner scope leaves the enclosing scope's tensors open");
        Tensor d = backend.zeros(1, 2, dtype); // belongs to inner again
        outer.close();
        for (Tensor t : new Tensor[] {a, b, d}) {
            assertTrue(t.isClosed(), "tensor of a nested scope closed with the outer scope");
        }
        inner.close();
        outer.close();
        Tensor after = backend.zeros(1, 1, dtype);
        try (TensorScope fresh = backend.scope()) {
            backend.zeros(1, 1, dtype);
        }
        assertFalse(after.isClosed(), "after every scope is closed, new tensors belong to the caller");
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
            assertTrue(t.isClosed());
            assertFalse(u.isClosed());
        }
        assertTrue(u.isClosed());
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("using a closed tensor throws IllegalStateException saying it is closed")
    void closedTensorRejected(DType dtype) {
        try (TensorScope scope = backend.scope()) {
            Tensor closed = backend.fromHost(new double[] {1, 2, 3, 4}, 2, 2, dtype);
            Tensor open = backend.zeros(2, 2, dtype);
            closed.close();
            List<Executable> calls = List.of(
                () -> backend.toHost(closed),
                () -> backend.copy(closed),
                () -> backend.transpose(closed),
                () -> backend.axpby(1, closed, 1, open, open),
                () -> backend.axpby(1, open, 1, open, closed),
                () -> backend.gemm(1, open, false, closed, false, 0, backend.zeros(2, 2, dtype)),
                () -> backend.gemm(1, open, false, open, false, 0, closed),
                () -> backend.map(Activation.RELU, closed, open),
                () -> backend.dot(open, closed),
                () -> backend.concatRows(List.of(open, closed)));
            for (Executable call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertMessageContains(e, "closed");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("a tensor of another backend instance throws IllegalArgumentException naming the backend")
    void foreignTensorRejected(DType dtype) {
        Backend other = createBackend();
        try (TensorScope scope = backend.scope(); TensorScope otherScope = other.scope()) {
            Tensor foreign = other.fromHost(new double[] {1, 2, 3, 4}, 2, 2, dtype);
            Tensor mine = backend.zeros(2, 2, dtype);
            List<Executable> calls = List.of(
                () -> backend.toHost(foreign),
                () -> backend.copy(foreign),
                () -> backend.axpby(1, mine, 1, foreign, mine),
                () -> backend.hadamard(mine, mine, foreign),
                () -> backend.gemm(1, mine, false, foreign, false, 0, backend.zeros(2, 2, dtype)),
                () -> backend.concatRows(List.of(mine, foreign)),
                () -> other.toHost(mine));
            for (Executable call : calls) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertMessageContains(e, "backend");
            }
            Approx.assertExact("the foreign tensor is untouched", new HostMatrix(2, 2, new double[] {1, 2, 3, 4}),
                    new HostMatrix(2, 2, other.toHost(foreign)));
        } finally {
            other.close();
        }
    }
}
