package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Infinite-width duals: {@code dualMap} against the closed forms of {@link DualReference} (ReLU, leaky ReLU,
 * Erf, identity), against the API's host reference {@link ActivationDuals} for every kind, and against Monte
 * Carlo for every kind, within five standard errors; and {@code dualLayer}, the dual fused with the dense layer after
 * it, against the same references put through the layer's formula, on small kernels and on one large enough to be
 * split over threads.
 *
 * <p>Near perfect correlation (|ρ| → 1) the arcsine and arccosine forms lose about √u of accuracy to the
 * rounding of ρ itself, whatever the implementation; there the bound gains a term √(8u)·(1 + α²)·√(q1·q2)
 * (and √(8u)·(1 + α²) for the derivative dual).
 */
public abstract class DualConformance extends ConformanceGroup {

    /** For subclasses. */
    protected DualConformance() {
    }

    /** Draws per Monte Carlo estimate; the standard error is then about 0.6% of the spread of φ(u)φ(v). */
    static final int SAMPLES = 30_000;
    /** Monte Carlo agreement is asked within this many estimated standard errors. */
    static final double STANDARD_ERRORS = 5;

    /** Row scales for the closed forms: variances from about 0.003 to 30. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("the generic path ActivationPaths.hostDualMap matches the host reference ActivationDuals on this backend's tensors")
    void genericPath(DType dtype, Activation f) {
        HostMatrix[] c = covariances(dtype, 53, DualReference.hasClosedForm(f) ? WIDE : MODERATE);
        HostMatrix[] expected = hostDuals(f, c);
        Tensor k = tensor(c[0], dtype);
        Tensor outK = tensor(filled(5, 4, Double.NaN), dtype);
        Tensor outKdot = tensor(filled(5, 4, Double.NaN), dtype);
        ActivationPaths.hostDualMap(backend, f, k, tensor(c[1], dtype), tensor(c[2], dtype), outK, outKdot);
        Approx.assertExact("hostDualMap leaves k12 unchanged", c[0], host(k));
        compare("hostDualMap " + f + " vs ActivationDuals", f, c, expected,
                new HostMatrix[] {host(outK), host(outKdot)}, Tolerance.of(dtype));
    }

    private static final double[] WIDE = {0.3, 1, 2.5, 0.05, 4};
    /**
     * Row scales for the quadrature kinds: variances up to about 1.5, where a backend's own rule must agree with
     * the host reference's trapezoidal rule (below 1e-11 absolute error at any variance up to 45) within
     * {@link Tolerance#quadratureRel()} and {@link Tolerance#quadratureAbs()}.
     */
    private static final double[] MODERATE = {0.3, 0.8, 0.6, 0.05, 0.45};

    Stream<Arguments> dtypesAndActivations() {
        return dtypes().flatMap(d -> ActivationConformance.ACTIVATIONS.stream().map(f -> Arguments.of(d, f)));
    }

    Stream<Arguments> dtypesAndClosedForms() {
        return dtypes().flatMap(d -> ActivationConformance.ACTIVATIONS.stream()
                .filter(DualReference::hasClosedForm).map(f -> Arguments.of(d, f)));
    }

    /**
     * Covariances of two sets of random inputs, the rows of X1 scaled by {@code scales}: k12 = X1·X2ᵀ/d,
     * q = row sums of squares / d. Row 0 of X2 is row 1 of X1 (ρ = 1) and row 1 of X2 is minus row 2 of X1 (ρ = −1).
     *
     * @return {k12, q1, q2}, rounded to the dtype
     */
    private HostMatrix[] covariances(DType dtype, long seed, double[] scales) {
        return covariances(dtype, seed, 5, 4, scales);
    }

