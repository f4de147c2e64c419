package org.ntk4j.backend.spi;

import java.util.Optional;
import org.ntk4j.backend.Activation;

/**
 * The host reference for {@code Backend.dualMap}: for a centred Gaussian pair (u, v) with variances q1, q2
 * and covariance k, the expectations E[φ(u)φ(v)] and E[φ'(u)φ'(v)].
 *
 * <p>IDENTITY, RELU, LEAKY_RELU and ERF have closed forms (Cho &amp; Saul 2009; Williams 1997; the
 * ABReLU form of neural-tangents for the leaky ReLU), and so does any activation with a
 * {@linkplain Activation#dual() dual}. TANH, GELU, SIGMOID, SOFTPLUS and the other activations use a tensor-product
 * trapezoidal rule on the Cholesky factor of the covariance, its step chosen from the variances (see
 * {@link #quadrature(Activation, double, double, double, double[])}): below 1e-11 absolute error for any
 * variance up to {@value #MAX_POINTS_VARIANCE}, and exactly symmetric in (u, v).
 */
public final class ActivationDuals {

    /**
     * A Gauss–Hermite order for {@link #gaussHermite} that is accurate to about 1e-6 at variances up to 1.5:
     * enough for F32 results (the conformance kit allows 2e-3 relative plus 2e-4 absolute), not for F64, where
     * the kit allows 1e-10 relative plus 1e-10 absolute of {@link #dual} for the kinds without a closed form.
     * An F64 rule uses {@link #quadrature(Activation, double, double, double, double[])} instead; {@link #dual}
     * does not use this order.
     */
    public static final int DEFAULT_ORDER = 48;

    /**
     * The largest number of trapezoid points per axis {@link #quadrature(Activation, double, double, double,
     * double[])} uses; it is reached at variances of about {@value #MAX_POINTS_VARIANCE}, beyond which the
     * error grows.
     */
    public static final int MAX_POINTS = 401;

    /** The variance at which the trapezoidal rule reaches {@link #MAX_POINTS}. */
    public static final double MAX_POINTS_VARIANCE = 45;

    /** The trapezoid covers z in [−RANGE, RANGE]: the Gaussian weight beyond is below 1e-14. */
    private static final double RANGE = 8;

    /**
     * The step is π²/(ACCURACY·m) for m the largest standard deviation: the integrands of tanh, sigmoid and
     * softplus have singularities at distance π/(2m) from the real axis, and the trapezoidal error then decays
     * as exp(−2π·(π/2m)/h) = exp(−ACCURACY).
     */
    private static final double ACCURACY = 36;

    /** The largest step, for small variances: the error on the Gaussian alone is then about exp(−2π²/h²). */
    private static final double MAX_STEP = 0.7;

    /**
     * The largest order {@link #gaussHermite} computes. Beyond about 198 points the Newton iteration from the
     * asymptotic initial guesses no longer finds the nodes (the weights then sum to almost nothing).
     */
    public static final int MAX_ORDER = 160;

    private ActivationDuals() {
    }

    /**
     * @param f the activation
     * @return whether {@link #closedForm} handles it: a built-in with a closed form, or an activation with a
     *     {@linkplain Activation#dual() dual}
     */
    public static boolean hasClosedForm(Activation f) {
        return f instanceof Activation.Builtin b ? builtinClosedForm(b.kind()) : f.dual().isPresent();
    }

