package org.ntk4j.backend.spi;

import org.ntk4j.backend.Activation;

/**
 * The host reference for {@code Backend.dualMap}: for a centred Gaussian pair (u, v) with variances q1, q2
 * and covariance k, the expectations E[φ(u)φ(v)] and E[φ'(u)φ'(v)].
 *
 * <p>IDENTITY, RELU, LEAKY_RELU and ERF have closed forms (Cho &amp; Saul 2009; Williams 1997; the
 * ABReLU form of neural-tangents for the leaky ReLU). TANH, GELU, SIGMOID and SOFTPLUS use a tensor-product
 * Gauss–Hermite rule of {@value #DEFAULT_ORDER} points per axis on the Cholesky factor of the covariance,
 * exact for polynomials of degree &lt; 2·order in each variable.
 */
public final class ActivationDuals {

    /** The number of Gauss–Hermite points per axis used by {@link #dual}. */
    public static final int DEFAULT_ORDER = 48;

    /**
     * The largest order {@link #gaussHermite} computes. Beyond about 198 points the Newton iteration from the
     * asymptotic initial guesses no longer finds the nodes (the weights then sum to almost nothing).
     */
    public static final int MAX_ORDER = 160;

    private static final double[][] DEFAULT_RULE = gaussHermite(DEFAULT_ORDER);

    private ActivationDuals() {
    }

    /**
     * @param f the activation
     * @return whether {@link #closedForm} handles it
     */
    public static boolean hasClosedForm(Activation f) {
        switch (f.kind()) {
            case IDENTITY:
            case RELU:
            case LEAKY_RELU:
            case ERF:
                return true;
            default:
                return false;
        }
    }

    /**
     * The dual by closed form where there is one, else by quadrature of {@value #DEFAULT_ORDER} points.
     *
     * @param f the activation
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     */
    public static void dual(Activation f, double q1, double q2, double k, double[] out) {
        if (hasClosedForm(f)) {
            closedForm(f, q1, q2, k, out);
        } else {
            quadrature(f, q1, q2, k, DEFAULT_RULE, out);
        }
    }

    /**
     * @param f IDENTITY, RELU, LEAKY_RELU or ERF
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     * @throws IllegalArgumentException for an activation without a closed form
     */
    public static void closedForm(Activation f, double q1, double q2, double k, double[] out) {
        switch (f.kind()) {
            case IDENTITY:
                out[0] = k;
                out[1] = 1;
                return;
            case RELU:
                abRelu(0, 1, q1, q2, k, out);
                return;
            case LEAKY_RELU:
                abRelu(f.alpha(), 1, q1, q2, k, out);
                return;
            case ERF: {
                double d1 = 1 + 2 * q1;
                double d2 = 1 + 2 * q2;
                double s = clamp(2 * k / Math.sqrt(d1 * d2));
                out[0] = 2 / Math.PI * Math.asin(s);
                out[1] = 4 / Math.PI / Math.sqrt(Math.max(d1 * d2 - 4 * k * k, Double.MIN_NORMAL));
                return;
            }
            default:
                throw new IllegalArgumentException("no closed-form dual for " + f);
        }
    }

