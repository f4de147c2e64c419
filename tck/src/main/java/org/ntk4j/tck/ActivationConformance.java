package org.ntk4j.tck;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Activations: {@code map} and {@code mapDerivative} for every kind against {@link Activation#apply} and
 * {@link Activation#derivative}, and the derivative against a central difference of {@code apply}, which
 * does not depend on how {@code derivative} is written; and the generic elementwise path that the library takes for
 * activations a backend does not accelerate ({@link ActivationPaths}) on this backend's tensors.
 */
public abstract class ActivationConformance extends ConformanceGroup {

    /** For subclasses. */
    protected ActivationConformance() {
    }

    /** Every kind, the leaky ReLU with two slopes. */
    static final List<Activation> ACTIVATIONS = List.of(Activation.IDENTITY, Activation.RELU,
            Activation.leakyRelu(0.1), Activation.leakyRelu(-0.5), Activation.ERF, Activation.TANH, Activation.GELU,
            Activation.SIGMOID, Activation.SOFTPLUS);

    /** Kinks, signed zeros, tiny, moderate and large values where naive formulas overflow or cancel. */
    private static final double[] SPECIAL = {0.0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, 1, -1, 2.5, -2.5,
        6, -6, 30, -30, 50, -50, 700, -700};

    Stream<Arguments> dtypesAndActivations() {
        return dtypes().flatMap(d -> ACTIVATIONS.stream().map(f -> Arguments.of(d, f)));
    }

    /** The special values followed by normal values of standard deviation 3, 5×7 in all. */
    private HostMatrix inputs(DType dtype, long seed) {
        RandomData r = random(seed, dtype);
        HostMatrix m = r.normal(5, 7);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = i < SPECIAL.length ? r.round(SPECIAL[i]) : r.round(3 * m.data()[i]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("map applies φ elementwise as Activation.apply does, into out and in place")
    void map(DType dtype, Activation f) {
        Tolerance tol = Tolerance.of(dtype);
        for (HostMatrix x : List.of(inputs(dtype, 41), random(42, dtype).uniform(257, 263, -8, 8))) {
            HostMatrix expected = Reference.map(f, x, false);
            Tensor tx = tensor(x, dtype);
            Tensor out = backend.zeros(x.rows(), x.cols(), dtype);
            backend.map(f, tx, out);
            Approx.assertClose("map " + f + " " + x.shape(), expected, host(out), tol.functionRel(), tol.functionAbs());
            Approx.assertExact("map leaves x unchanged", x, host(tx));
            backend.map(f, tx, tx);
            Approx.assertClose("map " + f + " in place", expected, host(tx), tol.functionRel(), tol.functionAbs());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("mapDerivative applies φ' elementwise as Activation.derivative does (left derivative at kinks)")
    void mapDerivative(DType dtype, Activation f) {
        Tolerance tol = Tolerance.of(dtype);
        for (HostMatrix x : List.of(inputs(dtype, 43), random(44, dtype).uniform(257, 263, -8, 8))) {
            HostMatrix expected = Reference.map(f, x, true);
            Tensor tx = tensor(x, dtype);
            Tensor out = backend.zeros(x.rows(), x.cols(), dtype);
            backend.mapDerivative(f, tx, out);
            Approx.assertClose("mapDerivative " + f + " " + x.shape(), expected, host(out), tol.functionRel(),
                    tol.functionAbs());
            backend.mapDerivative(f, tx, tx);
            Approx.assertClose("mapDerivative " + f + " in place", expected, host(tx), tol.functionRel(),
                    tol.functionAbs());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("the generic path ActivationPaths.hostMap and hostMapDerivative apply φ and φ' as the scalar reference does")
    void genericPath(DType dtype, Activation f) {
        Tolerance tol = Tolerance.of(dtype);
        HostMatrix x = inputs(dtype, 46);
        Tensor tx = tensor(x, dtype);
        Tensor out = backend.zeros(x.rows(), x.cols(), dtype);
        ActivationPaths.hostMap(backend, f, tx, out);
        Approx.assertClose("hostMap " + f, Reference.map(f, x, false), host(out), tol.functionRel(), tol.functionAbs());
        Approx.assertExact("hostMap leaves x unchanged", x, host(tx));
        ActivationPaths.hostMapDerivative(backend, f, tx, tx);
        Approx.assertClose("hostMapDerivative " + f + " in place", Reference.map(f, x, true), host(tx),
                tol.functionRel(), tol.functionAbs());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndActivations")
    @DisplayName("mapDerivative agrees with a central finite difference of Activation.apply")
    void derivativeMatchesFiniteDifference(DType dtype, Activation f) {
        double h = 1e-5;
        RandomData r = random(45, dtype);
        HostMatrix x = r.uniform(9, 11, -4, 4);
        for (int i = 0; i < x.data().length; i++) {
            if (Math.abs(x.data()[i]) < 1e-3) {
                x.data()[i] = r.round(0.5); // keep away from the kink of ReLU and leaky ReLU
            }
        }
        HostMatrix fd = x.copy();
        for (int i = 0; i < fd.data().length; i++) {
            double v = x.data()[i];
            fd.data()[i] = (f.apply(v + h) - f.apply(v - h)) / (2 * h);
        }
        Tensor out = backend.zeros(x.rows(), x.cols(), dtype);
        backend.mapDerivative(f, tensor(x, dtype), out);
        double bound = Tolerance.of(dtype).finiteDifference();
        Approx.assertWithin("mapDerivative " + f + " vs central difference (step " + h + ")", fd, host(out),
                i -> bound * (1 + Math.abs(fd.data()[i])));
    }
}
