package org.ntk4j.backend;

import java.util.stream.IntStream;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.backend.spi.DualRows;
import org.ntk4j.tensor.Tensor;

/**
 * Runs an activation on a backend: on the backend's own path when it {@linkplain Backend#accelerates accelerates}
 * the activation, else on the generic elementwise path, which copies the tensors to the host, evaluates
 * {@link Activation#apply}, {@link Activation#derivative} or the dual ({@link ActivationDuals#dual}: the closed
 * form when the activation has one, quadrature otherwise) there, and copies the results back. The models, the
 * empirical NTK and the analytic kernels call activations through this class only, so any {@link Activation}
 * works on any backend.
 *
 * <p>The generic methods ({@code host…}) follow the contracts of the {@link Backend} methods they stand for,
 * argument checks and aliasing included; a backend may call them for activations it does not accelerate.
 */
public final class ActivationPaths {

    /** Above this many elements the host loops run in parallel. */
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    private ActivationPaths() {
    }

    /**
     * out ← φ(x), as {@link Backend#map}.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    public static void map(Backend be, Activation f, Tensor x, Tensor out) {
        if (be.accelerates(f)) {
            be.map(f, x, out);
        } else {
            hostMap(be, f, x, out);
        }
    }

    /**
     * out ← φ'(x), as {@link Backend#mapDerivative}.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    public static void mapDerivative(Backend be, Activation f, Tensor x, Tensor out) {
        if (be.accelerates(f)) {
            be.mapDerivative(f, x, out);
        } else {
            hostMapDerivative(be, f, x, out);
        }
    }

    /**
     * The infinite-width dual, as {@link Backend#dualMap}.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param k12 an n1×n2 tensor of covariances (not modified)
     * @param q1 an n1×1 tensor of variances, ≥ 0 (not modified)
     * @param q2 an n2×1 tensor of variances, ≥ 0 (not modified)
     * @param outK an n1×n2 tensor, modified: E[φ(u)φ(v)]
     * @param outKdot an n1×n2 tensor, modified: E[φ'(u)φ'(v)]
     */
    public static void dualMap(Backend be, Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK,
                               Tensor outKdot) {
        if (be.accelerates(f)) {
            be.dualMap(f, k12, q1, q2, outK, outKdot);
        } else {
            hostDualMap(be, f, k12, q1, q2, outK, outKdot);
        }
    }

    /**
     * One layer of the analytic kernel recursion, as {@link Backend#dualLayer}.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param sigma an n1×n2 tensor of covariances, modified: the next layer's NNGP
     * @param q1 an n1×1 tensor of variances, ≥ 0 (not modified)
     * @param q2 an n2×1 tensor of variances, ≥ 0 (not modified)
     * @param weightVariance σ_w² of the dense layer
     * @param biasVariance σ_b² of the dense layer
     * @param theta an n1×n2 tensor, the NTK so far, modified: the next layer's NTK
     */
    public static void dualLayer(Backend be, Activation f, Tensor sigma, Tensor q1, Tensor q2, double weightVariance,
                                 double biasVariance, Tensor theta) {
        if (be.accelerates(f)) {
            be.dualLayer(f, sigma, q1, q2, weightVariance, biasVariance, theta);
        } else {
            hostDualLayer(be, f, sigma, q1, q2, weightVariance, biasVariance, theta);
        }
    }

    /**
     * The generic path of {@link #map}: out ← φ(x) computed on the host.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    public static void hostMap(Backend be, Activation f, Tensor x, Tensor out) {
        hostElementwise(be, "map", f::apply, x, out);
    }

    /**
     * The generic path of {@link #mapDerivative}: out ← φ'(x) computed on the host.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    public static void hostMapDerivative(Backend be, Activation f, Tensor x, Tensor out) {
        hostElementwise(be, "mapDerivative", f::derivative, x, out);
    }

    /** out ← g(x) elementwise on the host, for the primitive named op. */
    private static void hostElementwise(Backend be, String op, java.util.function.DoubleUnaryOperator g, Tensor x,
            Tensor out) {
        Checks.requireSameDType(op, x, out);
        Checks.requireSameShape(op, x, out);
        double[] v = be.toHost(x);
        forEach(v.length, i -> v[i] = g.applyAsDouble(v[i]));
        write(be, v, out);
    }