    /**
     * Like {@link #covariances(DType, long, double[])} for n1×n2 inputs, the rows of X1 scaled by the scales in
     * turn; n1 ≥ 3, n2 ≥ 2.
     */
    private HostMatrix[] covariances(DType dtype, long seed, int n1, int n2, double[] scales) {
        RandomData r = random(seed, dtype);
        int d = 6;
        HostMatrix x1 = r.normal(n1, d);
        HostMatrix x2 = r.normal(n2, d);
        for (int i = 0; i < x1.rows(); i++) {
            for (int j = 0; j < d; j++) {
                x1.set(i, j, x1.get(i, j) * scales[i % scales.length]);
            }
        }
        for (int j = 0; j < d; j++) {
            x2.set(0, j, x1.get(1, j));
            x2.set(1, j, -x1.get(2, j));
        }
        HostMatrix k = Reference.gemm(1.0 / d, x1, false, x2, true, 0, null);
        HostMatrix q1 = Reference.affine(1.0 / d, Reference.rowSumsOfSquares(x1), 0);
        HostMatrix q2 = Reference.affine(1.0 / d, Reference.rowSumsOfSquares(x2), 0);
        for (HostMatrix m : new HostMatrix[] {k, q1, q2}) {
            for (int i = 0; i < m.data().length; i++) {
                m.data()[i] = r.round(m.data()[i]);
            }
        }
        return new HostMatrix[] {k, q1, q2};
    }

    /** Runs dualMap and returns {outK, outKdot} on the host. */
    private HostMatrix[] run(Activation f, HostMatrix[] c, DType dtype) {
        Tensor k = tensor(c[0], dtype);
        Tensor outK = tensor(filled(c[0].rows(), c[0].cols(), Double.NaN), dtype);
        Tensor outKdot = tensor(filled(c[0].rows(), c[0].cols(), Double.NaN), dtype);
        backend.dualMap(f, k, tensor(c[1], dtype), tensor(c[2], dtype), outK, outKdot);
        Approx.assertExact("dualMap leaves k12 unchanged", c[0], host(k));
        return new HostMatrix[] {host(outK), host(outKdot)};
    }

    /** The bound for element i: relative + absolute, plus the √u term near |ρ| = 1. */
    private static double bound(Activation f, HostMatrix[] c, int i, double ref, boolean kdot, Tolerance tol) {
        int row = i / c[0].cols();
        int col = i % c[0].cols();
        double norm = Math.sqrt(c[1].data()[row] * c[2].data()[col]);
        double b = tol.dualRel() * Math.abs(ref) + tol.dualAbs();
        if (norm > 0 && 1 - Math.abs(c[0].data()[i] / norm) < 1e-6) {
            double alpha = f instanceof Activation.Builtin builtin ? builtin.alpha() : 0;
            b += Math.sqrt(8 * tol.unitRoundoff()) * (1 + alpha * alpha) * (kdot ? 1 : norm);
        }
        return b;
    }

