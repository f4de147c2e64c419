package org.ntk4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Parsing and printing of {@link Activation}, its scalar functions, and erf/erfc against SciPy. */
class ActivationTest {

    private static final List<Activation> ALL = List.of(Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.2),
            Activation.leakyRelu(-1.5), Activation.leakyRelu(1e-4), Activation.ERF, Activation.TANH, Activation.GELU, Activation.SIGMOID,
            Activation.SOFTPLUS);

    @Test
    @DisplayName("toString and parse round-trip every kind, leaky ReLU with its slope")
    void roundTrip() {
        for (Activation f : ALL) {
            assertEquals(f, Activation.parse(f.toString()), f.toString());
        }
        assertEquals("leaky_relu:0.2", Activation.leakyRelu(0.2).toString());
        assertEquals("gelu", Activation.GELU.toString());
    }

    @Test
    @DisplayName("parse ignores case, surrounding space and - versus _, and defaults the leaky slope to 0.01")
    void parseLeniently() {
        assertEquals(Activation.RELU, Activation.parse(" ReLU "));
        assertEquals(Activation.leakyRelu(0.01), Activation.parse("Leaky-ReLU"));
        assertEquals(Activation.leakyRelu(0.3), Activation.parse("leaky_relu:0.3"));
        assertEquals(Activation.SOFTPLUS, Activation.parse("SOFTPLUS"));
        assertEquals(Activation.leakyRelu(-0.5), Activation.parse("leaky_relu:-0.5"));
        assertEquals(Activation.leakyRelu(1e-4), Activation.parse("LEAKY-RELU: 1.0E-4"));
        assertEquals(Activation.leakyRelu(0.1), Activation.parse("leaky_relu(0.1)"), "the call form works too");
        assertEquals(Activation.leakyRelu(-0.25), Activation.parse(" Leaky-ReLU( -0.25 ) "));
    }

    @Test
    @DisplayName("parse rejects unknown names listing the known ones, bad slopes, and parameters on other kinds")
    void parseErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
        assertTrue(e.getMessage().contains("'swish'") && e.getMessage().contains("gelu"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("leaky_relu:abc"));
        assertTrue(e.getMessage().contains("leaky_relu:abc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("leaky_relu(0.1"));
        assertTrue(e.getMessage().contains("closing parenthesis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("tanh(2)"));
        assertTrue(e.getMessage().contains("takes no parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("tanh:2"));
        assertTrue(e.getMessage().contains("takes no parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.leakyRelu(Double.NaN));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    @DisplayName("kinds other than leaky ReLU carry slope 0, so equal kinds are equal")
    void slopeNormalized() {
        assertEquals(Activation.RELU, new Activation.Builtin(Activation.Kind.RELU, 5));
        assertEquals(0, new Activation.Builtin(Activation.Kind.TANH, 1).alpha());
    }

    @Test
    @DisplayName("apply and derivative give the textbook values at chosen points, left derivatives at kinks")
    void scalarValues() {
        assertEquals(0, Activation.RELU.apply(-2));
        assertEquals(3, Activation.RELU.apply(3));
        assertEquals(0, Activation.RELU.derivative(0));
        assertEquals(-0.4, Activation.leakyRelu(0.2).apply(-2), 1e-15);
        assertEquals(0.2, Activation.leakyRelu(0.2).derivative(0));
        assertEquals(0.5, Activation.SIGMOID.apply(0));
        assertEquals(0.25, Activation.SIGMOID.derivative(0));
        assertEquals(Math.log(2), Activation.SOFTPLUS.apply(0), 1e-16);
        assertEquals(700, Activation.SOFTPLUS.apply(700), 0);
        assertEquals(1 / (1 + Math.exp(700)), Activation.SIGMOID.apply(-700), 1e-310);
        assertEquals(0.5, Activation.GELU.derivative(0), 1e-16);
        assertEquals(2 / Math.sqrt(Math.PI), Activation.ERF.derivative(0), 1e-16);
        // GELU(1) = Φ(1) = 0.8413447460685429 (scipy.special.ndtr(1.0))
        assertEquals(0.8413447460685429, Activation.GELU.apply(1), 2e-16);
        assertEquals(0.8413447460685429, Activation.normalCdf(1), 2e-16);
    }

    /*
     * Reference values from SciPy 1.17.1, computed with
     *   /usr/bin/python3 -c "import scipy.special as s
     *   for x in [0.0, 1e-10, 0.1, 0.5, -0.5, 1.0, -1.0, 1.5, 2.0, 2.4, 2.5, 2.6, 3.0, -3.0, 4.0, 5.0, 5.9, 6.5, -7.0]:
     *       print(repr(x), repr(float(s.erf(x))), repr(float(s.erfc(x))))"
     * The branch points of the implementation (2.5 and 6) are bracketed.
     */
    private static final double[][] ERF_ERFC = {
        {0.0, 0.0, 1.0},
        {1e-10, 1.1283791670955126e-10, 0.999999999887162},
        {0.1, 0.1124629160182849, 0.8875370839817152},
        {0.5, 0.5204998778130465, 0.4795001221869535},
        {-0.5, -0.5204998778130465, 1.5204998778130465},
        {1.0, 0.8427007929497148, 0.15729920705028516},
        {-1.0, -0.8427007929497148, 1.8427007929497148},
        {1.5, 0.9661051464753108, 0.03389485352468927},
        {2.0, 0.9953222650189527, 0.004677734981047266},
        {2.4, 0.999311486103355, 0.0006885138966450789},
        {2.5, 0.999593047982555, 0.00040695201744495886},
        {2.6, 0.9997639655834707, 0.000236034416529349},
        {3.0, 0.9999779095030014, 2.2090496998585445e-05},
        {-3.0, -0.9999779095030014, 1.9999779095030015},
        {4.0, 0.9999999845827421, 1.541725790028002e-08},
        {5.0, 0.9999999999984626, 1.5374597944280347e-12},
        {5.9, 0.9999999999999999, 7.190409783550493e-17},
        {6.5, 1.0, 3.842148327120647e-20},
        {-7.0, -1.0, 2.0},
    };

    /*
     * erfc far in the tail, from SciPy 1.17.1:
     *   /usr/bin/python3 -c "import scipy.special as s
     *   for x in [8.0, 10.0, 15.0, 26.0, 27.5, -2.0]: print(repr(x), repr(float(s.erfc(x))))"
     */
    private static final double[][] ERFC_TAIL = {
        {8.0, 1.1224297172982928e-29},
        {10.0, 2.0884875837625446e-45},
        {15.0, 7.212994172451209e-100},
        {26.0, 5.663192408856145e-296},
        {27.5, 0.0},
        {-2.0, 1.9953222650189528},
    };

    @Test
    @DisplayName("erf agrees with SciPy to 1e-15 absolute, and to 4 ulp relative below 2.5")
    void erfAgainstScipy() {
        for (double[] row : ERF_ERFC) {
            double x = row[0];
            double got = Activation.erf(x);
            assertEquals(row[1], got, 1e-15, "erf(" + x + ")");
            if (Math.abs(x) < 2.5) {
                assertEquals(row[1], got, 4 * Math.ulp(row[1]), "erf(" + x + ") relative");
            }
        }
    }

    @Test
    @DisplayName("erfc agrees with SciPy to 1e-14 relative, deep into the tail where 1 − erf would be 0")
    void erfcAgainstScipy() {
        for (double[][] table : new double[][][] {ERF_ERFC, ERFC_TAIL}) {
            for (double[] row : table) {
                double x = row[0];
                double expected = row[row.length - 1];
                double got = Activation.erfc(x);
                assertEquals(expected, got, 1e-14 * Math.abs(expected) + Double.MIN_VALUE, "erfc(" + x + ")");
            }
        }
    }
}
