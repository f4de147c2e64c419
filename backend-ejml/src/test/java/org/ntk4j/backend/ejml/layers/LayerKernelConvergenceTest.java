package org.ntk4j.backend.ejml.layers;

import org.ntk4j.tck.model.LayerTesting;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.GenericNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Layer;
import org.ntk4j.nn.layers.LayerTrace;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Every layer's kernel map against wide networks: on 6×6×2 images, the analytic NTK and NNGP against the empirical
 * ones averaged over initialisations, at widths (channels) 16, 64 and 256. The empirical NTK is the traced
 * {@link GenericNtk} (exact for each draw); the empirical NNGP is the readout's expectation over its own weights,
 * σ_w²·h·h'/d + σ_b² of the features h it reads, so the remaining error is the hidden layers' finite width. The
 * relative error (Frobenius) must fall by at least half from width 16 to 256 (1/√width predicts a quarter) and
 * end below 0.1.
 */
class LayerKernelConvergenceTest {

    private static final int[] WIDTHS = {16, 64, 256};
    private static final int SEEDS = 4;
    private static final double SW = 1.4;
    private static final double SB = 0.1;
    private static final Shape IMAGE = Shape.image(6, 6, 2);

    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    private static Layer conv(int w) {
        return Layers.conv(w, 3, 3, 1, Padding.SAME, Parameterization.NTK, SW, SB, true);
    }

    private static Layer readout() {
        return Layers.dense(2, Parameterization.NTK, 1.0, SB, true);
    }

    static Stream<Arguments> models() {
        Layer relu = Layers.relu();
        Layer erf = Layers.activation(Activation.ERF);
        return Stream.of(
                Arguments.of("conv (SAME, then strided VALID) and flatten", (IntFunction<Model>) w -> Model.of(IMAGE,
                        conv(w), relu, Layers.conv(w, 2, 2, 2, Padding.VALID, Parameterization.NTK, SW, SB, true), erf,
                        Layers.flatten(), readout())),
                Arguments.of("avgPool", (IntFunction<Model>) w -> Model.of(IMAGE, conv(w), relu, Layers.avgPool(2, 2),
                        conv(w), relu, Layers.flatten(), readout())),
                Arguments.of("globalAvgPool", (IntFunction<Model>) w -> Model.of(IMAGE, conv(w), relu, conv(w), relu,
                        Layers.globalAvgPool(), readout())),
                Arguments.of("layerNorm", (IntFunction<Model>) w -> Model.of(IMAGE, conv(w), Layers.layerNorm(), relu,
                        Layers.flatten(), readout())),
                Arguments.of("residual", (IntFunction<Model>) w -> Model.of(IMAGE, conv(w),
                        Layers.residual(relu, conv(w)), relu, Layers.globalAvgPool(), readout())),
                Arguments.of("dense and activations after flatten", (IntFunction<Model>) w -> Model.of(IMAGE,
                        Layers.flatten(), Layers.dense(w, Parameterization.NTK, SW, SB, true), erf,
                        Layers.dense(w, Parameterization.NTK, SW, SB, true), Layers.activation(Activation.TANH),
                        readout())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @DisplayName("the mean empirical NTK and NNGP of wide networks approach the analytic kernels")
    void wideNetworksConverge(String name, IntFunction<Model> build) {
        int n = 4;
        double[] x = LayerTesting.values(21, n * IMAGE.size());
        double[] ntkErr = new double[WIDTHS.length];
        double[] nngpErr = new double[WIDTHS.length];
        try (Tensor xt = be.fromHost(x, n, IMAGE.size(), DType.F64);
             AnalyticNtk.Kernels exact = AnalyticNtk.of(build.apply(1)).withMeterRegistry(null).compute(be, xt, null)) {
            double[] ntk = be.toHost(exact.ntk());
            double[] nngp = be.toHost(exact.nngp());
            for (int wi = 0; wi < WIDTHS.length; wi++) {
                Model m = build.apply(WIDTHS[wi]);
                double[] meanNtk = new double[n * n];
                double[] meanNngp = new double[n * n];
                for (int s = 0; s < SEEDS; s++) {
                    try (Params p = m.init(1000 + 17L * s + wi).toBackend(be, DType.F64)) {
                        try (Tensor k = new GenericNtk(m).withMeterRegistry(null).compute(p, xt, OutputAxes.TRACED)) {
                            add(meanNtk, be.toHost(k), 1.0 / SEEDS);
                        }
                        add(meanNngp, readoutNngp(m, p, xt), 1.0 / SEEDS);
                    }
                }
                ntkErr[wi] = relativeError(meanNtk, ntk);
                nngpErr[wi] = relativeError(meanNngp, nngp);
            }
        }
        String msg = name + ": relative errors at widths " + Arrays.toString(WIDTHS) + ": NTK " + Arrays.toString(ntkErr)
                + ", NNGP " + Arrays.toString(nngpErr);
        System.out.println(msg);
        for (double[] err : new double[][] {ntkErr, nngpErr}) {
            assertTrue(err[2] < err[0] / 2 && err[2] < 0.1, msg);
        }
    }

    /** σ_w²·h·h'ᵀ/d + σ_b² of the features h the readout (1.0, σ_b) reads, for one draw. */
    private static double[] readoutNngp(Model m, Params p, Tensor x) {
        List<Layer> layers = ((org.ntk4j.nn.layers.Serial) m.root()).layers();
        Model body = new Model(m.inputShape(), Layers.serial(layers.subList(0, layers.size() - 1).toArray(Layer[]::new)));
        int count = body.parameters().size();
        try (LayerTrace t = body.forward(be, p.tensors().subList(0, count), x)) {
            Tensor h = t.output();
            try (Tensor g = be.zeros(x.rows(), x.rows(), DType.F64)) {
                be.gemm(1.0 / h.cols(), h, false, h, true, 0, g);
                be.affine(1.0, g, SB * SB, g);
                return be.toHost(g);
            }
        }
    }

    private static void add(double[] acc, double[] v, double w) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += w * v[i];
        }
    }

    private static double relativeError(double[] a, double[] exact) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - exact[i]) * (a[i] - exact[i]);
            den += exact[i] * exact[i];
        }
        return Math.sqrt(num / den);
    }
}
