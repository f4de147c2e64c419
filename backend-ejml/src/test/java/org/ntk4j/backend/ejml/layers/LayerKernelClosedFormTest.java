package org.ntk4j.backend.ejml.layers;

import org.ntk4j.tck.model.LayerTesting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.KernelValue;
import org.ntk4j.nn.layers.Layer;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The layers' infinite-width kernel maps against closed forms: dense chains equal the MLP recursion of
 * {@link AnalyticNtk} (1e-12), a 1×1 convolution is a dense layer at every position (DIAGONAL and FULL layouts),
 * k×k convolutions on 1×1 images are dense layers with σ_w/k, FULL and DIAGONAL agree where both apply, and the
 * kernels of pooling models are symmetric and positive semi-definite, tiled as untiled.
 */
class LayerKernelClosedFormTest {

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

    private static Layer conv(int out, int k, double sw, double sb) {
        return Layers.conv(out, k, k, 1, Padding.SAME, Parameterization.NTK, sw, sb, true);
    }

    static Stream<Arguments> activations() {
        return Stream.of(Arguments.of(Activation.RELU), Arguments.of(Activation.ERF), Arguments.of(Activation.TANH),
                Arguments.of(Activation.parse("leaky_relu:0.2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    @DisplayName("a dense chain as a model gives the MLP recursion's kernels, tiled and untiled, to 1e-12")
    void denseModelEqualsMlpRecursion(Activation f) {
        double sw = 1.3;
        double sb = 0.2;
        int d = 5;
        Model model = Model.of(Shape.vector(d), dense(7, sw, sb), Layers.activation(f), dense(7, sw, sb),
                Layers.activation(f), dense(3, sw, sb));
        AnalyticNtk mlp = AnalyticNtk.of(3, f, sw, sb).withMeterRegistry(null);
        AnalyticNtk layered = AnalyticNtk.of(model).withMeterRegistry(null);
        try (Tensor x1 = be.fromHost(LayerTesting.values(1, 6 * d), 6, d, DType.F64);
             Tensor x2 = be.fromHost(LayerTesting.values(2, 4 * d), 4, d, DType.F64);
             AnalyticNtk.Kernels a = mlp.compute(be, x1, x2);
             AnalyticNtk.Kernels b = layered.compute(be, x1, x2);
             AnalyticNtk.Kernels sa = mlp.compute(be, x1, null);
             AnalyticNtk.Kernels sbk = layered.compute(be, x1, null)) {
            assertClose(be.toHost(a.nngp()), be.toHost(b.nngp()), 1e-12);
            assertClose(be.toHost(a.ntk()), be.toHost(b.ntk()), 1e-12);
            assertClose(be.toHost(sa.ntk()), be.toHost(sbk.ntk()), 1e-12);
            AnalyticNtk.HostKernels t = layered.computeTiled(be, x1, null, 4, (done, total) -> { });
            assertClose(be.toHost(sa.nngp()), t.nngp().data(), 1e-12);
            assertClose(be.toHost(sa.ntk()), t.ntk().data(), 1e-12);
        }
    }

    @Test
    @DisplayName("a 1×1 conv stack is the MLP kernel of the pixel vectors at every pair of positions")
    void oneByOneConvIsDenseAtEveryPosition() {
        double sw = 1.4;
        double sb = 0.3;
        int h = 3;
        int w = 2;
        int c = 3;
        int p = h * w;
        Layer root = Layers.serial(conv(4, 1, sw, sb), Layers.relu(), conv(4, 1, sw, sb));
        Shape shape = Shape.image(h, w, c);
        int n1 = 3;
        int n2 = 2;
        double[] v1 = LayerTesting.values(3, n1 * p * c);
        double[] v2 = LayerTesting.values(4, n2 * p * c);
        AnalyticNtk mlp = AnalyticNtk.of(2, Activation.RELU, sw, sb).withMeterRegistry(null);
        for (KernelValue.Layout layout : new KernelValue.Layout[] {KernelValue.Layout.DIAGONAL,
            KernelValue.Layout.FULL}) {
            boolean full = layout == KernelValue.Layout.FULL;
            try (Tensor x1 = be.fromHost(v1, n1, p * c, DType.F64); Tensor x2 = be.fromHost(v2, n2, p * c, DType.F64);
                 KernelValue in = KernelValue.inputs(be, x1, x2, shape, layout);
                 KernelValue out = root.kernel(in)) {
                double[] sigma = be.toHost(out.nngp());
                double[] theta = be.toHost(out.ntk());
                for (int i = 0; i < p; i++) {
                    for (int j = full ? 0 : i; j < (full ? p : i + 1); j++) {
                        int row = full ? i * p + j : i;
                        try (Tensor a = be.fromHost(pixels(v1, n1, p, c, i), n1, c, DType.F64);
                             Tensor b = be.fromHost(pixels(v2, n2, p, c, j), n2, c, DType.F64);
                             AnalyticNtk.Kernels k = mlp.compute(be, a, b)) {
                            double[] ks = be.toHost(k.nngp());
                            double[] kt = be.toHost(k.ntk());
                            for (int e = 0; e < n1 * n2; e++) {
                                assertEquals(ks[e], sigma[row * n1 * n2 + e], 1e-13 * (1 + Math.abs(ks[e])),
                                        layout + " Σ at positions " + i + ", " + j);
                                assertEquals(kt[e], theta[row * n1 * n2 + e], 1e-13 * (1 + Math.abs(kt[e])),
                                        layout + " Θ at positions " + i + ", " + j);
                            }
                        }
                    }
                }
            }
        }
    }

    private static double[] pixels(double[] x, int n, int p, int c, int pos) {
        double[] out = new double[n * c];
        for (int a = 0; a < n; a++) {
            System.arraycopy(x, (a * p + pos) * c, out, a * c, c);
        }
        return out;
    }

    @Test
    @DisplayName("k×k SAME convolutions on 1×1 images read out by flatten are the MLP kernel with σ_w/k")
    void convStackOnOneByOneImagesEqualsMlp() {
        double sw = 1.2;
        double sb = 0.25;
        int d = 4;
        Model model = Model.of(Shape.image(1, 1, d), conv(5, 3, 3 * sw, sb), Layers.activation(Activation.ERF),
                conv(5, 5, 5 * sw, sb), Layers.relu(), Layers.flatten(), dense(2, sw, sb));
        AnalyticNtk mlp = AnalyticNtk.of(3, Activation.ERF, sw, sb).withMeterRegistry(null);
        // the MLP recursion uses one activation throughout: compare with the dense model of the same layers instead
        Model dense = Model.of(Shape.vector(d), dense(5, sw, sb), Layers.activation(Activation.ERF), dense(5, sw, sb),
                Layers.relu(), dense(2, sw, sb));
        try (Tensor x1 = be.fromHost(LayerTesting.values(5, 5 * d), 5, d, DType.F64);
             Tensor x2 = be.fromHost(LayerTesting.values(6, 3 * d), 3, d, DType.F64);
             AnalyticNtk.Kernels a = AnalyticNtk.of(dense).withMeterRegistry(null).compute(be, x1, x2);
             AnalyticNtk.Kernels b = AnalyticNtk.of(model).withMeterRegistry(null).compute(be, x1, x2)) {
            assertClose(be.toHost(a.nngp()), be.toHost(b.nngp()), 1e-12);
            assertClose(be.toHost(a.ntk()), be.toHost(b.ntk()), 1e-12);
        }
        Model same = Model.of(Shape.image(1, 1, d), conv(5, 3, 3 * sw, sb), Layers.activation(Activation.ERF),
                conv(5, 3, 3 * sw, sb), Layers.activation(Activation.ERF), Layers.flatten(), dense(2, sw, sb));
        try (Tensor x = be.fromHost(LayerTesting.values(7, 4 * d), 4, d, DType.F64);
             AnalyticNtk.Kernels a = mlp.compute(be, x, null);
             AnalyticNtk.Kernels b = AnalyticNtk.of(same).withMeterRegistry(null).compute(be, x, null)) {
            assertClose(be.toHost(a.nngp()), be.toHost(b.nngp()), 1e-12);
            assertClose(be.toHost(a.ntk()), be.toHost(b.ntk()), 1e-12);
        }
    }

    @Test
    @DisplayName("a model without pooling gives the same kernel from the FULL and the DIAGONAL layouts")
    void fullAndDiagonalAgree() {
        Shape shape = Shape.image(4, 3, 2);
        Layer root = Layers.serial(conv(3, 3, 1.5, 0.1), Layers.relu(), Layers.conv(3, 2, 2, 2, Padding.VALID),
                Layers.activation(Activation.TANH), Layers.layerNorm(), Layers.flatten(), dense(2, 1.1, 0.2));
        try (Tensor x1 = be.fromHost(LayerTesting.values(8, 4 * 24), 4, 24, DType.F64);
             Tensor x2 = be.fromHost(LayerTesting.values(9, 3 * 24), 3, 24, DType.F64);
             KernelValue d = KernelValue.inputs(be, x1, x2, shape, KernelValue.Layout.DIAGONAL);
             KernelValue f = KernelValue.inputs(be, x1, x2, shape, KernelValue.Layout.FULL);
             KernelValue kd = root.kernel(d);
             KernelValue kf = root.kernel(f)) {
            assertClose(be.toHost(kd.nngp()), be.toHost(kf.nngp()), 1e-12);
            assertClose(be.toHost(kd.ntk()), be.toHost(kf.ntk()), 1e-12);
        }
    }

    @Test
    @DisplayName("CNN-GAP and pooling kernels are symmetric, positive semi-definite, and tiled equals untiled")
    void poolingKernelsAreSymmetricPsd() {
        Model model = Model.of(Shape.image(5, 5, 2), conv(4, 3, 1.4, 0.1), Layers.relu(), Layers.avgPool(2, 1),
                conv(4, 3, 1.4, 0.1), Layers.relu(), Layers.globalAvgPool(), dense(1, 1.0, 0.1));
        assertEquals(KernelValue.Layout.FULL, model.kernelLayout());
        AnalyticNtk k = AnalyticNtk.of(model).withMeterRegistry(null);
        int n = 7;
        try (Tensor x = be.fromHost(LayerTesting.values(10, n * 50), n, 50, DType.F64);
             AnalyticNtk.Kernels whole = k.compute(be, x, null)) {
            double[] s = be.toHost(whole.nngp());
            double[] t = be.toHost(whole.ntk());
            for (double[] m : new double[][] {s, t}) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(m[i * n + j], m[j * n + i], 1e-13 * Math.abs(m[i * n + j]));
                    }
                }
                try (Tensor mt = be.fromHost(m, n, n, DType.F64); var se = be.symmetricEigen(mt)) {
                    double[] eig = be.toHost(se.values());
                    assertTrue(eig[0] > -1e-12 * eig[n - 1], "smallest eigenvalue " + eig[0]);
                }
            }
            AnalyticNtk.HostKernels tiled = k.computeTiled(be, x, null, 3, (done, total) -> { });
            assertClose(s, tiled.nngp().data(), 1e-13);
            assertClose(t, tiled.ntk().data(), 1e-13);
        }
    }

    @Test
    @DisplayName("refused with one line: pooling without the full covariance, layer norm after ReLU, image outputs")
    void refusals() {
        Layer pool = Layers.avgPool(2, 2);
        try (Tensor x = be.fromHost(LayerTesting.values(11, 2 * 16), 2, 16, DType.F64);
             KernelValue d = KernelValue.inputs(be, x, null, Shape.image(4, 4, 1), KernelValue.Layout.DIAGONAL)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.kernel(d));
            assertTrue(e.getMessage().contains("FULL"), e.getMessage());
        }
        Model ln = Model.of(Shape.vector(3), dense(4, 1, 0.1), Layers.relu(), Layers.layerNorm(), dense(1, 1, 0));
        try (Tensor x = be.fromHost(LayerTesting.values(12, 6), 2, 3, DType.F64)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AnalyticNtk.of(ln).withMeterRegistry(null).compute(be, x, null));
            assertTrue(e.getMessage().startsWith("layerNorm"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnalyticNtk.of(Model.of(Shape.image(3, 3, 1), conv(2, 3, 1, 0))));
        assertTrue(e.getMessage().contains("flatten"), e.getMessage());
    }

    @Test
    @DisplayName("a model of which not even one pair fits in the heap is refused before any work, in one line")
    void tooLargeForTheHeapIsRefused() {
        Model big = Model.of(Shape.image(128, 128, 1), conv(2, 3, 1, 0), Layers.relu(), Layers.globalAvgPool(),
                dense(1, 1, 0));
        assertTrue(big.kernelBytes(1, 1) > Runtime.getRuntime().maxMemory(), "estimate " + big.kernelBytes(1, 1));
        try (Tensor x = be.fromHost(new double[2 * 16384], 2, 16384, DType.F64)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AnalyticNtk.of(big).withMeterRegistry(null).compute(be, x, null));
            assertTrue(e.getMessage().contains("MiB") && e.getMessage().contains("FULL")
                    && e.getMessage().contains("not even one pair"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a kernel larger than the largest block is assembled from sub-blocks, equal to the tiles")
    void subBlocksAssemble() {
        Model model = Model.of(Shape.image(4, 4, 1), conv(3, 3, 1.3, 0.1), Layers.relu(), Layers.globalAvgPool(),
                dense(1, 1.0, 0.1));
        AnalyticNtk k = AnalyticNtk.of(model).withMeterRegistry(null).withMemoryBudget(model.kernelBytes(3, 3));
        assertEquals(3, k.largestBlock(9));
        try (Tensor x1 = be.fromHost(LayerTesting.values(13, 9 * 16), 9, 16, DType.F64);
             Tensor x2 = be.fromHost(LayerTesting.values(14, 5 * 16), 5, 16, DType.F64);
             AnalyticNtk.Kernels whole = k.compute(be, x1, x2)) {
            AnalyticNtk.HostKernels tiles = k.computeTiled(be, x1, x2, 2, (done, total) -> { });
            assertClose(tiles.nngp().data(), be.toHost(whole.nngp()), 1e-14);
            assertClose(tiles.ntk().data(), be.toHost(whole.ntk()), 1e-14);
            int[] rows = {0};
            k.computeRows(be, x1, x2, 4, (first, block) -> {
                double[] got = be.toHost(block.ntk());
                double[] want = java.util.Arrays.copyOfRange(tiles.ntk().data(), first * 5, first * 5 + got.length);
                assertClose(want, got, 1e-14);
                rows[0] += block.ntk().rows();
                block.close();
            });
            assertEquals(9, rows[0]);
        }
    }

    static void assertClose(double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * scale, "element " + i);
        }
    }
}
