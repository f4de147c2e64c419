package org.ntk4j.backend.ejml.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.KernelValue;
import org.ntk4j.nn.layers.KernelValue.Layout;
import org.ntk4j.nn.layers.Layer;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tck.model.LayerTesting;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * A model's kernel computed pair by pair (the path {@link Model#kernel} takes for leading average pools, conv and
 * activation layers read out by flatten or globalAvgPool) equals the layer-by-layer maps of its root layer on the
 * whole-block tensors to 1e-12 relative, NNGP and NTK, cross and symmetric blocks.
 */
class PairKernelsTest {

    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    private static Layer dense(int out, double sw, double sb) {
        return Layers.dense(out, Parameterization.NTK, sw, sb, true);
    }

    private static Layer conv(int k, int stride, Padding padding, double sw, double sb, boolean bias) {
        return Layers.conv(3, k, k, stride, padding, Parameterization.NTK, sw, sb, bias);
    }

    static Stream<Arguments> models() {
        Layer relu = Layers.relu();
        return Stream.of(
                Arguments.of("conv-relu-conv(stride 2)-relu-gap", Layout.FULL, Model.of(Shape.image(5, 5, 2),
                        conv(3, 1, Padding.SAME, 1.4, 0.1, true), relu,
                        conv(3, 2, Padding.SAME, 1.3, 0.2, true), relu, Layers.globalAvgPool(), dense(1, 1.2, 0.1))),
                Arguments.of("conv-relu-conv-relu-flatten", Layout.DIAGONAL, Model.of(Shape.image(5, 4, 2),
                        conv(3, 1, Padding.SAME, 1.4, 0.1, true), relu,
                        conv(2, 1, Padding.VALID, 1.1, 0, false), relu, Layers.flatten(), dense(2, 1.0, 0.1))),
                Arguments.of("avgpool-conv-erf-flatten-layernorm", Layout.DIAGONAL, Model.of(Shape.image(6, 6, 1),
                        Layers.avgPool(2, 2), conv(3, 1, Padding.SAME, 1.5, 0.05, true),
                        Layers.activation(Activation.ERF), Layers.flatten(), Layers.layerNorm(), dense(1, 1.0, 0))),
                Arguments.of("avgpool-conv-leaky-conv-gelu-gap", Layout.FULL, Model.of(Shape.image(6, 6, 1),
                        Layers.avgPool(2, 1), conv(3, 1, Padding.SAME, 1.2, 0.1, true),
                        Layers.activation(Activation.parse("leaky_relu:0.2")),
                        conv(3, 2, Padding.VALID, 1.3, 0.1, true), Layers.activation(Activation.GELU),
                        Layers.globalAvgPool(), dense(3, 1.1, 0.1), relu, dense(1, 1.0, 0))),
                Arguments.of("relu-flatten (no weight layer before the read-out)", Layout.DIAGONAL,
                        Model.of(Shape.image(3, 3, 2), relu, Layers.flatten(), dense(1, 1.0, 0.1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @DisplayName("pair by pair equals the layer-by-layer maps")
    void pairsEqualLayers(String name, Layout layout, Model model) {
        assertEquals(layout, model.kernelLayout());
        int d = model.inputShape().size();
        try (Tensor x1 = be.fromHost(LayerTesting.values(31, 4 * d), 4, d, DType.F64);
             Tensor x2 = be.fromHost(LayerTesting.values(32, 3 * d), 3, d, DType.F64)) {
            compare(model, x1, x2);
            compare(model, x1, null);
        }
    }

    private static void compare(Model model, Tensor x1, Tensor x2) {
        Layout reference = model.root().kernelNeedsFullSpatial() ? Layout.FULL : Layout.DIAGONAL;
        try (KernelValue fast = model.kernel(be, x1, x2);
             KernelValue in = KernelValue.inputs(be, x1, x2, model.inputShape(), reference);
             KernelValue layered = model.root().kernel(in)) {
            assertEquals(Layout.VECTOR, fast.layout());
            LayerKernelClosedFormTest.assertClose(be.toHost(layered.nngp()), be.toHost(fast.nngp()), 1e-12);
            LayerKernelClosedFormTest.assertClose(be.toHost(layered.ntk()), be.toHost(fast.ntk()), 1e-12);
            boolean nonZero = false;
            for (double v : be.toHost(fast.ntk())) {
                nonZero |= v != 0;
            }
            assertEquals(true, nonZero, "the NTK is zero");
            for (boolean first : new boolean[] {true, false}) {
                if (x2 != null || first) {
                    LayerKernelClosedFormTest.assertClose(layered.variances(first), fast.variances(first), 1e-12);
                }
            }
        }
    }
}
