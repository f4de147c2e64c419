package org.ntk4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * An ordered list of parameter-shaped tensors of one backend: a model's parameters, their gradients, an
 * update, or an optimizer's moment estimates. The list is fixed; the tensors are the caller's and are only
 * modified by the methods that say so. Closing a {@code Params} closes its tensors.
 *
 * <p>Two {@code Params} are "alike" when they have the same number of tensors with the same shapes in the same
 * order; the arithmetic helpers require it.
 */
public final class Params implements AutoCloseable {

    private final List<Tensor> tensors;

    private Params(List<Tensor> tensors) {
        this.tensors = tensors;
    }

    /**
     * @param tensors at least one open tensor, all of one backend (the list is copied; the tensors are taken
     *     over: closing the result closes them)
     * @return the parameters
     */
    public static Params of(List<? extends Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("parameters need at least one tensor");
        }
        Backend backend = tensors.get(0).backend();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = Objects.requireNonNull(tensors.get(i), "tensor " + i);
            if (t.backend() != backend) {
                throw new IllegalArgumentException("parameter tensor " + i + " belongs to backend "
                        + t.backend().name() + ", tensor 0 to " + backend.name());
            }
        }
        return new Params(Collections.unmodifiableList(new ArrayList<>(tensors)));
    }

    /**
     * @param tensors at least one open tensor, all of one backend (taken over)
     * @return the parameters
     */
    public static Params of(Tensor... tensors) {
        return of(List.of(tensors));
    }

    /** @return the tensors, in order (an unmodifiable list) */
    public List<Tensor> tensors() {
        return tensors;
    }

    /**
     * @param i an index in [0, size())
     * @return the i-th tensor
     */
    public Tensor get(int i) {
        return tensors.get(i);
    }

    /** @return the number of tensors */
    public int size() {
        return tensors.size();
    }

    /** @return the total number of scalar parameters */
    public long count() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        return n;
    }

    /** @return the backend the tensors belong to */
    public Backend backend() {
        return tensors.get(0).backend();
    }

    /** @return new zero tensors alike these */
    public Params zerosLike() {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(backend().zeros(t.rows(), t.cols(), t.dtype()));
        }
        return new Params(Collections.unmodifiableList(out));
    }

    /** @return new tensors with the same values */
    public Params copy() {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(backend().copy(t));
        }
        return new Params(Collections.unmodifiableList(out));
    }

    /**
     * Elementwise linear combination: a new {@code alpha·this + beta·other}.
     *
     * @param alpha the factor on these values
     * @param beta the factor on {@code other}'s values
     * @param other parameters alike these (not modified)
     * @return new tensors
     */
    public Params combine(double alpha, double beta, Params other) {
        requireAlike(other, "combine");
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            Tensor r = backend().zeros(t.rows(), t.cols(), t.dtype());
            backend().axpby(alpha, t, beta, other.tensors.get(i), r);
            out.add(r);
        }
        return new Params(Collections.unmodifiableList(out));
    }

    /**
     * @param alpha the factor
     * @return new tensors {@code alpha·this}
     */
    public Params scaled(double alpha) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            Tensor r = backend().zeros(t.rows(), t.cols(), t.dtype());
            backend().scale(alpha, t, r);
            out.add(r);
        }
        return new Params(Collections.unmodifiableList(out));
    }

    /**
     * @param other parameters alike these (not modified)
     * @return Σ ⟨this_i, other_i⟩ over all tensors
     */
    public double dot(Params other) {
        requireAlike(other, "dot");
        double s = 0;
        for (int i = 0; i < tensors.size(); i++) {
            s += backend().dot(tensors.get(i), other.tensors.get(i));
        }
        return s;
    }

    /** @return the Euclidean norm over all tensors */
    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** @return every tensor's values, row-major, copied to the host */
    public double[][] toHost() {
        double[][] out = new double[tensors.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = backend().toHost(tensors.get(i));
        }
        return out;
    }

    /**
     * @param values one row-major array per tensor, lengths matching these shapes (not modified)
     * @return new tensors alike these holding {@code values}
     */
    public Params withValues(double[][] values) {
        if (values.length != tensors.size()) {
            throw new IllegalArgumentException(values.length + " arrays for " + tensors.size() + " parameter tensors");
        }
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (int i = 0; i < values.length; i++) {
            Tensor t = tensors.get(i);
            if (values[i].length != t.size()) {
                throw new IllegalArgumentException("parameter tensor " + i + " is " + t.shape() + " but "
                        + values[i].length + " values were given");
            }
            out.add(backend().fromHost(values[i], t.rows(), t.cols(), t.dtype()));
        }
        return new Params(Collections.unmodifiableList(out));
    }

    /**
     * @param other parameters of any shape
     * @return whether {@code other} has the same number of tensors with the same shapes
     */
    public boolean isAlike(Params other) {
        if (other.tensors.size() != tensors.size()) {
            return false;
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor a = tensors.get(i);
            Tensor b = other.tensors.get(i);
            if (a.rows() != b.rows() || a.cols() != b.cols()) {
                return false;
            }
        }
        return true;
    }

    /** @return the shapes, as "[64×256, 1×256, …]" */
    public String shapes() {
        List<String> s = new ArrayList<>();
        for (Tensor t : tensors) {
            s.add(t.shape());
        }
        return s.toString();
    }

    private void requireAlike(Params other, String op) {
        if (!isAlike(other)) {
            throw new IllegalArgumentException(op + ": parameter shapes differ: " + shapes() + " vs " + other.shapes());
        }
    }

    /** Closes every tensor. Idempotent. */
    @Override
    public void close() {
        for (Tensor t : tensors) {
            t.close();
        }
    }

    @Override
    public String toString() {
        return "Params" + shapes();
    }
}