    /**
     * φ(x) = a·x for x &lt; 0 and b·x for x &gt; 0: E[φφ] = a·b·k + (b − a)²·J₁ and
     * E[φ'φ'] = a·b + (b − a)²·(π − θ)/(2π), with J₁ = √(q1·q2)/(2π)·(sin θ + (π − θ)·cos θ),
     * θ = arccos(k/√(q1·q2)).
     */
    private static void abRelu(double a, double b, double q1, double q2, double k, double[] out) {
        double norm = Math.sqrt(q1 * q2);
        double j1;
        double j0;
        if (norm == 0) {
            j1 = 0;
            j0 = 0.25; // a zero-variance side is independent of the other: θ = π/2
        } else {
            double theta = Math.acos(clamp(k / norm));
            j1 = norm / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta));
            j0 = (Math.PI - theta) / (2 * Math.PI);
        }
        double d = (b - a) * (b - a);
        out[0] = a * b * k + d * j1;
        out[1] = a * b + d * j0;
    }

    /**
     * The dual by tensor-product Gauss–Hermite quadrature: u = √q1·z1, v = (k/√q1)·z1 + √(q2 − k²/q1)·z2
     * with z1, z2 independent standard normals.
     *
     * @param f any activation
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param rule nodes and weights from {@link #gaussHermite(int)} (not modified)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     */
    public static void quadrature(Activation f, double q1, double q2, double k, double[][] rule, double[] out) {
        double[] x = rule[0];
        double[] w = rule[1];
        int n = x.length;
        double s1 = Math.sqrt(Math.max(q1, 0));
        double c = s1 > 0 ? k / s1 : 0;
        double s2 = Math.sqrt(Math.max(q2 - c * c, 0));
        double sumK = 0;
        double sumKdot = 0;
        double[] fv = new double[n];
        double[] dv = new double[n];
        for (int i = 0; i < n; i++) {
            double u = s1 * x[i];
            double fu = f.apply(u);
            double du = f.derivative(u);
            double shift = c * x[i];
            for (int j = 0; j < n; j++) {
                double v = shift + s2 * x[j];
                fv[j] = f.apply(v);
                dv[j] = f.derivative(v);
            }
            double innerK = 0;
            double innerKdot = 0;
            for (int j = 0; j < n; j++) {
                innerK += w[j] * fv[j];
                innerKdot += w[j] * dv[j];
            }
            sumK += w[i] * fu * innerK;
            sumKdot += w[i] * du * innerKdot;
        }
        out[0] = sumK;
        out[1] = sumKdot;
    }

    /**
     * Gauss–Hermite nodes and weights for the standard normal: E[g(z)] ≈ Σ w_i·g(x_i), Σ w_i = 1. Nodes by
     * Newton's method on the orthonormal Hermite recurrence.
     *
     * @param order the number of points, 1 to {@value #MAX_ORDER}
     * @return {nodes, weights}, nodes ascending
     */
    public static double[][] gaussHermite(int order) {
        if (order < 1 || order > MAX_ORDER) {
            throw new IllegalArgumentException("Gauss-Hermite order must be in 1.." + MAX_ORDER + ", got " + order);
        }
        int n = order;
        double[] x = new double[n];
        double[] w = new double[n];
        int m = (n + 1) / 2;
        double z = 0;
        double pim4 = Math.pow(Math.PI, -0.25);
        for (int i = 0; i < m; i++) {
            if (i == 0) {
                z = Math.sqrt(2.0 * n + 1) - 1.85575 * Math.pow(2.0 * n + 1, -1.0 / 6);
            } else if (i == 1) {
                z -= 1.14 * Math.pow(n, 0.426) / z;
            } else if (i == 2) {
                z = 1.86 * z - 0.86 * x[n - 1];
            } else if (i == 3) {
                z = 1.91 * z - 0.91 * x[n - 2];
            } else {
                z = 2.0 * z - x[n - i + 1];
            }
            double pp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p1 = pim4;
                double p2 = 0;
                for (int j = 1; j <= n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.sqrt(2.0 / j) * p2 - Math.sqrt((j - 1.0) / j) * p3;
                }
                pp = Math.sqrt(2.0 * n) * p2;
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) {
                    break;
                }
            }
            // physicists' node z, weight 2/pp²; for N(0,1): node √2·z, weight divided by √π
            x[n - 1 - i] = z;
            x[i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        double sqrtPi = Math.sqrt(Math.PI);
        for (int i = 0; i < n; i++) {
            x[i] *= Math.sqrt(2);
            w[i] /= sqrtPi;
        }
        return new double[][] {x, w};
    }

    private static double clamp(double c) {
        return Math.max(-1, Math.min(1, c));
    }
}
