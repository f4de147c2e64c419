package org.ntk4j.tck;

import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;

/**
 * References for {@code Backend.dualMap} written apart from the API's own host implementation: closed forms
 * derived here in another form, and a Monte Carlo estimate with its standard error.
 *
 * <p>For (u, v) centred Gaussian with variances q1, q2 and covariance k, and ρ = k/√(q1·q2):
 * <ul>
 *   <li>ReLU: E[relu(u)·relu(v)] = k/4 + (√(q1·q2 − k²) + k·arcsin ρ)/(2π), and
 *       E[1{u&gt;0}·1{v&gt;0}] = 1/4 + arcsin(ρ)/(2π) (orthant probability); equal to the arc-cosine kernel
 *       of Cho and Saul, in arcsine form.</li>
 *   <li>Leaky ReLU, φ(x) = relu(x) − α·relu(−x): by the symmetry of the Gaussian,
 *       E[φφ] = (1 + α²)·R(k) − 2α·R(−k) and E[φ'φ'] = (1 + α²)·S(k) + 2α·S(−k), with R and S the two
 *       ReLU expressions above.</li>
 *   <li>Erf: E[erf(u)·erf(v)] = (2/π)·arcsin(2k/√((1 + 2q1)(1 + 2q2))), and since
 *       erf'(x) = (2/√π)·e^{−x²}, E[erf'(u)·erf'(v)] = (4/π)·E[e^{−u²−v²}] = (4/π)/√det(I + 2Σ).</li>
 *   <li>Identity: k and 1.</li>
 * </ul>
 */
public final class DualReference {

    private DualReference() {
    }

    /**
     * @param f IDENTITY, RELU, LEAKY_RELU or ERF
     * @return whether {@link #closedForm} covers it
     */
    public static boolean hasClosedForm(Activation f) {
        if (!(f instanceof Activation.Builtin b)) {
            return false;
        }
        switch (b.kind()) {
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
     * @param f IDENTITY, RELU, LEAKY_RELU or ERF
     * @param q1 Var u, &gt; 0
     * @param q2 Var v, &gt; 0
     * @param k Cov(u, v), |k| ≤ √(q1·q2)
     * @return {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
     */
    public static double[] closedForm(Activation f, double q1, double q2, double k) {
        if (!(f instanceof Activation.Builtin b)) {
            throw new IllegalArgumentException("no closed form for " + f.name());
        }
        switch (b.kind()) {
            case IDENTITY:
                return new double[] {k, 1};
            case RELU:
                return new double[] {reluK(q1, q2, k), reluKdot(q1, q2, k)};
            case LEAKY_RELU: {
                double a = b.alpha();
                return new double[] {
                    (1 + a * a) * reluK(q1, q2, k) - 2 * a * reluK(q1, q2, -k),
                    (1 + a * a) * reluKdot(q1, q2, k) + 2 * a * reluKdot(q1, q2, -k)};
            }
            case ERF: {
                double det = (1 + 2 * q1) * (1 + 2 * q2) - 4 * k * k;
                double s = 2 * k / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2));
                return new double[] {2 / Math.PI * Math.asin(Math.max(-1, Math.min(1, s))),
                    4 / Math.PI / Math.sqrt(det)};
            }
            default:
                throw new IllegalArgumentException("no closed form for " + f);
        }
    }

    private static double rho(double q1, double q2, double k) {
        return Math.max(-1, Math.min(1, k / Math.sqrt(q1 * q2)));
    }

    private static double reluK(double q1, double q2, double k) {
        double gap = Math.max(0, q1 * q2 - k * k);
        return k / 4 + (Math.sqrt(gap) + k * Math.asin(rho(q1, q2, k))) / (2 * Math.PI);
    }

    private static double reluKdot(double q1, double q2, double k) {
        return 0.25 + Math.asin(rho(q1, q2, k)) / (2 * Math.PI);
    }

    /**
     * A Monte Carlo estimate: the mean over {@code samples} draws of (u, v) of φ(u)φ(v) and φ'(u)φ'(v), with
     * φ and φ' from {@link Activation#apply} and {@link Activation#derivative}.
     *
     * @param f the activation
     * @param q1 Var u, ≥ 0
     * @param q2 Var v, ≥ 0
     * @param k Cov(u, v), |k| ≤ √(q1·q2)
     * @param samples the number of draws, ≥ 2
     * @param random the source of normals (modified: advanced)
     * @return {mean φφ, standard error of it, mean φ'φ', standard error of it}
     */
    public static double[] monteCarlo(Activation f, double q1, double q2, double k, int samples,
                                      SplittableRandom random) {
        double s1 = Math.sqrt(q1);
        double c = s1 > 0 ? k / s1 : 0;
        double s2 = Math.sqrt(Math.max(0, q2 - c * c));
        double sumK = 0;
        double sumK2 = 0;
        double sumD = 0;
        double sumD2 = 0;
        for (int n = 0; n < samples; n++) {
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            double u = s1 * z1;
            double v = c * z1 + s2 * z2;
            double pk = f.apply(u) * f.apply(v);
            double pd = f.derivative(u) * f.derivative(v);
            sumK += pk;
            sumK2 += pk * pk;
            sumD += pd;
            sumD2 += pd * pd;
        }
        double meanK = sumK / samples;
        double meanD = sumD / samples;
        double varK = Math.max(0, (sumK2 - samples * meanK * meanK) / (samples - 1));
        double varD = Math.max(0, (sumD2 - samples * meanD * meanD) / (samples - 1));
        return new double[] {meanK, Math.sqrt(varK / samples), meanD, Math.sqrt(varD / samples)};
    }
}
