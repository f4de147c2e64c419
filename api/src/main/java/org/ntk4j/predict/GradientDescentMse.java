package org.ntk4j.predict;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The training dynamics of a linearized network (or an infinitely wide one) under gradient descent on
 * the loss (1/(2n))·‖f − y‖², n the number of target elements — neural-tangents'
 * {@code predict.gradient_descent_mse}. With Θ = V·diag(λ)·Vᵀ the train-train kernel (plus the regularizer)
 * and learning rate η:
 *
 * <pre>
 *   train:  f(t)   = y + V·diag(exp(−λ·η·t/n))·Vᵀ·(f₀ − y)
 *   test:   f_x(t) = f_x,0 + Θ_xX·V·diag((1 − exp(−λ·η·t/n))/λ)·Vᵀ·(y − f₀)
 *   t = ∞:  f_x    = f_x,0 + Θ_xX·(Θ + reg·I)⁻¹·(y − f₀)   (Cholesky), f = y on the training set
 * </pre>
 *
 * t = ∞ alone needs one Cholesky solve and no eigendecomposition. The eigendecomposition is computed on
 * the first finite time asked for and reused for every later t; negative eigenvalues (rounding) are treated
 * as 0, as neural-tangents does. Test predictions at every time are f_x,0 + Θ_xX·β_t with an n×k weight
 * β_t ({@link #testWeights}), so that a test kernel too large to hold can be streamed in blocks of rows. The regularizer is {@code diagReg} times the mean
 * of Θ's diagonal (neural-tangents' default, {@code diag_reg_absolute_scale=False}).
 *
 * <p>Kernels come in either layout: a traced N×N kernel with N×O targets (the kernel acts on every output
 * column alike), or a full N·O × N·O kernel with the targets flattened to N·O × 1 (index i·O + a). n is the
 * number of target elements, N·O, in both.
 */
public final class GradientDescentMse implements AutoCloseable {

    private final Backend be;
    private final Tensor kernel;
    private final Tensor y;
    private final double learningRate;
    private final double normalization;
    private final boolean adopted;
    private SymmetricEigen eigen;
    private double[] lambda;
    /** Whether an adopted kernel has been factored in place by the t = ∞ solve (its values are then lost). */
    private boolean factored;

    private GradientDescentMse(Backend be, Tensor kernel, Tensor y, double learningRate, boolean adopted) {
        this.be = be;
        this.kernel = kernel;
        this.y = y;
        this.learningRate = learningRate;
        this.normalization = y.size();
        this.adopted = adopted;
    }

    /**
     * Regularizes and keeps the train-train kernel; nothing is decomposed until a time asks for it.
     *
     * @param backend the backend of the tensors
     * @param kTrainTrain n_k×n_k symmetric kernel (not modified, copied)
     * @param yTrain n_k×k targets (not modified, copied)
     * @param learningRate η &gt; 0
     * @param diagReg the regularizer relative to the mean trace, ≥ 0
     * @return the predictor; close it to free its tensors
     */
    public static GradientDescentMse of(Backend backend, Tensor kTrainTrain, Tensor yTrain, double learningRate,
                                        double diagReg) {
        return make(backend, kTrainTrain, yTrain, learningRate, diagReg, false);
    }

    /**
     * Like {@link #of}, but regularizes the kernel in place and keeps it, without a copy, and the t = ∞ solve
     * factors it in place: ask for every time in one call ({@link #testWeights} or {@link #predict}), since after
     * that solve neither another t = ∞ solve nor a first eigendecomposition is possible.
     *
     * @param backend the backend of the tensors
     * @param kTrainTrain n_k×n_k symmetric kernel (modified: the predictor owns it from now on)
     * @param yTrain n_k×k targets (not modified, copied)
     * @param learningRate η &gt; 0
     * @param diagReg the regularizer relative to the mean trace, ≥ 0
     * @return the predictor; closing it closes the kernel
     */
    static GradientDescentMse adopting(Backend backend, Tensor kTrainTrain, Tensor yTrain, double learningRate,
                                       double diagReg) {
        return make(backend, kTrainTrain, yTrain, learningRate, diagReg, true);
    }

    private static GradientDescentMse make(Backend backend, Tensor kTrainTrain, Tensor yTrain, double learningRate,
                                           double diagReg, boolean inPlace) {
        Regularized.requireSquare(kTrainTrain, "the train-train kernel");
        if (yTrain.rows() != kTrainTrain.rows()) {
            throw new IllegalArgumentException("targets have " + yTrain.rows() + " rows (" + yTrain.shape()
                    + "), the kernel " + kTrainTrain.shape());
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        try (TensorScope scope = backend.scope()) {
            Tensor k = inPlace ? Regularized.shiftInPlace(backend, kTrainTrain, diagReg, new double[1])
                    : Regularized.shifted(backend, kTrainTrain, diagReg, new double[1]);
            Tensor y = backend.copy(yTrain);
            return new GradientDescentMse(backend, inPlace ? k : scope.keep(k), scope.keep(y), learningRate, inPlace);
        }
    }

    /** @return the eigenvalues of the regularized kernel, ascending, negatives clipped to 0 (a copy) */
    public double[] eigenvalues() {
        decompose();
        return lambda.clone();
    }

    /** @return whether the eigendecomposition has been computed (only finite times need it) */
    public boolean decomposed() {
        return eigen != null;
    }

    private void decompose() {
        if (eigen != null) {
            return;
        }
        requireKernel();
        try (TensorScope scope = be.scope()) {
            SymmetricEigen e = be.symmetricEigen(kernel);
            double[] l = be.toHost(e.values());
            for (int i = 0; i < l.length; i++) {
                l[i] = Math.max(l[i], 0);
            }
            scope.keep(e.values());
            scope.keep(e.vectors());
            eigen = e;
            lambda = l;
        }
    }

    /**
     * Predictions on the training set.
     *
     * @param t the training time (η·t is the number of steps times the step), ≥ 0 or +∞
     * @param fTrain0 n_k×k outputs at t = 0, or {@code null} for zeros (not modified)
     * @return new n_k×k predictions
     */
    public Tensor train(double t, Tensor fTrain0) {
        return predict(new double[] {t}, fTrain0, null, null).get(0).train();
    }

    /**
     * Predictions on a test set.
     *
     * @param t the training time, ≥ 0 or +∞
     * @param fTrain0 n_k×k outputs on the training set at t = 0, or {@code null} for zeros (not modified)
     * @param fTest0 m×k outputs on the test set at t = 0, or {@code null} for zeros (not modified)
     * @param kTestTrain m×n_k kernel between test and training inputs (not modified)
     * @return new m×k predictions
     */
    public Tensor test(double t, Tensor fTrain0, Tensor fTest0, Tensor kTestTrain) {
        return predict(new double[] {t}, fTrain0, fTest0, kTestTrain).get(0).test();
    }

    /**
     * Train and test predictions at one time.
     *
     * @param t the time
     * @param train n_k×k training-set predictions (owned by the caller or the current scope)
     * @param test m×k test-set predictions, or {@code null} when no test kernel was given
     */
    public record Prediction(double t, Tensor train, Tensor test) implements AutoCloseable {
        /** Closes both tensors. */
        @Override
        public void close() {
            train.close();
            if (test != null) {
                test.close();
            }
        }
    }

    /**
     * Predictions at many times, sharing the solve, the decomposition and the products that do not depend on t.
     *
     * @param times training times, each ≥ 0 or +∞ (not modified)
     * @param fTrain0 n_k×k outputs on the training set at t = 0, or {@code null} for zeros (not modified)
     * @param fTest0 m×k outputs on the test set at t = 0, or {@code null} for zeros (not modified)
     * @param kTestTrain m×n_k test-train kernel, or {@code null} for training predictions only (not modified)
     * @return one prediction per time, in order
     */
    public List<Prediction> predict(double[] times, Tensor fTrain0, Tensor fTest0, Tensor kTestTrain) {
        int n = y.rows();
        int k = y.cols();
        checkShape(fTrain0, n, k, "fTrain0");
        if (kTestTrain != null && kTestTrain.cols() != n) {
            throw new IllegalArgumentException("test-train kernel is " + kTestTrain.shape() + ", expected m×" + n);
        }
        int m = kTestTrain == null ? 0 : kTestTrain.rows();
        if (kTestTrain != null) {
            checkShape(fTest0, m, k, "fTest0");
        }
        checkTimes(times);
        decomposeFor(times);
        List<Prediction> out = new ArrayList<>();
        try (TensorScope scope = be.scope()) {
            Tensor r = residual(fTrain0);
            Tensor vtr = projected(times, r);
            Tensor[] alphaInf = new Tensor[1];
            for (double t : times) {
                Tensor train = scope.keep(trainAt(t, vtr));
                Tensor test = null;
                if (kTestTrain != null) {
                    test = be.zeros(m, k, y.dtype());
                    if (fTest0 != null) {
                        be.axpby(1, fTest0, 0, fTest0, test);
                    }
                    try (Tensor w = weightAt(t, r, vtr, alphaInf)) {
                        be.gemm(1, kTestTrain, false, w, false, 1, test);
                    }
                    scope.keep(test);
                }
                out.add(new Prediction(t, train, test));
            }
        }
        return out;
    }

    /**
     * The test-set weights β_t: at every time t the test predictions are f_x,0 + Θ_xX·β_t, for any test set.
     * t = ∞ alone costs one Cholesky solve, β = (Θ + reg·I)⁻¹·(y − f₀); finite times use the eigendecomposition,
     * β_t = V·diag((1 − exp(−λ·η·t/n))/λ)·Vᵀ·(y − f₀).
     *
     * @param times training times, each ≥ 0 or +∞ (not modified)
     * @param fTrain0 n_k×k outputs on the training set at t = 0, or {@code null} for zeros (not modified)
     * @return one new n_k×k weight per time, in order
     */
    public List<Tensor> testWeights(double[] times, Tensor fTrain0) {
        checkShape(fTrain0, y.rows(), y.cols(), "fTrain0");
        checkTimes(times);
        decomposeFor(times);
        List<Tensor> out = new ArrayList<>();
        try (TensorScope scope = be.scope()) {
            Tensor r = residual(fTrain0);
            Tensor vtr = projected(times, r);
            Tensor[] alphaInf = new Tensor[1];
            for (double t : times) {
                out.add(scope.keep(weightAt(t, r, vtr, alphaInf)));
            }
        }
        return out;
    }

    /** r = f₀ − y. */
    private Tensor residual(Tensor fTrain0) {
        Tensor r = be.zeros(y.rows(), y.cols(), y.dtype());
        if (fTrain0 == null) {
            be.scale(-1, y, r);
        } else {
            be.axpby(1, fTrain0, -1, y, r);
        }
        return r;
    }

    /**
     * Decomposes when some time is finite; called outside any scope of this object's own, so that the
     * decomposition belongs where the predictor does.
     */
    private void decomposeFor(double[] times) {
        for (double t : times) {
            if (t != Double.POSITIVE_INFINITY) {
                decompose();
                return;
            }
        }
    }

    /** Vᵀ·r when some time is finite, else {@code null}. */
    private Tensor projected(double[] times, Tensor r) {
        for (double t : times) {
            if (t != Double.POSITIVE_INFINITY) {
                Tensor vtr = be.zeros(r.rows(), r.cols(), r.dtype());
                be.gemm(1, eigen.vectors(), true, r, false, 0, vtr);
                return vtr;
            }
        }
        return null;
    }

    /** Training-set predictions: y + V·diag(exp(−λ·η·t/n))·Vᵀ·r, which is y at t = ∞. */
    private Tensor trainAt(double t, Tensor vtr) {
        if (t == Double.POSITIVE_INFINITY) {
            return be.copy(y);
        }
        Tensor train = be.zeros(y.rows(), y.cols(), y.dtype());
        try (Tensor scaled = be.zeros(y.rows(), y.cols(), y.dtype()); Tensor decay = factors(t, y.cols(), true)) {
            be.hadamard(decay, vtr, scaled);
            be.gemm(1, eigen.vectors(), false, scaled, false, 0, train);
        }
        be.axpby(1, train, 1, y, train);
        return train;
    }

    /**
     * A new n_k×k tensor β_t; at t = ∞ a copy of the Cholesky solution cached in {@code alphaInf[0]} (made on
     * first use, owned by the current scope).
     */
    private Tensor weightAt(double t, Tensor r, Tensor vtr, Tensor[] alphaInf) {
        if (t == Double.POSITIVE_INFINITY) {
            if (alphaInf[0] == null) {
                requireKernel();
                Tensor a = be.zeros(r.rows(), r.cols(), r.dtype());
                if (adopted) {
                    factored = true;
                    be.choleskySolveInPlace(kernel, r, a);
                } else {
                    be.choleskySolve(kernel, r, a);
                }
                be.scale(-1, a, a);
                alphaInf[0] = a;
            }
            return be.copy(alphaInf[0]);
        }
        Tensor w = be.zeros(r.rows(), r.cols(), r.dtype());
        try (Tensor scaled = be.zeros(r.rows(), r.cols(), r.dtype()); Tensor grow = factors(t, r.cols(), false)) {
            be.hadamard(grow, vtr, scaled);
            be.gemm(-1, eigen.vectors(), false, scaled, false, 0, w);
        }
        return w;
    }
    /**
     * The n_k×k matrix whose row i repeats exp(−λ_i·η·t/n) (decay) or (1 − exp(−λ_i·η·t/n))/λ_i (growth,
     * η·t/n at λ_i = 0).
     */
    private Tensor factors(double t, int k, boolean decay) {
        int n = lambda.length;
        double[] f = new double[n * k];
        double c = learningRate / normalization;
        for (int i = 0; i < n; i++) {
            double l = lambda[i];
            double v;
            if (decay) {
                v = t == Double.POSITIVE_INFINITY ? (l > 0 ? 0 : 1) : Math.exp(-l * c * t);
            } else {
                v = l > 0 ? -Math.expm1(-l * c * t) / l : c * t;
            }
            for (int j = 0; j < k; j++) {
                f[i * k + j] = v;
            }
        }
        return be.fromHost(f, n, k, y.dtype());
    }

    private void requireKernel() {
        if (factored) {
            throw new IllegalStateException("the train-train kernel was factored in place by an earlier t = ∞ solve;"
                    + " ask a predictor that adopted its kernel for every time in one call");
        }
    }

    private static void checkShape(Tensor t, int rows, int cols, String name) {
        if (t != null && (t.rows() != rows || t.cols() != cols)) {
            throw new IllegalArgumentException(name + " is " + t.shape() + ", expected " + rows + "×" + cols);
        }
    }

    private static void checkTimes(double[] times) {
        for (double t : times) {
            if (!(t >= 0)) {
                throw new IllegalArgumentException("prediction times must be ≥ 0 (or +∞), got " + t);
            }
        }
    }

    /** Closes the decomposition and the copies this predictor holds. */
    @Override
    public void close() {
        if (eigen != null) {
            eigen.close();
        }
        kernel.close();
        y.close();
    }
}
