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
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Infinite-width duals: {@code dualMap} against the closed forms of {@link DualReference} (ReLU, leaky ReLU,
 * Erf, identity), against the API's host reference {@link ActivationDuals} for every kind, and against Monte
 * Carlo for every kind, within five standard errors.
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
        RandomData r = random(seed, dtype);
        int d = 6;
        HostMatrix x1 = r.normal(5, d);
        HostMatrix x2 = r.normal(4, d);
        for (int i = 0; i < x1.rows(); i++) {
            for (int j = 0; j < d; j++) {
                x1.set(i, j, x1.get(i, j) * scales[i]);
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
            b += Math.sqrt(8 * tol.unitRoundoff()) * (1 + f.alpha() * f.alpha()) * (kdot ? 1 : norm);
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
        HostMatrix[] expected = {HostMatrix.zeros(5, 4), HostMatrix.zeros(5, 4)};
        double[] pair = new double[2];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                ActivationDuals.dual(f, c[1].get(i, 0), c[2].get(j, 0), c[0].get(i, j), pair);
                expected[0].set(i, j, pair[0]);
                expected[1].set(i, j, pair[1]);
            }
        }
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
}