    /**
     * The generic path of {@link #dualMap}, computed on the host by {@link DualRows#dual}, row by row.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param k12 an n1×n2 tensor of covariances (not modified)
     * @param q1 an n1×1 tensor of variances, ≥ 0 (not modified)
     * @param q2 an n2×1 tensor of variances, ≥ 0 (not modified)
     * @param outK an n1×n2 tensor, modified
     * @param outKdot an n1×n2 tensor, modified
     */
    public static void hostDualMap(Backend be, Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK,
                                   Tensor outKdot) {
        Checks.requireSameDType("dualMap", k12, q1, q2, outK, outKdot);
        Checks.requireDualMapArguments(k12, q1, q2, outK, outKdot);
        double[] k = be.toHost(k12);
        double[] h1 = be.toHost(q1);
        double[] h2 = be.toHost(q2);
        double[] ok = new double[k.length];
        double[] okd = new double[k.length];
        int cols = k12.cols();
        rows(f, k12.rows(), cols).forEach(i -> DualRows.dual(f, h1[i], h2, k, i * cols, ok, i * cols, okd, i * cols,
                cols));
        write(be, ok, outK);
        write(be, okd, outKdot);
    }

    /**
     * The generic path of {@link #dualLayer}, computed on the host by {@link DualRows#layer}, row by row.
     *
     * @param be the backend that owns the tensors
     * @param f the activation
     * @param sigma an n1×n2 tensor of covariances, modified: the next layer's NNGP
     * @param q1 an n1×1 tensor of variances, ≥ 0 (not modified)
     * @param q2 an n2×1 tensor of variances, ≥ 0 (not modified)
     * @param weightVariance σ_w² of the dense layer
     * @param biasVariance σ_b² of the dense layer
     * @param theta an n1×n2 tensor, the NTK so far, modified: the next layer's NTK
     */
    public static void hostDualLayer(Backend be, Activation f, Tensor sigma, Tensor q1, Tensor q2,
                                     double weightVariance, double biasVariance, Tensor theta) {
        Checks.requireSameDType("dualLayer", sigma, q1, q2, theta);
        Checks.requireDualLayerArguments(sigma, q1, q2, theta);
        double[] s = be.toHost(sigma);
        double[] t = be.toHost(theta);
        double[] h1 = be.toHost(q1);
        double[] h2 = be.toHost(q2);
        int cols = sigma.cols();
        rows(f, sigma.rows(), cols).forEach(i -> DualRows.layer(f, h1[i], h2, s, i * cols, t, i * cols, cols,
                weightVariance, biasVariance));
        write(be, s, sigma);
        write(be, t, theta);
    }

    /** out ← values, through a temporary: 1·t + 0 keeps every value but the sign of a zero. */
    private static void write(Backend be, double[] values, Tensor out) {
        try (Tensor t = be.fromHost(values, out.rows(), out.cols(), out.dtype())) {
            be.affine(1, t, 0, out);
        }
    }

    private static void forEach(int n, java.util.function.IntConsumer body) {
        IntStream range = IntStream.range(0, n);
        (n >= PARALLEL_ELEMENTS ? range.parallel() : range).forEach(body);
    }

    /** The rows of a dual, in parallel when it is integrated by quadrature or large. */
    private static IntStream rows(Activation f, int rows, int cols) {
        IntStream range = IntStream.range(0, rows);
        return !ActivationDuals.hasClosedForm(f) || (long) rows * cols >= PARALLEL_ELEMENTS ? range.parallel() : range;
    }
}
