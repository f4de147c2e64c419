package org.ntk4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A named list of tensors on one backend, seen as one long vector: the parameters of a model, their
 * gradients, or an optimizer's moments. Element-wise operations run tensor by tensor through the backend's
 * primitives, so nothing crosses to the host; {@link #dot} and {@link #normSquared} sum over all tensors.
 *
 * <p>A {@code Params} owns its tensors: {@link #close()} closes them all. Tensors made while a
 * {@link TensorScope} is open also belong to that scope; {@link #keepIn(TensorScope)} takes them out of it.
 */
public final class Params implements AutoCloseable {

    private final Backend backend;
    private final List<String> names;
    private final List<Tensor> tensors;

    /**
     * @param backend the backend owning every tensor
     * @param names one name per tensor, for messages and files (not modified, copied)
     * @param tensors the tensors, in order; ownership passes to the new object (the list is copied)
     */
    public Params(Backend backend, List<String> names, List<Tensor> tensors) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (names.size() != tensors.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + tensors.size() + " tensors");
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("parameters need at least one tensor");
        }
        DType d = tensors.get(0).dtype();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.backend() != backend) {
                throw new IllegalArgumentException("tensor " + names.get(i) + " belongs to backend "
                        + t.backend().name() + ", not " + backend.name());
            }
            if (t.dtype() != d) {
                throw new IllegalArgumentException("tensor " + names.get(i) + " is " + t.dtype() + ", the first is " + d);
            }
        }
        this.names = List.copyOf(names);
        this.tensors = List.copyOf(tensors);
    }

    /** @return the backend */
    public Backend backend() {
        return backend;
    }

    /** @return the element type of every tensor */
    public DType dtype() {
        return tensors.get(0).dtype();
    }

    /** @return the number of tensors */
    public int size() {
        return tensors.size();
    }

    /**
     * @param i an index in [0, size())
     * @return the i-th tensor (owned by this object)
     */
    public Tensor tensor(int i) {
        return tensors.get(i);
    }

    /**
     * @param i an index in [0, size())
     * @return the i-th name
     */
    public String name(int i) {
        return names.get(i);
    }

    /** @return the names, unmodifiable */
    public List<String> names() {
        return names;
    }

    /** @return the tensors, unmodifiable (owned by this object) */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** @return the total number of elements */
    public long elementCount() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        return n;
    }

    /** @return new zero tensors of the same shapes and names */
    public Params zerosLike() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(backend.zeros(t.rows(), t.cols(), t.dtype()));
        }
        return new Params(backend, names, out);
    }

    /** @return a deep copy */
    public Params copy() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(backend.copy(t));
        }
        return new Params(backend, names, out);
    }

    /**
     * out ← alpha·x + beta·y over every tensor. Any of the three may be the same object.
     *
     * @param alpha scale of x
     * @param x parameters of the same layout (not modified unless it is {@code out})
     * @param beta scale of y
     * @param y parameters of the same layout (not modified unless it is {@code out})
     * @param out parameters of the same layout, modified
     */
    public static void axpby(double alpha, Params x, double beta, Params y, Params out) {
        x.requireSameLayout(y, "axpby");
        x.requireSameLayout(out, "axpby");
        for (int i = 0; i < x.size(); i++) {
            x.backend.axpby(alpha, x.tensor(i), beta, y.tensor(i), out.tensor(i));
        }
    }

    /**
     * this ← this + alpha·x, the update of a gradient step.
     *
     * @param alpha the step
     * @param x parameters of the same layout (not modified unless it is this object)
     */
    public void addScaled(double alpha, Params x) {
        axpby(1, this, alpha, x, this);
    }

    /**
     * out ← a ⊙ b over every tensor.
     *
     * @param a parameters (not modified unless it is {@code out})
     * @param b parameters of the same layout (not modified unless it is {@code out})
     * @param out parameters of the same layout, modified
     */
    public static void hadamard(Params a, Params b, Params out) {
        a.requireSameLayout(b, "hadamard");
        a.requireSameLayout(out, "hadamard");
        for (int i = 0; i < a.size(); i++) {
            a.backend.hadamard(a.tensor(i), b.tensor(i), out.tensor(i));
        }
    }

    /**
     * this ← alpha·this + beta, elementwise.
     *
     * @param alpha the scale
     * @param beta the shift
     */
    public void affine(double alpha, double beta) {
        for (Tensor t : tensors) {
            backend.affine(alpha, t, beta, t);
        }
    }

    /**
     * this ← alpha·this.
     *
     * @param alpha the scale
     */
    public void scale(double alpha) {
        affine(alpha, 0);
    }

    /**
     * @param other parameters of the same layout (not modified)
     * @return Σ over all elements of this·other
     */
    public double dot(Params other) {
        requireSameLayout(other, "dot");
        double s = 0;
        for (int i = 0; i < size(); i++) {
            s += backend.dot(tensor(i), other.tensor(i));
        }
        return s;
    }

    /** @return the squared Euclidean norm of the whole vector */
    public double normSquared() {
        return dot(this);
    }

    /**
     * Copies the values of {@code src} into this object's tensors.
     *
     * @param src parameters of the same layout (not modified)
     */
    public void assign(Params src) {
        axpby(1, src, 0, src, this);
    }

    /** @return the values of each tensor, row-major, in order */
    public List<double[]> toHost() {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(backend.toHost(t));
        }
        return out;
    }

    /** @return all values concatenated in tensor order, each row-major: the flat parameter vector */
    public double[] toHostFlat() {
        double[] out = new double[Math.toIntExact(elementCount())];
        int off = 0;
        for (Tensor t : tensors) {
            double[] v = backend.toHost(t);
            System.arraycopy(v, 0, out, off, v.length);
            off += v.length;
        }
        return out;
    }

    /**
     * Takes every tensor out of {@code scope}, so that closing it leaves these parameters open.
     *
     * @param scope the scope the tensors were made in (modified: forgets them)
     * @return this object
     */
    public Params keepIn(TensorScope scope) {
        tensors.forEach(scope::keep);
        return this;
    }

    /**
     * @param other parameters
     * @param op the operation, for the message
     * @throws IllegalArgumentException when the tensor count, a shape or the backend differs
     */
    public void requireSameLayout(Params other, String op) {
        if (other.backend != backend) {
            throw new IllegalArgumentException(op + ": parameters on different backends (" + backend.name() + ", "
                    + other.backend.name() + ")");
        }
        if (other.size() != size()) {
            throw new IllegalArgumentException(op + ": " + size() + " tensors vs " + other.size());
        }
        for (int i = 0; i < size(); i++) {
            Tensor a = tensor(i);
            Tensor b = other.tensor(i);
            if (a.rows() != b.rows() || a.cols() != b.cols()) {
                throw new IllegalArgumentException(op + ": tensor " + names.get(i) + " is " + a.shape() + " vs "
                        + b.shape());
            }
        }
    }

    /** Closes every tensor. Idempotent. */
    @Override
    public void close() {
        tensors.forEach(Tensor::close);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("params[");
        for (int i = 0; i < size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(tensors.get(i).shape());
        }
        return sb.append(" on ").append(backend.name()).append(']').toString();
    }
}
