package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.ModelNtk;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.DenseChains;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Optimizer;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import org.ntk4j.train.MlpObjective;
import org.ntk4j.train.ModelObjective;
import org.ntk4j.train.PhaseTimes;

/**
 * The objective of any layered model: its gradient against central finite differences of its loss, its
 * linearization (kernel, vector–Jacobian product) against the MLP path on a dense chain, and every optimizer
 * lowering the loss of a small conv, pooling, layer-norm and residual model on 8×8 digits.
 */
public abstract class ModelObjectiveConformance extends ModelConformanceGroup {

    /** For subclasses. */
    protected ModelObjectiveConformance() {
    }





    /** conv → relu → avgPool → residual(conv, tanh) → layerNorm → globalAvgPool → dense, on (8, 8, 1). */
    static Model cnn() {
        return Model.of(Shape.image(8, 8, 1), Layers.conv(4, 3, 3), Layers.relu(), Layers.avgPool(2, 2),
                Layers.residual(Layers.conv(4, 3, 3), Layers.activation(Activation.TANH)), Layers.layerNorm(),
                Layers.globalAvgPool(), Layers.dense(10));
    }

    private static ModelObjective objective(Model m, Loss loss, Tensor x, Tensor y, ModelNtk ntk) {
        return new ModelObjective(m, loss, x, y, ntk.withMeterRegistry(null), new PhaseTimes(Clock.SYSTEM), null);
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    @DisplayName("the gradient equals central finite differences of the loss (1e-6 relative)")
    void gradientMatchesFiniteDifferences(Loss loss) {
        Model m = Model.of(Shape.image(4, 4, 2), Layers.conv(3, 3, 3), Layers.activation(Activation.ERF),
                Layers.avgPool(2, 1), Layers.residual(Layers.conv(3, 2, 2), Layers.activation(Activation.TANH)),
                Layers.layerNorm(), Layers.flatten(), Layers.dense(3));
        int n = 4;
        double[] theta = LayerTesting.flat(m.init(5));
        double[] x = LayerTesting.values(6, n * m.inputShape().size());
        double[] y = new double[n * 3]; // one-hot targets: softmax cross-entropy's gradient p − y needs Σy = 1
        for (int i = 0; i < n; i++) {
            y[i * 3 + i % 3] = 1;
        }
        try (TensorScope s = be.scope()) {
            Tensor xt = be.fromHost(x, n, m.inputShape().size(), DType.F64);
            Tensor yt = be.fromHost(y, n, 3, DType.F64);
            ModelObjective f = objective(m, loss, xt, yt, new ModelNtk(m));
            double[] grad;
            double value;
            try (LossAndGradient g = f.lossAndGradient(LayerTesting.upload(be, m, theta))) {
                grad = g.gradients().toHostFlat();
                value = g.loss();
            }
            assertEquals(f.loss(LayerTesting.upload(be, m, theta)), value, 1e-14, "the same loss both ways");
            double[] fd = new double[theta.length];
            for (int k = 0; k < theta.length; k++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[k] += LayerTesting.H;
                minus[k] -= LayerTesting.H;
                fd[k] = (f.loss(LayerTesting.upload(be, m, plus)) - f.loss(LayerTesting.upload(be, m, minus)))
                        / (2 * LayerTesting.H);
            }
            LayerTesting.assertRelClose(fd, grad, 1e-6, loss + " gradient");
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    @DisplayName("on a dense chain: loss, output gradient, H·A, kernel and Jᵀu equal the MLP path's (1e-10)")
    void denseChainLinearizationEqualsMlpPath(Loss loss) {
        Mlp mlp = Mlp.builder(6, 9, 7, 4).activation(Activation.GELU).sigmaW(1.3).sigmaB(0.2).build();
        Model m = DenseChains.model(mlp);
        assertEquals(mlp, DenseChains.mlp(m).orElseThrow(), "recognized as the same chain");
        assertTrue(new ModelNtk(m).structured(), "a dense chain takes the structured path");
        int n = 5;
        try (TensorScope s = be.scope()) {
            Params p = m.init(3).toBackend(be, DType.F64);
            Tensor x = be.fromHost(LayerTesting.values(8, n * 6), n, 6, DType.F64);
            Tensor y = be.fromHost(LayerTesting.values(9, n * 4), n, 4, DType.F64);
            Tensor u = be.fromHost(LayerTesting.values(10, n * 4), n, 4, DType.F64);
            Tensor a = be.fromHost(LayerTesting.values(11, n * 4 * 3), n * 4, 3, DType.F64);
            MlpObjective reference = new MlpObjective(mlp, loss, x, y, new EmpiricalNtk(mlp).withMeterRegistry(null),
                    new PhaseTimes(Clock.SYSTEM), null);
            try (Linearization want = reference.linearize(p)) {
                for (ModelNtk ntk : new ModelNtk[] {new ModelNtk(m), new ModelNtk(m).generic()}) {
                    String what = loss + (ntk.structured() ? " structured" : " generic");
                    try (Linearization got = objective(m, loss, x, y, ntk).linearize(p)) {
                        assertEquals(want.loss(), got.loss(), 1e-14, what + " loss");
                        assertEquals(want.isotropicHessian(), got.isotropicHessian(), 0, what + " isotropic H");
                        LayerTesting.assertRelClose(be.toHost(want.outputGradient()), be.toHost(got.outputGradient()),
                                1e-12, what + " output gradient");
                        LayerTesting.assertRelClose(be.toHost(want.hessianTimes(a)), be.toHost(got.hessianTimes(a)),
                                1e-12, what + " H·A");
                        LayerTesting.assertRelClose(be.toHost(want.kernel()), be.toHost(got.kernel()), 1e-10,
                                what + " kernel");
                        try (Params jw = want.vjp(u); Params jg = got.vjp(u)) {
                            LayerTesting.assertRelClose(jw.toHostFlat(), jg.toHostFlat(), 1e-12, what + " Jᵀu");
                            assertEquals(m.parameterNames(), jg.names(), "named like the model");
                        }
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("a conv model's linearization: Jᵀ·(g/m) is the gradient, and the kernel is J·Jᵀ (Θ·v = J·(Jᵀv))")
    void convLinearizationIsConsistent() {
        Model m = cnn();
        int n = 6;
        double[] theta = LayerTesting.flat(m.init(2));
        Dataset digits = Digits.load().scaled(1.0 / 16);
        double[] x = Arrays.copyOf(digits.features(), n * 64);
        double[] y = Arrays.copyOf(digits.oneHot(), n * 10);
        try (TensorScope s = be.scope()) {
            Params p = LayerTesting.upload(be, m, theta);
            Tensor xt = be.fromHost(x, n, 64, DType.F64);
            Tensor yt = be.fromHost(y, n, 10, DType.F64);
            ModelObjective f = objective(m, Loss.SOFTMAX_CROSS_ENTROPY, xt, yt, new ModelNtk(m));
            assertFalse(new ModelNtk(m).structured(), "a conv model takes the generic path");
            try (Linearization lin = f.linearize(p); LossAndGradient g = f.lossAndGradient(p)) {
                Tensor scaled = be.copy(lin.outputGradient());
                be.scale(1.0 / n, scaled, scaled);
                try (Params jt = lin.vjp(scaled)) {
                    LayerTesting.assertRelClose(g.gradients().toHostFlat(), jt.toHostFlat(), 1e-12, "Jᵀ(g/m)");
                }
                // Θ·v = J·(Jᵀ·v): Jᵀ·v by the vjp, then J·w by central differences of the outputs along w
                double[] v = LayerTesting.values(12, n * 10);
                Tensor thetaVt = be.zeros(n * 10, 1, DType.F64);
                be.gemm(1, lin.kernel(), false, be.fromHost(v, n * 10, 1, DType.F64), false, 0, thetaVt);
                double[] thetaV = be.toHost(thetaVt);
                double[] w;
                try (Params jv = lin.vjp(be.fromHost(v, n, 10, DType.F64))) {
                    w = jv.toHostFlat();
                }
                double h = 1e-6;
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                for (int k = 0; k < theta.length; k++) {
                    plus[k] += h * w[k];
                    minus[k] -= h * w[k];
                }
                double[] fp = LayerTesting.forward(be, m, plus, x, n);
                double[] fm = LayerTesting.forward(be, m, minus, x, n);
                double[] jw = new double[fp.length];
                for (int i = 0; i < fp.length; i++) {
                    jw[i] = (fp[i] - fm[i]) / (2 * h);
                }
                LayerTesting.assertRelClose(jw, thetaV, 1e-6, "Θ·v");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "adam", "proximal-ntk"})
    @DisplayName("every optimizer lowers the loss of a conv/pool/layer-norm/residual model on one batch")
    void everyOptimizerTrainsACnn(String name) {
        Model m = cnn();
        OptimizerOptions o = switch (name) {
            case "sgd", "momentum" -> OptimizerOptions.of("lr", 2.0);
            case "adam" -> OptimizerOptions.of("lr", 0.03);
            default -> OptimizerOptions.defaults();
        };
        double[] losses = train(m, Optimizers.create(name, o), Loss.MSE, 32, 12);
        double first = losses[0];
        double last = losses[losses.length - 1];
        assertTrue(last < 0.8 * first, name + ": the loss fell from " + first + " to " + last + " only: "
                + Arrays.toString(losses));
    }

    /** Steps on a fixed batch of the first {@code n} digits as 8×8×1 images; returns the loss before every step. */
    private <S extends OptimizerState> double[] train(Model m, Optimizer<S> opt, Loss loss, int n, int steps) {
        Dataset digits = Digits.load().scaled(1.0 / 16);
        double[] losses = new double[steps + 1];
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(Arrays.copyOf(digits.features(), n * 64), n, 64, DType.F64);
            Tensor y = be.fromHost(Arrays.copyOf(digits.oneHot(), n * 10), n, 10, DType.F64);
            ModelNtk ntk = new ModelNtk(m);
            Params p = m.init(1).toBackend(be, DType.F64);
            S state = opt.init(p);
            for (int t = 0; t < steps; t++) {
                ModelObjective f = objective(m, loss, x, y, ntk);
                Update<S> u = opt.update(f, state, p);
                losses[t] = f.firstLoss();
                p = Optimizers.applyUpdates(p, u.updates());
                state = u.state();
            }
            losses[steps] = objective(m, loss, x, y, ntk).loss(p);
        }
        return losses;
    }
}