    private static void compare(String what, Activation f, HostMatrix[] c, HostMatrix[] expected, HostMatrix[] got,
                                Tolerance tol) {
        Approx.assertWithin(what + " K", expected[0], got[0], i -> bound(f, c, i, expected[0].data()[i], false, tol));
        Approx.assertWithin(what + " Kdot", expected[1], got[1],
                i -> bound(f, c, i, expected[1].data()[i], true, tol));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndClosedForms")
    @DisplayName("dualMap matches the closed forms for identity, ReLU, leaky ReLU and Erf, also at ρ = ±1")
    void closedForms(DType dtype, Activation f) {
        HostMatrix[] c = covariances(dtype, 51, WIDE);
        HostMatrix[] expected = {HostMatrix.zeros(5, 4), HostMatrix.zeros(5, 4)};
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                double[] e = DualReference.closedForm(f, c[1].get(i, 0), c[2].get(j, 0), c[0].get(i, j));
                expected[0].set(i, j, e[0]);
                expected[1].set(i, j, e[1]);
            }
        }
        compare("dualMap " + f + " vs closed form", f, c, expected, run(f, c, dtype), Tolerance.of(dtype));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("dualMap matches the host reference ActivationDuals for every kind (quadrature kinds at moderate variances)")
    void hostReference(DType dtype, Activation f) {
        boolean closed = DualReference.hasClosedForm(f);
        HostMatrix[] c = covariances(dtype, 52, closed ? WIDE : MODERATE);
        HostMatrix[] expected = hostDuals(f, c);
        Tolerance tol = Tolerance.of(dtype);
        if (!closed) {
            // the same rule on a device, or another accurate rule, is allowed: hold it to the quadrature bounds
            tol = new Tolerance(tol.unitRoundoff(), tol.functionRel(), tol.functionAbs(), tol.finiteDifference(),
                    tol.quadratureRel(), tol.quadratureAbs(), tol.quadratureRel(), tol.quadratureAbs());
        }
        compare("dualMap " + f + " vs ActivationDuals", f, c, expected, run(f, c, dtype), tol);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("dualMap agrees with Monte Carlo within five standard errors for every kind")
    void monteCarlo(DType dtype, Activation f) {
        RandomData r = random(53, dtype);
        // ρ = 0.3, −0.6, 0.9 / −0.2, 0.75, 1 between variances {0.5, 2} and {1, 0.3, 2}
        double[] q1 = {r.round(0.5), r.round(2)};
        double[] q2 = {r.round(1), r.round(0.3), r.round(2)};
        double[][] rho = {{0.3, -0.6, 0.9}, {-0.2, 0.75, 1}};
        HostMatrix k = HostMatrix.zeros(2, 3);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                k.set(i, j, r.round(rho[i][j] * Math.sqrt(q1[i] * q2[j])));
            }
        }
        HostMatrix[] c = {k, new HostMatrix(2, 1, q1), new HostMatrix(3, 1, q2)};
        HostMatrix[] got = run(f, c, dtype);
        Tolerance tol = Tolerance.of(dtype);
        SplittableRandom source = new SplittableRandom(54);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double kij = Math.min(k.get(i, j), Math.sqrt(q1[i] * q2[j]));
                double[] mc = DualReference.monteCarlo(f, q1[i], q2[j], kij, SAMPLES, source);
                for (int which = 0; which < 2; which++) {
                    double value = got[which].get(i, j);
                    double mean = mc[2 * which];
                    double allowed = STANDARD_ERRORS * mc[2 * which + 1] + tol.dualRel() * Math.abs(mean)
                            + tol.dualAbs() + 1e-12;
                    assertTrue(Math.abs(value - mean) <= allowed, "dualMap " + f + (which == 0 ? " K" : " Kdot")
                            + " at q1=" + q1[i] + " q2=" + q2[j] + " k=" + kij + " is " + value + ", Monte Carlo "
                            + mean + " ± " + mc[2 * which + 1] + " (" + SAMPLES + " draws), allowed " + allowed);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("dualMap stays finite where a variance is zero, and rejects outputs that alias each other or an input")
    void edgesAndAliasing(DType dtype) {
        HostMatrix[] c = {new HostMatrix(2, 2, new double[] {0, 0, 0, 0.5}), new HostMatrix(2, 1, new double[] {0, 1}),
            new HostMatrix(2, 1, new double[] {1, 0.5})};
        for (Activation f : ActivationConformance.ACTIVATIONS) {
            HostMatrix[] got = run(f, c, dtype);
            for (HostMatrix m : got) {
                for (double v : m.data()) {
                    assertTrue(Double.isFinite(v), "dualMap " + f + " with a zero variance gave " + v);
                }
            }
            // u ≡ 0, so E[φ(u)φ(v)] = φ(0)·E[φ(v)], v ~ N(0, 1): a one-dimensional expectation
            double[][] rule = ActivationDuals.gaussHermite(80);
            double mean = 0;
            for (int n = 0; n < rule[0].length; n++) {
                mean += rule[1][n] * f.apply(rule[0][n]);
            }
            double expected = f.apply(0) * mean;
            Tolerance tol = Tolerance.of(dtype);
            double allowed = Math.max(tol.dualRel(), 1e-8) * Math.abs(expected) + tol.dualAbs();
            assertTrue(Math.abs(got[0].get(0, 0) - expected) <= allowed, "dualMap " + f + " K with q1 = 0 is "
                    + got[0].get(0, 0) + ", expected φ(0)·E[φ(v)] = " + expected + " within " + allowed);
        }
        Tensor k = tensor(c[0], dtype);
        Tensor q = tensor(c[1], dtype);
        Tensor out = backend.zeros(2, 2, dtype);
        Tensor out2 = backend.zeros(2, 2, dtype);
        assertThrows(IllegalArgumentException.class, () -> backend.dualMap(Activation.RELU, k, q, q, out, out));
        assertThrows(IllegalArgumentException.class, () -> backend.dualMap(Activation.RELU, k, q, q, k, out2));
        assertThrows(IllegalArgumentException.class, () -> backend.dualMap(Activation.RELU, k, q, q, out, k));
        assertIllegalArgument(() -> backend.dualMap(Activation.RELU, k, backend.zeros(3, 1, dtype), q, out, out2),
                "3×1");
    }

    // ------------------------------------------------------------------------------------------- dualLayer

    /** σ_w² and σ_b² of the dense layer in the dualLayer tests. */
    private static final double WEIGHT_VARIANCE = 2;
    private static final double BIAS_VARIANCE = 0.01;

    /**
     * Runs dualLayer on covariances c with a given NTK so far and returns {sigma, theta} on the host; checks that
     * q1 and q2 are left unchanged.
     */
    private HostMatrix[] runLayer(Activation f, HostMatrix[] c, HostMatrix theta0, DType dtype) {
        Tensor sigma = tensor(c[0], dtype);
        Tensor q1 = tensor(c[1], dtype);
        Tensor q2 = tensor(c[2], dtype);
        Tensor theta = tensor(theta0, dtype);
        backend.dualLayer(f, sigma, q1, q2, WEIGHT_VARIANCE, BIAS_VARIANCE, theta);
        Approx.assertExact("dualLayer leaves q1 unchanged", c[1], host(q1));
        Approx.assertExact("dualLayer leaves q2 unchanged", c[2], host(q2));
        return new HostMatrix[] {host(sigma), host(theta)};
    }

    /** An NTK so far: positive values of the size of the covariances, rounded to the dtype. */
    private static HostMatrix previousNtk(HostMatrix k, DType dtype, long seed) {
        RandomData r = random(seed, dtype);
        HostMatrix t = HostMatrix.zeros(k.rows(), k.cols());
        HostMatrix u = r.uniform(k.rows(), k.cols(), 0, 1);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = r.round(Math.abs(k.data()[i]) + 0.5 + u.data()[i]);
        }
        return t;
    }

