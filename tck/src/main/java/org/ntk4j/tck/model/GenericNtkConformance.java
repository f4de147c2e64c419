package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
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
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.GenericNtk;
import org.ntk4j.kernel.HostMatrix;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.Layer;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The generic empirical NTK against J·J'ᵀ with J formed column by column by central finite differences of the
 * forward pass (1e-6 relative), on conv, pooling, layer-norm and residual models, full and traced, cross and
 * tiled; and against the structured kernel of the equivalent {@link Mlp} on dense chains (1e-10 relative).
 */
public abstract class GenericNtkConformance extends ModelConformanceGroup {

    /** For subclasses. */
    protected GenericNtkConformance() {
    }





    static Stream<Arguments> models() {
        Layer tanh = Layers.activation(Activation.TANH);
        Layer erf = Layers.activation(Activation.ERF);
        Layer gelu = Layers.activation(Activation.GELU);
        return Stream.of(
                Arguments.of("conv", Model.of(Shape.image(4, 5, 2), Layers.conv(3, 3, 3), erf,
                        Layers.conv(2, 2, 2, 2, Padding.VALID), tanh, Layers.flatten(), Layers.dense(3))),
                Arguments.of("pool", Model.of(Shape.image(5, 4, 2), Layers.conv(3, 2, 2, 1, Padding.SAME,
                        Parameterization.STANDARD, 1.2, 0.3, true), gelu, Layers.avgPool(2, 1), Layers.globalAvgPool(),
                        Layers.dense(2))),
                Arguments.of("layerNorm", Model.of(Shape.vector(4), Layers.dense(6), Layers.layerNorm(), tanh,
                        Layers.dense(3))),
                Arguments.of("residual", Model.of(Shape.vector(3), Layers.dense(5), tanh,
                        Layers.residual(Layers.dense(5), erf, Layers.dense(5)), Layers.dense(2))),
                Arguments.of("conv residual", Model.of(Shape.image(3, 3, 2), Layers.conv(2, 3, 3), tanh,
                        Layers.residual(Layers.conv(2, 3, 3), erf), Layers.layerNorm(), Layers.globalAvgPool(),
                        Layers.dense(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    @DisplayName("equals the contraction of the finite-difference Jacobian: full, traced, cross, tiled")
    void matchesFiniteDifferenceJacobian(String name, Model m) {
        int n1 = 3;
        int n2 = 2;
        int o = m.outputDim();
        int in = m.inputShape().size();
        double[] theta = LayerTesting.flat(m.init(11));
        double[] x1 = LayerTesting.values(1, n1 * in);
        double[] x2 = LayerTesting.values(2, n2 * in);
        double[][] j1 = LayerTesting.jacobian(be, m, theta, x1, n1);
        double[][] j2 = LayerTesting.jacobian(be, m, theta, x2, n2);
        double[] full11 = LayerTesting.contract(j1, j1);
        double[] full12 = LayerTesting.contract(j1, j2);
        GenericNtk ntk = new GenericNtk(m).withMeterRegistry(null);
        try (TensorScope s = be.scope()) {
            Params p = LayerTesting.upload(be, m, theta);
            Tensor t1 = be.fromHost(x1, n1, in, DType.F64);
            Tensor t2 = be.fromHost(x2, n2, in, DType.F64);
            double rel = 1e-6;
            LayerTesting.assertRelClose(full11, be.toHost(ntk.compute(p, t1, OutputAxes.FULL)), rel, name + " full");
            LayerTesting.assertRelClose(LayerTesting.traced(full11, n1, n1, o),
                    be.toHost(ntk.compute(p, t1, OutputAxes.TRACED)), rel, name + " traced");
            LayerTesting.assertRelClose(full12, be.toHost(ntk.compute(p, t1, t2, OutputAxes.FULL)), rel,
                    name + " cross full");
            LayerTesting.assertRelClose(LayerTesting.traced(full12, n1, n2, o),
                    be.toHost(ntk.compute(p, t1, t2, OutputAxes.TRACED)), rel, name + " cross traced");
            List<Integer> ticks = new ArrayList<>();
            HostMatrix tiled = ntk.computeTiled(p, t1, null, OutputAxes.FULL, 2, (done, total) -> ticks.add(done * 10 + total));
            LayerTesting.assertRelClose(full11, tiled.data(), rel, name + " tiled full");
            assertEquals(List.of(13, 23, 33), ticks, "three tiles on and above the diagonal of a 2×2 block grid");
            HostMatrix tiledCross = ntk.computeTiled(p, t1, t2, OutputAxes.TRACED, 2, (done, total) -> { });
            LayerTesting.assertRelClose(LayerTesting.traced(full12, n1, n2, o), tiledCross.data(), rel,
                    name + " tiled cross traced");
        }
    }

    static Stream<Arguments> mlps() {
        List<Arguments> out = new ArrayList<>();
        Activation[] acts = {Activation.RELU, Activation.ERF, Activation.leakyRelu(0.2), Activation.GELU};
        int[][] shapes = {{3, 2}, {4, 6, 5, 3}, {5, 7, 6, 4}};
        int k = 0;
        for (int[] w : shapes) {
            for (Parameterization p : Parameterization.values()) {
                for (boolean bias : new boolean[] {true, false}) {
                    out.add(Arguments.of(Mlp.builder(w).activation(acts[k++ % acts.length]).parameterization(p)
                            .bias(bias).sigmaW(1.2).sigmaB(0.3).build()));
                }
            }
        }
        return out.stream();
    }

    /** serial(dense, φ, dense, φ, …, dense) with the MLP's settings. */
    static Model asModel(Mlp mlp) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < mlp.depth(); l++) {
            if (l > 0) {
                layers.add(Layers.activation(mlp.activation()));
            }
            layers.add(Layers.dense(mlp.width(l + 1), mlp.parameterization(), mlp.sigmaW(), mlp.sigmaB(),
                    mlp.hasBias()));
        }
        return Model.of(Shape.vector(mlp.inputDim()), layers.toArray(new Layer[0]));
    }

    @ParameterizedTest
    @MethodSource("mlps")
    @DisplayName("on a dense chain: the same initialization as the Mlp, and the structured kernel to 1e-10")
    void equalsStructuredKernelOfTheMlp(Mlp mlp) {
        Model m = asModel(mlp);
        ModelParams mp = m.init(23);
        assertArrayEquals(mlp.init(23).flatten(), LayerTesting.flat(mp), "Model.init draws what Mlp.init draws");
        int n1 = 6;
        int n2 = 4;
        try (TensorScope s = be.scope()) {
            Params p = mp.toBackend(be, DType.F64);
            Tensor x1 = be.fromHost(LayerTesting.values(3, n1 * mlp.inputDim()), n1, mlp.inputDim(), DType.F64);
            Tensor x2 = be.fromHost(LayerTesting.values(4, n2 * mlp.inputDim()), n2, mlp.inputDim(), DType.F64);
            EmpiricalNtk structured = new EmpiricalNtk(mlp).withMeterRegistry(null);
            GenericNtk generic = new GenericNtk(m).withMeterRegistry(null);
            for (OutputAxes axes : OutputAxes.values()) {
                LayerTesting.assertRelClose(be.toHost(structured.compute(p, x1, axes)),
                        be.toHost(generic.compute(p, x1, axes)), 1e-10, mlp + " " + axes);
                LayerTesting.assertRelClose(be.toHost(structured.compute(p, x1, x2, axes)),
                        be.toHost(generic.compute(p, x1, x2, axes)), 1e-10, mlp + " cross " + axes);
            }
            try (Tensor a = m.apply(p, x1); Tensor b = mlp.apply(p, x1)) {
                LayerTesting.assertRelClose(be.toHost(b), be.toHost(a), 1e-13, mlp + " outputs");
            }
        }
    }

    @Test
    @DisplayName("dense chain serial(dense, relu, dense, relu, dense): tiled generic equals tiled structured")
    void tiledDenseChain() {
        Mlp mlp = Mlp.builder(8, 16, 16, 3).build();
        Model m = Model.of(Shape.vector(8), Layers.dense(16), Layers.relu(), Layers.dense(16), Layers.relu(),
                Layers.dense(3));
        assertEquals(List.of("0/W", "0/b", "2/W", "2/b", "4/W", "4/b"), m.parameterNames());
        try (TensorScope s = be.scope()) {
            Params p = m.init(7).toBackend(be, DType.F64);
            Tensor x = be.fromHost(LayerTesting.values(9, 10 * 8), 10, 8, DType.F64);
            for (OutputAxes axes : OutputAxes.values()) {
                HostMatrix a = new EmpiricalNtk(mlp).withMeterRegistry(null).computeTiled(p, x, null, axes, 4,
                        (d, t) -> { });
                HostMatrix b = new GenericNtk(m).withMeterRegistry(null).computeTiled(p, x, null, axes, 3,
                        (d, t) -> { });
                LayerTesting.assertRelClose(a.data(), b.data(), 1e-10, "tiled " + axes);
            }
        }
    }
}
