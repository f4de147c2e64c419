package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
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

    /** The proximal-ntk run: 16 digits against their one-hot labels, a 64-16-10 ReLU network. */
    private static final int BATCH = 16;
    private static final Mlp SMALL = Mlp.builder(64, 16, 10).build();
    private static final int ITERATIONS = 20;
    private static final double MIN_DAMPING = 1e-4;
    private static final ProximalNtk PROXIMAL = ProximalNtk.defaults().withLearningRate(0.5).withBounds(MIN_DAMPING, 1e9);

    private static Backend ejml;
    private static double[] inputs;
    private static double[] targets;
    private static Trajectory reference;

    @BeforeAll
    static void reference() {
        ejml = Backends.create("ejml");
        Dataset digits = Digits.load().scaled(1.0 / 16);
        inputs = Arrays.copyOf(digits.features(), SAMPLES * digits.dims());
        targets = Arrays.copyOf(digits.oneHot(), BATCH * digits.classes());
        reference = proximal(ejml);
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
    @DisplayName("20 proximal-ntk iterations from the same seeded 64-16-10 ReLU network on 16 digits")
    void proximalNtkIterations(String name) {
        assertTrue(reference.losses[ITERATIONS] < 1e-6 * reference.losses[0],
                () -> "EJML's run should fit the batch: losses " + Arrays.toString(reference.losses));
        try (Backend other = open(name)) {
            Trajectory actual = proximal(other);
            // Each step solves (Θ + λ·I)·v = r with λ ≥ MIN_DAMPING·(mean diagonal of Θ), so the condition number
            // is at most n/MIN_DAMPING + 1 (n = m·O): the kernel's F64 rounding bound, amplified by it.
            int n = BATCH * SMALL.outputDim();
            double condition = n / MIN_DAMPING + 1;
            double relative = TOL.rounding(Arrays.stream(SMALL.widths()).sum(), 1) * condition;
            assertArrayEquals(reference.dampings, actual.dampings, 0,
                    () -> name + ": the damping schedule (accepted and rejected steps) differs from EJML's");
            assertArrayEquals(reference.rejections, actual.rejections,
                    () -> name + ": the rejected steps differ from EJML's");
            Agreement.assertClose(name + " batch loss per iteration", reference.losses, actual.losses, 0,
                    relative * reference.losses[0]);
            Agreement.assertClose(name + " parameters after " + ITERATIONS + " iterations", reference.params,
                    actual.params, relative, relative * Agreement.maxAbs(reference.params));
        }
    }

    /** What a proximal-ntk run did: per iteration the loss before the step, the damping after it, rejections. */
    private static final class Trajectory {
        final double[] losses = new double[ITERATIONS + 1];
        final double[] dampings = new double[ITERATIONS];
        final long[] rejections = new long[ITERATIONS];
        double[] params;
    }

    private static Trajectory proximal(Backend backend) {
        Trajectory t = new Trajectory();
        try (TensorScope scope = backend.scope()) {
            Tensor x = backend.fromHost(Arrays.copyOf(inputs, BATCH * SMALL.inputDim()), BATCH, SMALL.inputDim(),
                    DType.F64);
            Tensor y = backend.fromHost(targets, BATCH, SMALL.outputDim(), DType.F64);
            MlpObjective objective = new MlpObjective(SMALL, x, y);
            Params params = SMALL.init(SEED).upload(backend, DType.F64);
            ProximalNtk.State state = PROXIMAL.init(params);
            for (int i = 0; i < ITERATIONS; i++) {
                Update<ProximalNtk.State> u = PROXIMAL.update(objective, state, params);
                Params next = Optimizers.applyUpdates(params, u.updates());
                u.updates().close();
                params.close();
                params = next;
                state = u.state();
                t.losses[i] = state.lastLoss();
                t.dampings[i] = state.damping();
                t.rejections[i] = state.rejected();
            }
            t.losses[ITERATIONS] = objective.loss(params);
            t.params = params.toHostFlat();
        }
        return t;
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
