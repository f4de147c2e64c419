package org.ntk4j.backend.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The per-thread stack of open {@link TensorScope}s of one backend: a backend keeps one instance, returns
 * {@link #open()} from {@code Backend.scope()}, and lets every new {@link AbstractTensor} register itself.
 */
public final class ScopeStack {

    private final ThreadLocal<Deque<Scope>> open = ThreadLocal.withInitial(ArrayDeque::new);

    /** @return a new scope, nested inside this thread's innermost open scope if there is one */
    public TensorScope open() {
        Deque<Scope> stack = open.get();
        Scope scope = new Scope(stack.peek());
        if (scope.parent != null) {
            scope.parent.children.add(scope);
        }
        stack.push(scope);
        return scope;
    }

    /** Gives a new tensor to this thread's innermost open scope, if there is one. */
    void register(AbstractTensor tensor) {
        Scope scope = open.get().peek();
        if (scope != null) {
            scope.adopt(tensor);
        }
    }

    /** A scope; tensors know their owning scope so that closing a tensor early forgets it. */
    final class Scope implements TensorScope {
        private final Scope parent;
        private final Set<AbstractTensor> tensors = new LinkedHashSet<>();
        private final List<Scope> children = new ArrayList<>();
        private boolean closed;

        Scope(Scope parent) {
            this.parent = parent;
        }

        void adopt(AbstractTensor t) {
            tensors.add(t);
            t.owner = this;
        }

        void forget(AbstractTensor t) {
            tensors.remove(t);
        }

        @Override
        public <T extends Tensor> T keep(T tensor) {
            if (!(tensor instanceof AbstractTensor) || ((AbstractTensor) tensor).owner != this) {
                if (tensor instanceof AbstractTensor && ((AbstractTensor) tensor).owner == null) {
                    return tensor;
                }
                throw new IllegalArgumentException("tensor " + tensor.shape() + " does not belong to this scope");
            }
            AbstractTensor t = (AbstractTensor) tensor;
            tensors.remove(t);
            t.owner = null;
            if (parent != null && !parent.closed) {
                parent.adopt(t);
            }
            return tensor;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = children.size() - 1; i >= 0; i--) {
                children.get(i).close();
            }
            List<AbstractTensor> toClose = new ArrayList<>(tensors);
            tensors.clear();
            RuntimeException failure = null;
            for (AbstractTensor t : toClose) {
                t.owner = null;
                try {
                    t.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            open.get().remove(this);
            if (parent != null) {
                parent.children.remove(this);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
