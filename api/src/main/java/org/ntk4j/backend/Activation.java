package org.ntk4j.backend;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A pointwise nonlinearity φ: its value, its derivative, a name, and optionally a closed-form infinite-width
 * dual. Adding an activation is one class that implements this interface; it then works on every backend, in
 * training, in the empirical NTK and in the analytic kernels.
 *
 * <p>The scalar methods {@link #apply(double)} and {@link #derivative(double)} are the reference that backends
 * must match. A backend runs the activations it {@linkplain Backend#accelerates accelerates} on its own path; the
 * library runs the others through the generic elementwise path ({@link ActivationPaths}). Without a
 * {@link #dual() closed-form dual} the analytic kernels integrate φ and φ' by quadrature
 * ({@code org.ntk4j.backend.spi.ActivationDuals.quadrature}), which is accurate for activations that are smooth
 * on the real line (analytic in a strip around it).
 *
 * <p>The built-in activations are the constants here and {@link #leakyRelu(double)}, all of them
 * {@link Builtin}s: a {@link Kind} and, for the leaky ReLU, its negative slope. Backends recognise them by
 * their kind. The derivative of RELU and LEAKY_RELU at exactly 0 is taken as the left derivative (0 and alpha).
 */
public interface Activation {

    /**
     * @param x the input
     * @return φ(x)
     */
    double apply(double x);

    /**
     * @param x the input
     * @return φ'(x)
     */
    double derivative(double x);

    /**
     * @return the name written in model specs, checkpoints and reports, such as {@code relu} or
     *     {@code leaky_relu:0.2}; {@link #parse(String, Collection)} reads it back
     */
    String name();

    /**
     * @return the closed-form infinite-width dual, or empty when the analytic kernels should integrate φ and φ'
     *     by quadrature; the default is empty
     */
    default Optional<Dual> dual() {
        return Optional.empty();
    }

    /**
     * @return whether φ(−x) = −φ(x): the features after an odd activation of centred features stay centred, which
     *     layer norm's kernel map needs; the default is {@code false}, which is always safe
     */
    default boolean odd() {
        return false;
    }

    /**
     * The infinite-width dual of an activation in closed form: for a centred Gaussian pair (u, v) with variances
     * q1, q2 and covariance k, the NNGP map E[φ(u)·φ(v)] and the derivative map E[φ'(u)·φ'(v)].
     */
    @FunctionalInterface
    interface Dual {
        /**
         * @param q1 Var u, ≥ 0
         * @param q2 Var v, ≥ 0
         * @param k Cov(u, v), |k| ≤ √(q1·q2)
         * @param out a length-2 array, modified: {E[φ(u)φ(v)], E[φ'(u)φ'(v)]}
         */
        void evaluate(double q1, double q2, double k, double[] out);
    }

    /** The built-in kinds: stable ids by which backends recognise the activations they accelerate. */
    enum Kind {
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
    Activation IDENTITY = new Builtin(Kind.IDENTITY, 0);
    /** The rectified linear unit. */
    Activation RELU = new Builtin(Kind.RELU, 0);
    /** The error function. */
    Activation ERF = new Builtin(Kind.ERF, 0);
    /** The hyperbolic tangent. */
    Activation TANH = new Builtin(Kind.TANH, 0);
    /** The Gaussian error linear unit, exact form. */
    Activation GELU = new Builtin(Kind.GELU, 0);
    /** The logistic sigmoid. */
    Activation SIGMOID = new Builtin(Kind.SIGMOID, 0);
    /** The softplus. */
    Activation SOFTPLUS = new Builtin(Kind.SOFTPLUS, 0);

    /**
     * @param alpha the slope for negative inputs (finite)
     * @return a leaky ReLU
     */
    static Activation leakyRelu(double alpha) {
        return new Builtin(Kind.LEAKY_RELU, alpha);
    }

    /**
     * Parses a built-in name as written on a command line: {@code relu}, {@code erf}, {@code tanh}, {@code gelu},
     * {@code sigmoid}, {@code softplus}, {@code identity}, {@code leaky_relu} (slope 0.01),
     * {@code leaky_relu:0.2} or {@code leaky_relu(0.2)}. Case and {@code -}/{@code _} do not matter.
     *
     * @param text the name
     * @return the activation
     * @throws IllegalArgumentException naming the text and the known names when it is not one
     */
    static Activation parse(String text) {
        return parse(text, List.of());
    }

    /**
     * Parses a name as {@link #parse(String)} does, where the names of the given activations are known too: an
     * activation outside the built-ins is found by its {@link #name()} (case and {@code -}/{@code _} do not
     * matter), so that specs and checkpoints that name it can be read back.
     *
     * @param text the name
     * @param extra activations beyond the built-ins (not modified); checked before the built-ins
     * @return the activation
     * @throws IllegalArgumentException naming the text and the known names when it is not one
     */
    static Activation parse(String text, Collection<? extends Activation> extra) {
        String key = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Activation f : extra) {
            if (f.name().trim().toLowerCase(Locale.ROOT).replace('-', '_').equals(key)) {
                return f;
            }
        }
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
            StringBuilder known = new StringBuilder(Arrays.toString(Kind.values()).toLowerCase(Locale.ROOT));
            for (Activation f : extra) {
                known.insert(known.length() - 1, ", " + f.name());
            }
            throw new IllegalArgumentException("unknown activation '" + text + "'; known: " + known, e);
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
        return new Builtin(kind, 0);
    }

    /**
     * @param x the argument
     * @return Φ(x), the standard normal distribution function
     */
    static double normalCdf(double x) {
        return SpecialFunctions.normalCdf(x);
    }

    /**
     * The error function, to about 1e-15 absolute accuracy.
     *
     * @param x the argument
     * @return erf(x)
     */
    static double erf(double x) {
        return SpecialFunctions.erf(x);
    }

    /**
     * The complementary error function, with relative accuracy kept for large positive arguments.
     *
     * @param x the argument
     * @return erfc(x) = 1 − erf(x)
     */
    static double erfc(double x) {
        return SpecialFunctions.erfc(x);
    }

    /**
     * A built-in activation: one of the {@link Kind}s that every backend implements, forward, derivative and
     * infinite-width dual ({@link Backend#dualMap}). {@code LEAKY_RELU} carries its negative slope {@code alpha};
     * the other kinds ignore it (it is 0), so equal kinds are equal.
     *
     * @param kind the kind of nonlinearity
     * @param alpha the negative slope for {@link Kind#LEAKY_RELU} (finite), 0 otherwise
     */
    record Builtin(Kind kind, double alpha) implements Activation {

        private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
        private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

        /**
         * @param kind the kind
         * @param alpha the negative slope, used by LEAKY_RELU only (must be finite), 0 for other kinds
         */
        public Builtin {
            Objects.requireNonNull(kind, "kind");
            if (kind != Kind.LEAKY_RELU) {
                alpha = 0;
            } else if (!Double.isFinite(alpha)) {
                throw new IllegalArgumentException("leaky ReLU slope must be finite, got " + alpha);
            }
        }

        @Override
        public double apply(double x) {
            switch (kind) {
                case IDENTITY: return x;
                case RELU: return x > 0 ? x : 0;
                case LEAKY_RELU: return x > 0 ? x : alpha * x;
                case ERF: return SpecialFunctions.erf(x);
                case TANH: return Math.tanh(x);
                case GELU: return x * SpecialFunctions.normalCdf(x);
                case SIGMOID: return SpecialFunctions.sigmoid(x);
                case SOFTPLUS: return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
                default: throw new AssertionError(kind);
            }
        }

        @Override
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
                case GELU: return SpecialFunctions.normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
                case SIGMOID: {
                    double s = SpecialFunctions.sigmoid(x);
                    return s * (1 - s);
                }
                case SOFTPLUS: return SpecialFunctions.sigmoid(x);
                default: throw new AssertionError(kind);
            }
        }

        /** @return the lower-case kind, with the slope for a leaky ReLU ({@code leaky_relu:0.1}) */
        @Override
        public String name() {
            String name = kind.name().toLowerCase(Locale.ROOT);
            return kind == Kind.LEAKY_RELU ? name + ":" + alpha : name;
        }

        /**
         * @return the closed forms of IDENTITY, RELU, LEAKY_RELU and ERF
         *     ({@code org.ntk4j.backend.spi.ActivationDuals.closedForm}); empty for the others
         */
        @Override
        public Optional<Dual> dual() {
            switch (kind) {
                case IDENTITY:
                case RELU:
                case LEAKY_RELU:
                case ERF:
                    return Optional.of((q1, q2, k, out) -> org.ntk4j.backend.spi.ActivationDuals.closedForm(this, q1,
                            q2, k, out));
                default:
                    return Optional.empty();
            }
        }

        /** @return true for IDENTITY, ERF and TANH */
        @Override
        public boolean odd() {
            return kind == Kind.IDENTITY || kind == Kind.ERF || kind == Kind.TANH;
        }

        /** @return {@link #name()}, which {@link Activation#parse(String)} reads back */
        @Override
        public String toString() {
            return name();
        }
    }
}
