package org.ntk4j.backend.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;

/** The host dual reference: closed forms against quadrature, the adaptive rule against independent references, and the Gauss–Hermite rule itself. */
class ActivationDualsTest {

    /** (q1, q2, ρ) points with variances up to 1: equal and unequal, positive, negative and zero correlation. */
    private static final double[][] MODERATE = {{1, 1, 0.5}, {0.3, 0.9, -0.7}, {1, 0.8, 0}, {0.1, 0.05, 0.95},
        {0.6, 0.2, -0.99}};

    /** Larger variances and perfect correlation, where the 48-point rule is visibly less accurate. */
    private static final double[][] HARD = {{2, 2, 1}, {0.5, 1.2, -1}, {1.5, 0.8, 0.3}};

    private static double[] closed(Activation f, double q1, double q2, double k) {
        double[] out = new double[2];
        ActivationDuals.closedForm(f, q1, q2, k, out);
        return out;
    }

    private static double[] quadrature(Activation f, double q1, double q2, double k, int order) {
        double[] out = new double[2];
        ActivationDuals.quadrature(f, q1, q2, k, ActivationDuals.gaussHermite(order), out);
        return out;
    }

    @Test
    @DisplayName("the Erf closed form equals 48-point Gauss–Hermite quadrature to 1e-10 for variances up to 1")
    void erfClosedFormMatchesQuadrature() {
        for (double[] p : MODERATE) {
            double k = p[2] * Math.sqrt(p[0] * p[1]);
            double[] c = closed(Activation.ERF, p[0], p[1], k);
            double[] q = quadrature(Activation.ERF, p[0], p[1], k, ActivationDuals.DEFAULT_ORDER);
            assertEquals(c[0], q[0], 1e-10, "E[erf erf] at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2]);
            assertEquals(c[1], q[1], 1e-10, "E[erf' erf'] at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2]);
        }
        // beyond, the quadrature (not the closed form) loses digits: measured 1e-6 and 2e-5 at q = 2, ρ = 1
        for (double[] p : HARD) {
            double k = p[2] * Math.sqrt(p[0] * p[1]);
            double[] c = closed(Activation.ERF, p[0], p[1], k);
            double[] q = quadrature(Activation.ERF, p[0], p[1], k, ActivationDuals.DEFAULT_ORDER);
            double[] fine = quadrature(Activation.ERF, p[0], p[1], k, ActivationDuals.MAX_ORDER);
            assertEquals(c[0], q[0], 1e-4, "E[erf erf] at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2]);
            assertEquals(c[1], q[1], 1e-4, "E[erf' erf'] at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2]);
            assertEquals(c[0], fine[0], 1e-12, "160-point E[erf erf] at q1=" + p[0] + " ρ=" + p[2]);
            assertEquals(c[1], fine[1], 1e-12, "160-point E[erf' erf'] at q1=" + p[0] + " ρ=" + p[2]);
        }
    }

    @Test
    @DisplayName("the ReLU and leaky ReLU closed forms equal 160-point quadrature loosely (the kink slows quadrature down)")
    void reluClosedFormMatchesQuadrature() {
        for (Activation f : new Activation[] {Activation.RELU, Activation.leakyRelu(0.1), Activation.leakyRelu(-0.4)}) {
            for (double[][] set : new double[][][] {MODERATE, HARD}) {
                for (double[] p : set) {
                    double k = p[2] * Math.sqrt(p[0] * p[1]);
                    double[] c = closed(f, p[0], p[1], k);
                    double[] q = quadrature(f, p[0], p[1], k, ActivationDuals.MAX_ORDER);
                    String at = f + " at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2];
                    // quadrature error measured up to 1.9e-3·√(q1·q2) for E[φφ] and 3.3e-2 for the step function E[φ'φ']
                    assertEquals(c[0], q[0], 3e-3 * Math.sqrt(p[0] * p[1]), "E[φφ] " + at);
                    assertEquals(c[1], q[1], 5e-2, "E[φ'φ'] " + at);
                }
            }
        }
    }

    @Test
    @DisplayName("the identity dual is (k, 1), and dual() uses the adaptive quadrature only for kinds without a closed form")
    void dispatch() {
        double[] out = new double[2];
        ActivationDuals.dual(Activation.IDENTITY, 2, 3, -1.25, out);
        assertEquals(-1.25, out[0]);
        assertEquals(1, out[1]);
        assertTrue(ActivationDuals.hasClosedForm(Activation.leakyRelu(0.5)));
        for (Activation f : new Activation[] {Activation.TANH, Activation.GELU, Activation.SIGMOID, Activation.SOFTPLUS}) {
            assertTrue(!ActivationDuals.hasClosedForm(f));
            ActivationDuals.dual(f, 1.1, 0.6, 0.3, out);
            double[] q = new double[2];
            ActivationDuals.quadrature(f, 1.1, 0.6, 0.3, q);
            assertEquals(q[0], out[0], 0, f.toString());
            assertEquals(q[1], out[1], 0, f.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> ActivationDuals.closedForm(Activation.TANH, 1, 1, 0, out));
    }

    /**
     * (q1, q2, k, E[φφ], E[φ'φ']) for tanh, from scipy: nested adaptive quad (conditioning v on u, both on
     * [−12, 12] in standard units, epsabs 1e-15, epsrel 1e-14); the ρ = 1 row from a one-dimensional quad.
     */
    private static final double[][] TANH_REFERENCE = {
        {3, 4, 2, 0.31209416390772216, 0.17023686989262898},
        {4, 3, 2, 0.31209416390772216, 0.17023686989262898},
        {3.5, 3.5, 1, 0.15010028629743255, 0.1529976639430685},
        {4, 4, 3.9, 0.6105461460769541, 0.2390979961738831},
        {1, 4, -1.5, -0.3497132112824468, 0.26197851783027254},
        {0.05, 0.3, 0.1, 0.07686774088439567, 0.7738379351365716},
        {10, 10, 5, 0.3063232555503036, 0.06649914941343758},
        {2, 2, 2, 0.5199757456639487, 0.34950829774660286},
        {25, 30, -20, -0.5018485573919886, 0.032026767592800015}};

    @Test
    @DisplayName("the tanh dual equals scipy's nested adaptive quadrature to 1e-11 at variances from 0.05 to 30, also at ρ = 1")
    void tanhMatchesReference() {
        double[] out = new double[2];
        for (double[] r : TANH_REFERENCE) {
            ActivationDuals.dual(Activation.TANH, r[0], r[1], r[2], out);
            String at = "tanh at q1=" + r[0] + " q2=" + r[1] + " k=" + r[2];
            assertEquals(r[3], out[0], 1e-11, "E[φφ] " + at);
            assertEquals(r[4], out[1], 1e-11, "E[φ'φ'] " + at);
        }
    }

    @Test
    @DisplayName("the Erf closed form equals the adaptive quadrature to 1e-12 at variances up to 40, also at ρ = ±1")
    void erfClosedFormMatchesAdaptiveQuadrature() {
        double[][] points = {{1, 1, 0.5}, {0.3, 0.9, -0.7}, {2, 2, 1}, {0.5, 1.2, -1}, {3, 4, 0.6}, {10, 10, 0.9},
            {40, 0.1, 0.3}, {0, 2, 0}};
        double[] q = new double[2];
        for (double[] p : points) {
            double k = p[2] * Math.sqrt(p[0] * p[1]);
            double[] c = closed(Activation.ERF, p[0], p[1], k);
            ActivationDuals.quadrature(Activation.ERF, p[0], p[1], k, q);
            String at = "erf at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2];
            assertEquals(c[0], q[0], 1e-12, "E[φφ] " + at);
            assertEquals(c[1], q[1], 1e-12, "E[φ'φ'] " + at);
        }
    }

    @Test
    @DisplayName("the quadrature duals are exactly symmetric: swapping (q1, q2) gives the same bits")
    void quadratureIsSymmetric() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        double[] a = new double[2];
        double[] b = new double[2];
        double[][] rule = ActivationDuals.gaussHermite(ActivationDuals.DEFAULT_ORDER);
        for (Activation f : new Activation[] {Activation.TANH, Activation.GELU, Activation.SIGMOID, Activation.SOFTPLUS}) {
            for (int t = 0; t < 20; t++) {
                double q1 = 4 * r.nextDouble();
                double q2 = 4 * r.nextDouble();
                double k = (2 * r.nextDouble() - 1) * Math.sqrt(q1 * q2);
                ActivationDuals.dual(f, q1, q2, k, a);
                ActivationDuals.dual(f, q2, q1, k, b);
                assertEquals(a[0], b[0], 0, f + " E[φφ] at " + q1 + ", " + q2 + ", " + k);
                assertEquals(a[1], b[1], 0, f + " E[φ'φ'] at " + q1 + ", " + q2 + ", " + k);
                ActivationDuals.quadrature(f, q1, q2, k, rule, a);
                ActivationDuals.quadrature(f, q2, q1, k, rule, b);
                assertEquals(a[0], b[0], 0, f + " Gauss-Hermite E[φφ]");
                assertEquals(a[1], b[1], 0, f + " Gauss-Hermite E[φ'φ']");
            }
        }
    }

    @Test
    @DisplayName("the adaptive quadrature of the smooth kinds agrees with 160-point Gauss–Hermite to 1e-12 for variances up to 1")
    void adaptiveMatchesGaussHermite() {
        double[] a = new double[2];
        for (Activation f : new Activation[] {Activation.TANH, Activation.GELU, Activation.SIGMOID, Activation.SOFTPLUS}) {
            for (double[] p : MODERATE) {
                double k = p[2] * Math.sqrt(p[0] * p[1]);
                ActivationDuals.quadrature(f, p[0], p[1], k, a);
                double[] b = quadrature(f, p[0], p[1], k, ActivationDuals.MAX_ORDER);
                String at = f + " at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2];
                assertEquals(b[0], a[0], 1e-12, at);
                assertEquals(b[1], a[1], 1e-12, at);
            }
        }
    }

    @Test
    @DisplayName("the 48-point quadrature of the smooth kinds agrees with 160 points to 1e-7 for variances up to 1")
    void quadratureConverges() {
        for (Activation f : new Activation[] {Activation.TANH, Activation.GELU, Activation.SIGMOID, Activation.SOFTPLUS}) {
            for (double[] p : MODERATE) {
                double k = p[2] * Math.sqrt(p[0] * p[1]);
                double[] a = quadrature(f, p[0], p[1], k, ActivationDuals.DEFAULT_ORDER);
                double[] b = quadrature(f, p[0], p[1], k, ActivationDuals.MAX_ORDER);
                String at = f + " at q1=" + p[0] + " q2=" + p[1] + " ρ=" + p[2];
                assertEquals(b[0], a[0], 1e-7, at);
                assertEquals(b[1], a[1], 1e-7, at);
            }
        }
    }

    @Test
    @DisplayName("Gauss–Hermite rules have unit mass, symmetric nodes, and the moments (2m−1)!! of N(0, 1) up to degree 2n−1")
    void gaussHermiteMoments() {
        for (int n : new int[] {1, 2, 5, 10, 20, 48, 100, ActivationDuals.MAX_ORDER}) {
            double[][] rule = ActivationDuals.gaussHermite(n);
            double[] x = rule[0];
            double[] w = rule[1];
            assertEquals(n, x.length);
            for (int i = 0; i < n; i++) {
                assertTrue(w[i] > 0, "weight " + i + " of the " + n + "-point rule is positive");
                assertEquals(-x[n - 1 - i], x[i], 1e-12, "nodes of the " + n + "-point rule are symmetric");
                if (i > 0) {
                    assertTrue(x[i] > x[i - 1], "nodes ascend");
                }
            }
            double doubleFactorial = 1; // (2m − 1)!!
            for (int degree = 0; degree < 2 * n && degree <= 30; degree++) {
                double moment = 0;
                for (int i = 0; i < n; i++) {
                    moment += w[i] * Math.pow(x[i], degree);
                }
                double expected = degree % 2 == 1 ? 0 : doubleFactorial;
                assertEquals(expected, moment, 1e-11 * Math.max(1, doubleFactorial),
                        "E[z^" + degree + "] by the " + n + "-point rule");
                if (degree % 2 == 0) {
                    doubleFactorial *= degree + 1;
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ActivationDuals.gaussHermite(0));
        assertThrows(IllegalArgumentException.class, () -> ActivationDuals.gaussHermite(ActivationDuals.MAX_ORDER + 1));
    }
}
