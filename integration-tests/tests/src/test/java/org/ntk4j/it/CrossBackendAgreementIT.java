package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.backend.ProviderStatus;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.tck.Tolerance;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Every backend found on this JVM's classpath (simple, nd4j, cuda, …) computes the same empirical and analytic
 * kernels and takes the same 20 proximal-ntk iterations as EJML from the same seeded network and data, within
 * bounds taken from the conformance kit's F64 {@link Tolerance} table. A backend that is unavailable here is
 * skipped with its probe's reason.
 */
@DisplayName("Cross-backend agreement with EJML")
class CrossBackendAgreementIT {

    private static final Tolerance TOL = Tolerance.F64;
    private static final int SAMPLES = 16;
    private static final Mlp RELU = Mlp.builder(64, 48, 48, 10).activation(Activation.RELU).sigmaW(1.4).sigmaB(0.1).build();
    private static final Mlp ERF = RELU.toBuilder().activation(Activation.ERF).build();
    private static final Mlp TANH = RELU.toBuilder().activation(Activation.TANH).build();
    private static final long SEED = 20240611L;

    private static final int ITERATIONS = ProximalTrajectory.ITERATIONS;

    private static Backend ejml;
    private static double[] inputs;
    private static ProximalTrajectory[] reference;

    @BeforeAll
    static void reference() {
        ejml = Backends.create("ejml");
        Dataset digits = Digits.load().scaled(1.0 / 16);
        inputs = Arrays.copyOf(digits.features(), SAMPLES * digits.dims());
        reference = new ProximalTrajectory[] {ProximalTrajectory.run(ejml, Loss.MSE),
            ProximalTrajectory.run(ejml, Loss.SOFTMAX_CROSS_ENTROPY)};
    }

    @AfterAll
    static void close() {
        ejml.close();
    }

    /** @return every backend provider found except ejml, the reference */
    static List<String> backends() {
        return Backends.report().stream().map(ProviderStatus::name).filter(n -> !n.equals("ejml")).distinct()
                .collect(Collectors.toList());
    }

    private static Backend open(String name) {
        ProviderStatus status = Backends.report().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        assumeTrue(status.availability().available(), () -> name + " is unavailable here: " + status.availability().detail());
        return Backends.create(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @DisplayName("the empirical NTK (full and traced) of a seeded 64-48-48-10 ReLU network on 16 digits")
    void empiricalKernels(String name) {
        try (Backend other = open(name)) {
            MlpParams init = RELU.init(SEED);
            for (OutputAxes axes : OutputAxes.values()) {
                double[] expected = empirical(ejml, init, axes);
                double[] actual = empirical(other, init, axes);
                double scale = Agreement.maxAbs(expected);
                // each entry sums Σ widths products per layer of values up to the kernel's scale
                int terms = Arrays.stream(RELU.widths()).sum();
                Agreement.assertClose(name + " empirical " + axes, expected, actual, 0, TOL.rounding(terms, scale));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @DisplayName("the analytic NNGP and NTK of depth-3 ReLU, erf and tanh networks on 16 digits")
    void analyticKernels(String name) {
        try (Backend other = open(name)) {
            for (Mlp mlp : List.of(RELU, ERF, TANH)) {
                AnalyticNtk kernel = AnalyticNtk.of(mlp).withMeterRegistry(null);
                double[][] expected = analytic(ejml, kernel);
                double[][] actual = analytic(other, kernel);
                // the duals' bounds, once per nonlinearity the recursion passes through
                double rel = TOL.dualRel() * mlp.depth();
                double abs = TOL.dualAbs() * mlp.depth();
                Agreement.assertClose(name + " analytic NNGP " + mlp.activation(), expected[0], actual[0], rel, abs);
                Agreement.assertClose(name + " analytic NTK " + mlp.activation(), expected[1], actual[1], rel, abs);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @DisplayName("20 proximal-ntk iterations (squared error: Cholesky; cross-entropy: LU) from the same seeded"
            + " 64-16-10 ReLU network on 16 digits, in a child JVM")
    void proximalNtkIterations(String name) {
        assertTrue(reference[0].losses[ITERATIONS] < 1e-6 * reference[0].losses[0],
                () -> "EJML's squared-error run should fit the batch: losses " + Arrays.toString(reference[0].losses));
        assertTrue(reference[1].losses[ITERATIONS] < 0.1 * reference[1].losses[0],
                () -> "EJML's cross-entropy run should fit the batch: losses " + Arrays.toString(reference[1].losses));
        open(name).close();
        // a child JVM with the default thread stack, as users run: a native crash fails this case, not the suite
        ChildResult child = new ChildJvm().classpath(childClasspath()).mainClass(ProximalTrajectory.class.getName())
                .argument(name).run();
        for (ProximalTrajectory expected : reference) {
            ProximalTrajectory actual = ProximalTrajectory.parse(child, expected.loss);
            assertNotNull(actual, () -> name + ": no " + expected.loss + " trajectory\n" + child);
            compare(name + " " + expected.loss, expected, actual, child);
        }
        assertEquals(0, child.exitCode(), () -> "exit status\n" + child);
    }

    private static void compare(String what, ProximalTrajectory expected, ProximalTrajectory actual, ChildResult child) {
        // Each step solves (H·Θ + λ·I)·v = g with λ ≥ MIN_DAMPING·(mean diagonal of H·Θ), so the condition number
        // is at most about n/MIN_DAMPING + 1 (n = m·O): the kernel's F64 rounding bound, amplified by it.
        int n = ProximalTrajectory.BATCH * ProximalTrajectory.MLP.outputDim();
        double condition = n / ProximalTrajectory.MIN_DAMPING + 1;
        double relative = TOL.rounding(Arrays.stream(ProximalTrajectory.MLP.widths()).sum(), 1) * condition;
        assertArrayEquals(expected.dampings, actual.dampings, 0,
                () -> what + ": the damping schedule (accepted and rejected steps) differs from EJML's\n" + child);
        assertArrayEquals(expected.rejections, actual.rejections, 0,
                () -> what + ": the rejected steps differ from EJML's\n" + child);
        Agreement.assertClose(what + " batch loss per iteration", expected.losses, actual.losses, 0,
                relative * expected.losses[0]);
        Agreement.assertClose(what + " parameters after " + ITERATIONS + " iterations", expected.params,
                actual.params, relative, relative * Agreement.maxAbs(expected.params));
    }

    /** Every backend's jars, the third-party one's and this module's test classes. */
    private static List<Path> childClasspath() {
        String testClasses = System.getProperty("ntk4j.it.testClasses");
        assertNotNull(testClasses, "system property ntk4j.it.testClasses is not set: run with 'mvn verify'");
        return Classpaths.union(Classpaths.of("cuda"), Classpaths.of("simple"),
                List.of(Path.of(testClasses)));
    }

    private static double[] empirical(Backend backend, MlpParams init, OutputAxes axes) {
        try (TensorScope scope = backend.scope()) {
            Params params = init.upload(backend, DType.F64);
            Tensor x = backend.fromHost(inputs, SAMPLES, RELU.inputDim(), DType.F64);
            return backend.toHost(new EmpiricalNtk(RELU).withMeterRegistry(null).compute(params, x, axes));
        }
    }

    private static double[][] analytic(Backend backend, AnalyticNtk kernel) {
        try (TensorScope scope = backend.scope()) {
            Tensor x = backend.fromHost(inputs, SAMPLES, RELU.inputDim(), DType.F64);
            AnalyticNtk.Kernels k = kernel.compute(backend, x, null);
            return new double[][] {backend.toHost(k.nngp()), backend.toHost(k.ntk())};
        }
    }
}
