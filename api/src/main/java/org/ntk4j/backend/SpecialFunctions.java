package org.ntk4j.backend;

/** The error function and its relatives for the built-in activations ({@link Activation#erf} and others). */
final class SpecialFunctions {

    private static final double SQRT_2 = Math.sqrt(2);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private SpecialFunctions() {
    }

    /** @return 1 / (1 + e^−x), without overflow for large |x| */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** @return Φ(x), the standard normal distribution function */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / SQRT_2);
    }

    /** @return erf(x), to about 1e-15 absolute accuracy */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.signum(x);
        }
        if (ax > 2.5) {
            return Math.signum(x) * (1 - erfcContinuedFraction(ax));
        }
        // erf(x) = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): all terms positive, no cancellation.
        double term = ax;
        double sum = ax;
        double x2 = ax * ax;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return Math.signum(x) * TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** @return erfc(x) = 1 − erf(x), with relative accuracy kept for large positive arguments */
    static double erfc(double x) {
        // from 1 on, 1 − erf(x) would lose relative accuracy to cancellation; the continued fraction keeps it
        if (x >= 1) {
            return x > 27 ? 0 : erfcContinuedFraction(x);
        }
        return 1 - erf(x);
    }

    /** erfc(x) for x ≥ 1 by the Laplace continued fraction, evaluated with the modified Lentz method (≤ ~200 terms). */
    private static double erfcContinuedFraction(double x) {
        // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
    }
}