    /**
     * Checks dualLayer's {sigma, theta} against duals {E[φφ], E[φ'φ']} from a reference: sigma = w·E + b,
     * theta = sigma + w·θ₀·E', each within the dual bounds scaled through the formula plus the rounding of the
     * formula itself.
     */
    private static void compareLayer(String what, Activation f, HostMatrix[] c, HostMatrix theta0, HostMatrix[] duals,
                                     HostMatrix[] got, Tolerance tol) {
        int n = c[0].data().length;
        HostMatrix expSigma = HostMatrix.zeros(c[0].rows(), c[0].cols());
        HostMatrix expTheta = HostMatrix.zeros(c[0].rows(), c[0].cols());
        double[] sigmaBound = new double[n];
        double[] thetaBound = new double[n];
        double w = WEIGHT_VARIANCE;
        for (int i = 0; i < n; i++) {
            double e = duals[0].data()[i];
            double ed = duals[1].data()[i];
            double t0 = theta0.data()[i];
            double sigma = w * e + BIAS_VARIANCE;
            double grown = w * (t0 * ed);
            expSigma.data()[i] = sigma;
            expTheta.data()[i] = sigma + grown;
            sigmaBound[i] = w * bound(f, c, i, e, false, tol) + tol.rounding(2, w * Math.abs(e) + BIAS_VARIANCE);
            thetaBound[i] = sigmaBound[i] + w * Math.abs(t0) * bound(f, c, i, ed, true, tol)
                    + tol.rounding(3, Math.abs(sigma) + Math.abs(grown));
        }
        Approx.assertWithin(what + " sigma", expSigma, got[0], i -> sigmaBound[i]);
        Approx.assertWithin(what + " theta", expTheta, got[1], i -> thetaBound[i]);
    }

