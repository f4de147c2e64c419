package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.kernel.GenericNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.LayerTrace;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Layered models give the same results on ND4J (F64) as on EJML, the reference that the EJML tests check against
 * finite differences and host loops: outputs, vector–Jacobian products, and the generic empirical NTK in both
 * output layouts and as a cross kernel, within 1e-11 relative to the largest entry (the backends differ only
 * in rounding: blocked GEMMs and summation order).
 */
@DisplayName("The layers and the generic empirical NTK agree on ND4J and EJML")
class Nd4jLayersAgreementTest {

    private static final double REL = 1e-11;
    private static Backend nd4j;
    private static Backend ejml;

    @BeforeAll
    static void open() {
        nd4j = new Nd4jBackendProvider().create(BackendOptions.defaults());
        ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
    }

    @AfterAll
    static void close() {
        nd4j.close();
        ejml.close();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("conv", Model.of(Shape.image(5, 4, 2), Layers.conv(3, 3, 3),
                        Layers.activation(Activation.ERF), Layers.conv(2, 2, 2, 2, Padding.VALID), Layers.relu(),
                        Layers.flatten(), Layers.dense(3))),
                Arguments.of("pool", Model.of(Shape.image(6, 5, 2), Layers.conv(3, 2, 2),
                        Layers.activation(Activation.GELU), Layers.avgPool(2, 2), Layers.globalAvgPool(),
                        Layers.dense(2))),
                Arguments.of("layerNorm residual", Model.of(Shape.vector(4), Layers.dense(6), Layers.layerNorm(),
                        Layers.residual(Layers.dense(6), Layers.activation(Activation.TANH)), Layers.dense(3))));
    }

    /** One backend's outputs, input cotangent and kernels, all on the host. */
    private static double[][] run(Backend be, Model m, ModelParams mp, double[] x1, double[] x2, int n1, int n2) {
        int in = m.inputShape().size();
        GenericNtk ntk = new GenericNtk(m).withMeterRegistry(null);
        try (TensorScope s = be.scope()) {
            Params p = mp.toBackend(be, DType.F64);
            Tensor t1 = be.fromHost(x1, n1, in, DType.F64);
            Tensor t2 = be.fromHost(x2, n2, in, DType.F64);
            LayerTrace trace = m.forward(p, t1);
            Tensor ones = be.zeros(n1, m.outputDim(), DType.F64);
            be.affine(0, ones, 1, ones);
            LayerTrace.Cotangents c = trace.vjp(ones);
            return new double[][] {be.toHost(trace.output()), be.toHost(c.input()), be.toHost(c.params().get(0)),
                    be.toHost(ntk.compute(p, t1, OutputAxes.FULL)), be.toHost(ntk.compute(p, t1, OutputAxes.TRACED)),
                    be.toHost(ntk.compute(p, t1, t2, OutputAxes.FULL)),
                    ntk.computeTiled(p, t1, t2, OutputAxes.TRACED, 2, (d, t) -> { }).data()};
        }
    }

    private static double[] values(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void agreesWithEjml(String name, Model m) {
        int n1 = 4;
        int n2 = 3;
        ModelParams mp = m.init(5);
        double[] x1 = values(1, n1 * m.inputShape().size());
        double[] x2 = values(2, n2 * m.inputShape().size());
        double[][] expected = run(ejml, m, mp, x1, x2, n1, n2);
        double[][] actual = run(nd4j, m, mp, x1, x2, n1, n2);
        String[] what = {"outputs", "input cotangent", "first parameter cotangent", "full kernel", "traced kernel",
            "cross full kernel", "tiled cross traced kernel"};
        for (int k = 0; k < expected.length; k++) {
            double scale = 0;
            for (double v : expected[k]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertEquals(expected[k].length, actual[k].length, name + " " + what[k]);
            for (int i = 0; i < expected[k].length; i++) {
                assertEquals(expected[k][i], actual[k][i], REL * scale, name + " " + what[k] + " at " + i);
            }
        }
    }
}
