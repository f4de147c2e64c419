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
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The layers' infinite-width kernel maps give the same NNGP and NTK on ND4J (F64) as on EJML, within the
 * conformance kit's F64 bound for the duals (1e-10 relative, here to the largest entry): dense, conv (SAME,
 * strided VALID), average and global average pooling, flatten, layer norm and residual blocks, with closed-form
 * and quadrature activations, as cross kernels and tiled. The kernel's diagonal (a sample with itself, correlation
 * 1) is held to {@value #DIAGONAL_REL} instead: there arccos has an infinite slope, so the ReLU duals turn a rounding
 * difference δ in the correlation into √(2δ)/(2π) ≈ 1e-9 in E[φ'φ'] (the empirical check of these maps is the
 * wide-network test on EJML).
 */
@DisplayName("The analytic kernels of layered models agree on ND4J and EJML")
class Nd4jKernelMapsAgreementTest {

    private static final double REL = 1e-10;
    private static final double DIAGONAL_REL = 1e-8;
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
                Arguments.of("mlp", Model.of(Shape.vector(7), Layers.dense(5), Layers.relu(), Layers.dense(5),
                        Layers.activation(Activation.GELU), Layers.dense(2))),
                Arguments.of("cnn-flatten", Model.of(Shape.image(6, 6, 2), Layers.conv(4, 3, 3), Layers.relu(),
                        Layers.conv(4, 2, 2, 2, Padding.VALID), Layers.activation(Activation.ERF), Layers.flatten(),
                        Layers.dense(3))),
                Arguments.of("cnn-gap", Model.of(Shape.image(6, 6, 2), Layers.conv(4, 3, 3), Layers.relu(),
                        Layers.avgPool(2, 1), Layers.conv(4, 3, 3), Layers.activation(Activation.TANH),
                        Layers.globalAvgPool(), Layers.dense(3))),
                Arguments.of("layerNorm residual", Model.of(Shape.image(5, 4, 3), Layers.conv(4, 3, 3),
                        Layers.layerNorm(), Layers.residual(Layers.relu(), Layers.conv(4, 3, 3)), Layers.relu(),
                        Layers.globalAvgPool(), Layers.dense(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @DisplayName("NNGP and NTK, cross and tiled, within 1e-10 of EJML")
    void agrees(String name, Model model) {
        int d = model.inputShape().size();
        double[] a = values(1, 5 * d);
        double[] b = values(2, 3 * d);
        AnalyticNtk k = AnalyticNtk.of(model).withMeterRegistry(null);
        double[][] ref = run(ejml, k, a, b, d);
        double[][] got = run(nd4j, k, a, b, d);
        for (int i = 0; i < ref.length; i++) {
            assertClose(ref[i], got[i], i < 2 ? 0 : 5, name + (i % 2 == 0 ? " NNGP" : " NTK") + (i < 2 ? " cross"
                    : " tiled"));
        }
    }

    private static double[][] run(Backend be, AnalyticNtk k, double[] a, double[] b, int d) {
        try (Tensor x1 = be.fromHost(a, 5, d, DType.F64); Tensor x2 = be.fromHost(b, 3, d, DType.F64);
             AnalyticNtk.Kernels cross = k.compute(be, x1, x2)) {
            AnalyticNtk.HostKernels tiled = k.computeTiled(be, x1, null, 2, (done, total) -> { });
            return new double[][] {be.toHost(cross.nngp()), be.toHost(cross.ntk()), tiled.nngp().data(),
                tiled.ntk().data()};
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

    /** @param n the side of a symmetric kernel, whose diagonal gets {@link #DIAGONAL_REL}; 0 for a cross kernel */
    private static void assertClose(double[] e, double[] a, int n, String what) {
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            boolean diagonal = n > 0 && i / n == i % n;
            assertEquals(e[i], a[i], (diagonal ? DIAGONAL_REL : REL) * scale, what + ", element " + i);
        }
    }
}