    private static boolean builtinClosedForm(Activation.Kind kind) {
        switch (kind) {
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
     * The dual by closed form where there is one, else by the adaptive trapezoidal quadrature.
     *
     * @param f the activation
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     */
    public static void dual(Activation f, double q1, double q2, double k, double[] out) {
        if (f instanceof Activation.Builtin b) {
            if (builtinClosedForm(b.kind())) {
                closedForm(f, q1, q2, k, out);
            } else {
                quadrature(f, q1, q2, k, out);
            }
            return;
        }
        Optional<Activation.Dual> d = f.dual();
        if (d.isPresent()) {
            d.get().evaluate(q1, q2, k, out);
        } else {
            quadrature(f, q1, q2, k, out);
        }
    }

    /**
     * @param f IDENTITY, RELU, LEAKY_RELU, ERF, or an activation with a {@linkplain Activation#dual() dual}
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     * @throws IllegalArgumentException for an activation without a closed form
     */
    public static void closedForm(Activation f, double q1, double q2, double k, double[] out) {
        if (!(f instanceof Activation.Builtin b)) {
            f.dual().orElseThrow(() -> new IllegalArgumentException("no closed-form dual for " + f.name()))
                    .evaluate(q1, q2, k, out);
            return;
        }
        switch (b.kind()) {
            case IDENTITY:
                out[0] = k;
                out[1] = 1;
                return;
            case RELU:
                abRelu(0, 1, q1, q2, k, out);
                return;
            case LEAKY_RELU:
                abRelu(b.alpha(), 1, q1, q2, k, out);
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
     * E[φ'φ'] = a·b + (b − a)²·J₀, with {@link #arcCosine1 J₁} and {@link #arcCosine0 J₀} of
     * c = k/√(q1·q2) (0 when a variance is 0: a zero-variance side is independent of the other).
     */
    private static void abRelu(double a, double b, double q1, double q2, double k, double[] out) {
        double norm = Math.sqrt(q1 * q2);
        double c = cosine(k, norm);
        double theta = Acos.acos(c);
        double d = (b - a) * (b - a);
        out[0] = a * b * k + d * arcCosine1(norm, c, theta);
        out[1] = a * b + d * arcCosine0(theta);
    }

    /**
     * @param k the covariance
     * @param norm √(q1·q2)
     * @return k/norm clamped to [−1, 1], or 0 when norm is 0
     */
    static double cosine(double k, double norm) {
        return norm == 0 ? 0 : clamp(k / norm);
    }

    /**
     * The first arc-cosine kernel J₁ = √(q1·q2)/(2π)·(sin θ + (π − θ)·cos θ), with sin θ = √((1 − c)(1 + c)) and
     * cos θ = c: one arccos and no sine or cosine, and sin θ exact near |c| = 1, where θ itself is not.
     *
     * @param norm √(q1·q2)
     * @param c cos θ, in [−1, 1]
     * @param theta arccos c
     * @return J₁
     */
    static double arcCosine1(double norm, double c, double theta) {
        return norm / (2 * Math.PI) * (Math.sqrt((1 - c) * (1 + c)) + (Math.PI - theta) * c);
    }

    /**
     * @param theta arccos c
     * @return the zeroth arc-cosine kernel J₀ = (π − θ)/(2π), the probability that both sides are positive
     */
    static double arcCosine0(double theta) {
        return (Math.PI - theta) / (2 * Math.PI);
    }

    /**
     * The dual by a tensor-product trapezoidal rule in the standard normals z1, z2 of u = √q1·z1,
     * v = (k/√q1)·z1 + √(q2 − k²/q1)·z2, on [−8, 8]² with a step h = min(0.7, π²/(36·m)), m the largest standard
     * deviation involved. For integrands analytic in a strip (tanh, sigmoid and softplus have their nearest
     * singularities at ±iπ/2 and ±iπ; erf and GELU are entire) the trapezoidal rule converges geometrically in
     * 1/h (measured against nested adaptive quadrature: below 1e-11 for tanh, the hardest, even at ρ = ±1) at every variance up to about {@value #MAX_POINTS_VARIANCE}
     * with about 58·m + 1 points per axis (at most {@value #MAX_POINTS}). The pair is put in a fixed order
     * (smaller variance first) before the Cholesky factor is taken, so the result is exactly symmetric:
     * swapping q1 and q2 gives the same bits.
     *
     * @param f any activation
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     */
    public static void quadrature(Activation f, double q1, double q2, double k, double[] out) {
        double[] g = factor(q1, q2, k);
        double m = Math.max(g[0], Math.max(Math.abs(g[1]), g[2]));
        double h = m > 0 ? Math.min(MAX_STEP, Math.PI * Math.PI / (ACCURACY * m)) : MAX_STEP;
        int half = Math.min((MAX_POINTS - 1) / 2, (int) Math.ceil(RANGE / h));
        h = RANGE / half;
        double[] x = new double[2 * half + 1];
        double[] w = new double[x.length];
        double norm = h / Math.sqrt(2 * Math.PI);
        for (int i = -half; i <= half; i++) {
            x[i + half] = i * h;
            w[i + half] = norm * Math.exp(-0.5 * i * h * i * h);
        }
        integrate(f, g, x, w, out);
    }

    /**
     * The dual by a given tensor-product rule (for example {@link #gaussHermite}) on the Cholesky factor of the
     * covariance, the pair put in the same fixed order as {@link #quadrature(Activation, double, double, double,
     * double[])} so that the result is symmetric in (u, v).
     *
     * @param f any activation
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v)
     * @param rule nodes and weights for the standard normal, as {@link #gaussHermite(int)} returns (not modified)
     * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     */
    public static void quadrature(Activation f, double q1, double q2, double k, double[][] rule, double[] out) {
        integrate(f, factor(q1, q2, k), rule[0], rule[1], out);
    }

    /** {s1, c, s2} with the smaller variance first: first = s1·z1, second = c·z1 + s2·z2. */
    private static double[] factor(double q1, double q2, double k) {
        double lo = Math.min(q1, q2);
        double hi = Math.max(q1, q2);
        double s1 = Math.sqrt(Math.max(lo, 0));
        double c = s1 > 0 ? k / s1 : 0;
        double s2 = Math.sqrt(Math.max(hi - c * c, 0));
        return new double[] {s1, c, s2};
    }

    private static void integrate(Activation f, double[] g, double[] x, double[] w, double[] out) {
        int n = x.length;
        double s1 = g[0];
        double c = g[1];
        double s2 = g[2];
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

    static double clamp(double c) {
        return Math.max(-1, Math.min(1, c));
    }
}
