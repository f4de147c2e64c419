package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.tck.Tolerance;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.train.IterationEvent;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingResult;

/**
 * The same seeded model gives the same results on the ND4J backend as on the EJML backend (the reference):
 * the empirical NTK in both output layouts and both of ND4J's dtypes, and 20 iterations of the proximal NTK
 * optimizer on digits. Bounds are the conformance kit's rounding bound, {@code Tolerance.rounding(P, max|·|)}
 * with P the network's parameter count (every kernel entry is a sum over the parameters).
 */
@DisplayName("The ND4J backend agrees with EJML on kernels and on training")
class Nd4jEjmlAgreementTest {

    /**
     * Relative bound on losses and damping along the trajectory: the two backends round differently (blocked
     * GEMM, LAPACK vs EJML factorizations) and 20 Levenberg–Marquardt steps amplify that to about 2e-9 by the
     * last iteration; 1e-7 still fails on any step that differs in substance (another accepted/rejected step
     * changes the damping by a factor, a wrong update changes the loss in the 2nd–4th digit).
     */
    private static final double LOSS_REL = 1e-7;

    private static Backend nd4j;
    private static Backend ejml;
    private static Dataset digits;

    @BeforeAll
    static void open() {
        nd4j = new Nd4jBackendProvider().create(BackendOptions.defaults());
        ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
        digits = Digits.load();
    }

    @AfterAll
    static void close() {
        nd4j.close();
        ejml.close();
    }

    static Stream<Arguments> kernels() {
        List<Arguments> out = new ArrayList<>();
        for (DType d : DType.values()) {
            for (OutputAxes axes : OutputAxes.values()) {
                for (Activation f : new Activation[] {Activation.RELU, Activation.ERF}) {
                    out.add(Arguments.of(d, axes, f));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("kernels")
    @DisplayName("the empirical NTK of a seeded 64-48-32-10 MLP on 60 digits equals EJML's")
    void empiricalNtk(DType dtype, OutputAxes axes, Activation f) {
        Mlp mlp = Mlp.builder(64, 48, 32, 10).activation(f).sigmaW(1.4).sigmaB(0.1).build();
        MlpParams host = mlp.init(11);
        int n = 60;
        double[] x = Arrays.copyOf(digits.features(), n * digits.dims());
        double[] expected = kernel(ejml, DType.F64, mlp, host, x, n, axes);
        double[] actual = kernel(nd4j, dtype, mlp, host, x, n, axes);
        double max = Arrays.stream(expected).map(Math::abs).max().orElse(0);
        double bound = Tolerance.of(dtype).rounding((int) mlp.parameterCount(), max);
        assertClose(expected, actual, bound, "eNTK " + axes + " " + f + " " + dtype);
    }

    private static double[] kernel(Backend be, DType d, Mlp mlp, MlpParams host, double[] x, int n, OutputAxes axes) {
        try (Params p = host.upload(be, d); Tensor tx = be.fromHost(x, n, mlp.inputDim(), d);
             Tensor k = new EmpiricalNtk(mlp).withMeterRegistry(new SimpleMeterRegistry()).compute(p, tx, axes)) {
            return be.toHost(k);
        }
    }

    @Test
    @DisplayName("20 proximal-ntk iterations on digits follow EJML's losses, damping and parameters")
    void proximalNtkTrajectory() {
        TrainingConfig c = TrainingConfig.defaults().withHidden(32, 32).withBatchSize(32).withMaxIterations(20)
                .withEvalEvery(10).withTargetAccuracy(Double.NaN).withSeeds(5, 6);
        List<IterationEvent> ev = new ArrayList<>();
        List<IterationEvent> nv = new ArrayList<>();
        TrainingResult re = new Trainer(ejml, c).withRegistry(new SimpleMeterRegistry()).withListener(ev::add)
                .train(Digits.standardSplit());
        TrainingResult rn = new Trainer(nd4j, c).withRegistry(new SimpleMeterRegistry()).withListener(nv::add)
                .train(Digits.standardSplit());
        assertEquals(20, re.iterations());
        assertEquals(20, rn.iterations());
        double[] pe = re.params().flatten();
        double[] pn = rn.params().flatten();
        double max = Arrays.stream(pe).map(Math::abs).max().orElse(0);
        // 20 steps, each a solve with the batch kernel: allow the kit's bound, amplified by the steps' conditioning
        double bound = 1e4 * Tolerance.F64.rounding(pe.length, max);
        assertClose(pe, pn, bound, "parameters after 20 iterations");
        for (int i = 0; i < 20; i++) {
            IterationEvent e = ev.get(i);
            IterationEvent a = nv.get(i);
            assertEquals(e.batchLoss(), a.batchLoss(), LOSS_REL * Math.abs(e.batchLoss()), "batch loss at " + i);
            assertEquals(e.damping(), a.damping(), LOSS_REL * Math.abs(e.damping()), "damping at " + i);
        }
        assertEquals(re.testAccuracy(), rn.testAccuracy(), 0.0, "test accuracy after 20 iterations");
        assertEquals(re.testLoss(), rn.testLoss(), LOSS_REL * Math.abs(re.testLoss()), "test loss");
    }

    static void assertClose(double[] expected, double[] actual, double bound, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= worst)) {
                worst = err;
                at = i;
            }
        }
        if (!(worst <= bound)) {
            throw new AssertionError(what + ": largest difference " + worst + " at " + at + " (expected "
                    + expected[at] + ", got " + actual[at] + ") exceeds " + bound);
        }
    }
}