    /** The duals of the closed forms of {@link DualReference}, element by element. */
    private static HostMatrix[] closedFormDuals(Activation f, HostMatrix[] c) {
        HostMatrix[] d = {HostMatrix.zeros(c[0].rows(), c[0].cols()), HostMatrix.zeros(c[0].rows(), c[0].cols())};
        for (int i = 0; i < c[0].rows(); i++) {
            for (int j = 0; j < c[0].cols(); j++) {
                double[] e = DualReference.closedForm(f, c[1].get(i, 0), c[2].get(j, 0), c[0].get(i, j));
                d[0].set(i, j, e[0]);
                d[1].set(i, j, e[1]);
            }
        }
        return d;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndClosedForms")
    @DisplayName("dualLayer is the dense layer after the closed-form duals: sigma = w·E[φφ] + b, theta = sigma + w·theta⊙E[φ'φ']")
    void layerClosedForms(DType dtype, Activation f) {
        HostMatrix[] c = covariances(dtype, 61, WIDE);
        HostMatrix theta0 = previousNtk(c[0], dtype, 62);
        compareLayer("dualLayer " + f + " vs closed form", f, c, theta0, closedFormDuals(f, c),
                runLayer(f, c, theta0, dtype), Tolerance.of(dtype));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("dualLayer matches the host reference ActivationDuals for every kind")
    void layerHostReference(DType dtype, Activation f) {
        boolean closed = DualReference.hasClosedForm(f);
        HostMatrix[] c = covariances(dtype, 63, closed ? WIDE : MODERATE);
        HostMatrix theta0 = previousNtk(c[0], dtype, 64);
        HostMatrix[] duals = hostDuals(f, c);
        Tolerance tol = Tolerance.of(dtype);
        if (!closed) {
            tol = new Tolerance(tol.unitRoundoff(), tol.functionRel(), tol.functionAbs(), tol.finiteDifference(),
                    tol.quadratureRel(), tol.quadratureAbs(), tol.quadratureRel(), tol.quadratureAbs());
        }
        compareLayer("dualLayer " + f + " vs ActivationDuals", f, c, theta0, duals, runLayer(f, c, theta0, dtype),
                tol);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndClosedForms")
    @DisplayName("dualLayer is right on every element of a kernel large enough to be split over threads (130×520)")
    void layerLarge(DType dtype, Activation f) {
        HostMatrix[] c = covariances(dtype, 65, 130, 520, WIDE);
        HostMatrix theta0 = previousNtk(c[0], dtype, 66);
        compareLayer("dualLayer " + f + " 130×520 vs closed form", f, c, theta0, closedFormDuals(f, c),
                runLayer(f, c, theta0, dtype), Tolerance.of(dtype));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("dualMap is right on every element of a kernel large enough to be split over threads (130×520)")
    void dualMapLarge(DType dtype) {
        HostMatrix[] c = covariances(dtype, 67, 130, 520, WIDE);
        compare("dualMap relu 130×520 vs closed form", Activation.RELU, c, closedFormDuals(Activation.RELU, c),
                run(Activation.RELU, c, dtype), Tolerance.of(dtype));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("dualLayer rejects sigma and theta in one tensor, and wrong shapes")
    void layerAliasingAndShapes(DType dtype) {
        Tensor k = backend.zeros(2, 3, dtype);
        Tensor t = backend.zeros(2, 3, dtype);
        Tensor q1 = backend.zeros(2, 1, dtype);
        Tensor q2 = backend.zeros(3, 1, dtype);
        Activation f = Activation.RELU;
        assertThrows(IllegalArgumentException.class, () -> backend.dualLayer(f, k, q1, q2, 2, 0, k));
        assertIllegalArgument(() -> backend.dualLayer(f, k, q2, q2, 2, 0, t), "3×1");
        assertIllegalArgument(() -> backend.dualLayer(f, k, q1, q2, 2, 0, backend.zeros(3, 2, dtype)), "3×2");
    }

    /** {E[φφ], E[φ'φ']} of the 5×4 covariances c[0] with variances c[1] (rows) and c[2] (columns), on the host. */
    private static HostMatrix[] hostDuals(Activation f, HostMatrix[] c) {
        HostMatrix[] out = {HostMatrix.zeros(5, 4), HostMatrix.zeros(5, 4)};
        double[] pair = new double[2];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                ActivationDuals.dual(f, c[1].get(i, 0), c[2].get(j, 0), c[0].get(i, j), pair);
                out[0].set(i, j, pair[0]);
                out[1].set(i, j, pair[1]);
            }
        }
        return out;
    }
}
