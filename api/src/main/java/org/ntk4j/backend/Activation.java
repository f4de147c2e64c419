package org.ntk4j.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A pointwise nonlinearity: one of a closed set of kinds that every backend implements, forward, derivative
 * and infinite-width dual ({@link Backend#dualMap}). {@code LEAKY_RELU} carries its negative slope
 * {@code alpha}; the other kinds ignore it (it is 0).
 *
 * <p>The scalar methods {@link #apply(double)} and {@link #derivative(double)} are the reference that backends
 * must match. The derivative of RELU and LEAKY_RELU at exactly 0 is taken as the left derivative (0 and alpha).
 *
 * @param kind the kind of nonlinearity
 * @param alpha the negative slope for {@link Kind#LEAKY_RELU}, 0 otherwise
 */
public record Activation(Kind kind, double alpha) {

    /** The kinds of nonlinearity. */
    public enum Kind {
        /** φ(x) = x. */
        IDENTITY,
        /** φ(x) = max(0, x). */
        RELU,
        /** φ(x) = x for x &gt; 0, alpha·x otherwise. */
        LEAKY_RELU,
        /** φ(x) = erf(x). */
        ERF,
        /** φ(x) = tanh(x). */
        TANH,
        /** φ(x) = x·Φ(x) with Φ the standard normal distribution function (the exact, not the tanh, form). */
        GELU,
        /** φ(x) = 1 / (1 + e^−x). */
        SIGMOID,
        /** φ(x) = log(1 + e^x). */
        SOFTPLUS
    }

    /** The identity. */
    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0);
    /** The rectified linear unit. */
    public static final Activation RELU = new Activation(Kind.RELU, 0);
    /** The error function. */
    public static final Activation ERF = new Activation(Kind.ERF, 0);
    /** The hyperbolic tangent. */
    public static final Activation TANH = new Activation(Kind.TANH, 0);
    /** The Gaussian error linear unit, exact form. */
    public static final Activation GELU = new Activation(Kind.GELU, 0);
    /** The logistic sigmoid. */
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0);
    /** The softplus. */
    public static final Activation SOFTPLUS = new Activation(Kind.SOFTPLUS, 0);

    private static final double SQRT_2 = Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /**
     * @param kind the kind
     * @param alpha the negative slope, used by LEAKY_RELU only (must be finite), 0 for other kinds
     */
    public Activation {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.LEAKY_RELU) {
            alpha = 0;
        } else if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("leaky ReLU slope must be finite, got " + alpha);
        }
    }

    /**
     * @param alpha the slope for negative inputs (finite)
     * @return a leaky ReLU
     */
    public static Activation leakyRelu(double alpha) {
        return new Activation(Kind.LEAKY_RELU, alpha);
    }

    /**
     * Parses a name as written on a command line: {@code relu}, {@code erf}, {@code tanh}, {@code gelu},
     * {@code sigmoid}, {@code softplus}, {@code identity}, {@code leaky_relu} (slope 0.01),
     * {@code leaky_relu:0.2} or {@code leaky_relu(0.2)}. Case and {@code -}/{@code _} do not matter.
     *
     * @param text the name
     * @return the activation
     * @throws IllegalArgumentException naming the text and the known names when it is not one
     */
    public static Activation parse(String text) {
        String s = text.trim();
        String slope = null;
        int colon = s.indexOf(':');
        int paren = s.indexOf('(');
        if (paren >= 0 && colon < 0) {
            if (!s.endsWith(")")) {
                throw new IllegalArgumentException("activation '" + text + "' lacks its closing parenthesis");
            }
            slope = s.substring(paren + 1, s.length() - 1).trim();
            s = s.substring(0, paren);
        } else if (colon >= 0) {
            slope = s.substring(colon + 1).trim();
            s = s.substring(0, colon);
        }
        // only the name is normalized: the slope may be negative or have an exponent ("-0.5", "1.0E-4")
        s = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        Kind kind;
        try {
            kind = Kind.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + text + "'; known: "
                    + Arrays.toString(Kind.values()).toLowerCase(Locale.ROOT), e);
        }
        if (kind == Kind.LEAKY_RELU) {
            try {
                return leakyRelu(slope == null ? 0.01 : Double.parseDouble(slope));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("leaky_relu slope is not a number in '" + text + "'", e);
            }
        }
        if (slope != null) {
            throw new IllegalArgumentException("activation '" + s.toLowerCase(Locale.ROOT) + "' takes no parameter: " + text);
        }
        return new Activation(kind, 0);
    }

    /**
     * @param x the input
     * @return φ(x)
     */
    public double apply(double x) {
        switch (kind) {
            case IDENTITY: return x;
            case RELU: return x > 0 ? x : 0;
            case LEAKY_RELU: return x > 0 ? x : alpha * x;
            case ERF: return erf(x);
            case TANH: return Math.tanh(x);
            case GELU: return x * normalCdf(x);
            case SIGMOID: return sigmoid(x);
            case SOFTPLUS: return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            default: throw new AssertionError(kind);
        }
    }

    /**
     * @param x the input
     * @return φ'(x)
     */
    public double derivative(double x) {
        switch (kind) {
            case IDENTITY: return 1;
            case RELU: return x > 0 ? 1 : 0;
            case LEAKY_RELU: return x > 0 ? 1 : alpha;
            case ERF: return TWO_OVER_SQRT_PI * Math.exp(-x * x);
            case TANH: {
                double t = Math.tanh(x);
                return 1 - t * t;
            }
            case GELU: return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case SIGMOID: {
                double s = sigmoid(x);
                return s * (1 - s);
            }
            case SOFTPLUS: return sigmoid(x);
            default: throw new AssertionError(kind);
        }
    }

    /** @return the lower-case name, with the slope for a leaky ReLU ({@code leaky_relu:0.1}); {@link #parse} reads it back */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        return kind == Kind.LEAKY_RELU ? name + ":" + alpha : name;
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * @param x the argument
     * @return Φ(x), the standard normal distribution function
     */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / SQRT_2);
    }

    /**
     * The error function, to about 1e-15 absolute accuracy.
     *
     * @param x the argument
     * @return erf(x)
     */
    public static double erf(double x) {
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

    /**
     * The complementary error function, with relative accuracy kept for large positive arguments.
     *
     * @param x the argument
     * @return erfc(x) = 1 − erf(x)
     */
    public static double erfc(double x) {
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
