package org.ntk4j.backend.spi;

import org.ntk4j.backend.Activation;

/**
 * The infinite-width duals of an activation one row at a time, on plain arrays, for backends that evaluate them on
 * the CPU, either on their own storage or on a row copied in and out: no allocation per element, and for the ReLU
 * family one arccos per element. Every value equals {@link ActivationDuals#dual} bit for bit.
 *
 * <p>{@link #dual} is one row of {@code Backend.dualMap}; {@link #layer} is one row of {@code Backend.dualLayer},
 * the dual and the dense layer after it in one pass.
 */
public final class DualRows {

    private DualRows() {
    }

    /** @return the leaky ReLU's slope (0 for RELU), or NaN when f is neither: the rows' one-arccos fast path */
    private static double reluSlope(Activation f) {
        if (f instanceof Activation.Builtin b && (b.kind() == Activation.Kind.RELU
                || b.kind() == Activation.Kind.LEAKY_RELU)) {
            return b.alpha();
        }
        return Double.NaN;
    }

    /**
     * outK[oK + j] ← E[φ(u)φ(v)] and outKdot[oD + j] ← E[φ'(u)φ'(v)] for j &lt; n, with Var u = q1, Var v = q2[j],
     * Cov(u, v) = k[oIn + j].
     *
     * @param f the activation
     * @param q1 the row's variance, ≥ 0
     * @param q2 the columns' variances, ≥ 0, at least n of them (not modified)
     * @param k the covariances (not modified unless it is outK or outKdot)
     * @param oIn the row's first index in k
     * @param outK modified: n values from oK
     * @param oK the first index in outK
     * @param outKdot modified: n values from oD
     * @param oD the first index in outKdot
     * @param n the row length
     */
    public static void dual(Activation f, double q1, double[] q2, double[] k, int oIn, double[] outK, int oK,
                            double[] outKdot, int oD, int n) {
        double a = reluSlope(f);
        if (!Double.isNaN(a)) {
            double d = (1 - a) * (1 - a);
            for (int j = 0; j < n; j++) {
                double kk = k[oIn + j];
                double norm = Math.sqrt(q1 * q2[j]);
                double c = ActivationDuals.cosine(kk, norm);
                double theta = Acos.acos(c);
                outK[oK + j] = a * kk + d * ActivationDuals.arcCosine1(norm, c, theta);
                outKdot[oD + j] = a + d * ActivationDuals.arcCosine0(theta);
            }
            return;
        }
        double[] pair = new double[2];
        for (int j = 0; j < n; j++) {
            ActivationDuals.dual(f, q1, q2[j], k[oIn + j], pair);
            outK[oK + j] = pair[0];
            outKdot[oD + j] = pair[1];
        }
    }

    /**
     * One row of a layer of the analytic kernel recursion: with Σ̃ = E[φ(u)φ(v)] and Ṫ = E[φ'(u)φ'(v)] for
     * Var u = q1, Var v = q2[j], Cov(u, v) = sigma[oS + j],
     * sigma[oS + j] ← w·Σ̃ + b and then theta[oT + j] ← sigma[oS + j] + w·(theta[oT + j]·Ṫ), for j &lt; n.
     *
     * @param f the activation
     * @param q1 the row's variance, ≥ 0
     * @param q2 the columns' variances, ≥ 0, at least n of them (not modified)
     * @param sigma the covariances, modified: the next layer's
     * @param oS the row's first index in sigma
     * @param theta the NTK row, modified: the next layer's
     * @param oT the row's first index in theta
     * @param n the row length
     * @param w the weight variance σ_w²
     * @param b the bias variance σ_b²
     */
    public static void layer(Activation f, double q1, double[] q2, double[] sigma, int oS, double[] theta, int oT,
                             int n, double w, double b) {
        double a = reluSlope(f);
        if (!Double.isNaN(a)) {
            double d = (1 - a) * (1 - a);
            for (int j = 0; j < n; j++) {
                double kk = sigma[oS + j];
                double norm = Math.sqrt(q1 * q2[j]);
                double c = ActivationDuals.cosine(kk, norm);
                double theta0 = Acos.acos(c);
                double s = w * (a * kk + d * ActivationDuals.arcCosine1(norm, c, theta0)) + b;
                sigma[oS + j] = s;
                theta[oT + j] = s + w * (theta[oT + j] * (a + d * ActivationDuals.arcCosine0(theta0)));
            }
            return;
        }
        double[] pair = new double[2];
        for (int j = 0; j < n; j++) {
            ActivationDuals.dual(f, q1, q2[j], sigma[oS + j], pair);
            double s = w * pair[0] + b;
            sigma[oS + j] = s;
            theta[oT + j] = s + w * (theta[oT + j] * pair[1]);
        }
    }
}
