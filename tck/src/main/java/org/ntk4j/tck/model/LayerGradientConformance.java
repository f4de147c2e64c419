package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ntk4j.tck.model.LayerTesting.H;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.LayerTrace;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Every layer's backward passes against central finite differences of its forward pass (F64, step 1e-5,
 * tolerance 1e-7·(1 + |derivative|)): the input and parameter cotangents of the vjp, and the per-sample Jacobian
 * rows of the kernel's backward pass (their sum over samples is the vjp's parameter cotangent).
 */
public abstract class LayerGradientConformance extends ModelConformanceGroup {

    /** For subclasses. */
    protected LayerGradientConformance() {
    }


    private static final int N = 3;



    static Stream<Arguments> layers() {
        List<Arguments> out = new ArrayList<>();
        Shape v5 = Shape.vector(5);
        out.add(Arguments.of(Model.of(v5, Layers.dense(4))));
        out.add(Arguments.of(Model.of(v5, Layers.dense(3, Parameterization.STANDARD, 1.3, 0.4, false))));
        out.add(Arguments.of(Model.of(Shape.image(5, 4, 2), Layers.conv(3, 3, 3))));
        out.add(Arguments.of(Model.of(Shape.image(5, 6, 2), Layers.conv(2, 2, 3, 2, Padding.SAME))));
        out.add(Arguments.of(Model.of(Shape.image(6, 5, 1), Layers.conv(2, 3, 3, 2, Padding.VALID))));
        out.add(Arguments.of(Model.of(Shape.image(4, 4, 2),
                Layers.conv(2, 2, 2, 1, Padding.VALID, Parameterization.STANDARD, 1.5, 0.2, false))));
        out.add(Arguments.of(Model.of(Shape.image(4, 6, 2), Layers.avgPool(2, 2))));
        out.add(Arguments.of(Model.of(Shape.image(7, 5, 2), Layers.avgPool(2, 3))));
        out.add(Arguments.of(Model.of(Shape.image(4, 4, 1), Layers.avgPool(3, 1))));
        out.add(Arguments.of(Model.of(Shape.image(3, 4, 2), Layers.globalAvgPool())));
        out.add(Arguments.of(Model.of(Shape.image(2, 3, 2), Layers.flatten())));
        out.add(Arguments.of(Model.of(Shape.vector(7), Layers.layerNorm())));
        out.add(Arguments.of(Model.of(Shape.image(2, 2, 3), Layers.layerNorm())));
        for (Activation.Kind k : Activation.Kind.values()) {
            Activation f = k == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(0.2) : new Activation.Builtin(k, 0);
            out.add(Arguments.of(Model.of(Shape.vector(6), Layers.activation(f))));
        }
        out.add(Arguments.of(Model.of(v5, Layers.residual(Layers.dense(5), Layers.activation(Activation.TANH),
                Layers.dense(5)))));
        out.add(Arguments.of(Model.of(Shape.image(4, 4, 2), Layers.residual(Layers.conv(2, 3, 3),
                Layers.activation(Activation.ERF)), Layers.flatten(), Layers.dense(2))));
        return out.stream();
    }

    /** ⟨G, f(x; θ)⟩ on the host values. */
    private double loss(Model m, double[] theta, double[] x, double[] g) {
        double[] y = LayerTesting.forward(be, m, theta, x, N);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += g[i] * y[i];
        }
        return s;
    }

    private static void assertDerivative(double fd, double analytic, String what) {
        assertEquals(fd, analytic, 1e-7 * (1 + Math.abs(analytic)), what);
    }

    @ParameterizedTest
    @MethodSource("layers")
    void backwardPassesMatchFiniteDifferences(Model m) {
        int in = m.inputShape().size();
        double[] x = LayerTesting.values(1, N * in);
        double[] theta = LayerTesting.flat(m.init(5));
        double[] g = LayerTesting.values(2, N * m.outputDim());
        double[] dx;
        List<double[]> dtheta = new ArrayList<>();
        List<double[]> jacobianSums = new ArrayList<>();
        double[] dxFromBackward;
        List<Tensor> p = LayerTesting.tensors(be, m, theta);
        try (Tensor xt = be.fromHost(x, N, in, DType.F64);
             Tensor gt = be.fromHost(g, N, m.outputDim(), DType.F64); LayerTrace t = m.forward(be, p, xt);
             LayerTrace.Cotangents c = t.vjp(gt)) {
            dx = be.toHost(c.input());
            c.params().forEach(q -> dtheta.add(be.toHost(q)));
            for (int k = 0; k < p.size(); k++) {
                jacobianSums.add(null);
            }
            try (Tensor back = t.backward(gt, true, (k, rows) -> {
                try (rows) {
                    assertEquals(N, rows.rows(), "Jacobian rows of parameter " + k);
                    double[] v = be.toHost(rows);
                    double[] sum = new double[rows.cols()];
                    for (int i = 0; i < v.length; i++) {
                        sum[i % rows.cols()] += v[i];
                    }
                    jacobianSums.set(k, sum);
                }
            })) {
                dxFromBackward = be.toHost(back);
            }
        } finally {
            p.forEach(Tensor::close);
        }
        for (int i = 0; i < x.length; i++) {
            double[] xp = x.clone();
            xp[i] = x[i] + H;
            double up = loss(m, theta, xp, g);
            xp[i] = x[i] - H;
            double down = loss(m, theta, xp, g);
            assertDerivative((up - down) / (2 * H), dx[i], m + ": input cotangent " + i);
            assertEquals(dx[i], dxFromBackward[i], 1e-12 * (1 + Math.abs(dx[i])), m + ": backward input " + i);
        }
        int off = 0;
        for (int k = 0; k < dtheta.size(); k++) {
            double[] d = dtheta.get(k);
            for (int i = 0; i < d.length; i++) {
                double[] tp = theta.clone();
                tp[off + i] = theta[off + i] + H;
                double up = loss(m, tp, x, g);
                tp[off + i] = theta[off + i] - H;
                double down = loss(m, tp, x, g);
                String what = m + ": parameter " + m.parameterNames().get(k) + "[" + i + "]";
                assertDerivative((up - down) / (2 * H), d[i], what);
                assertEquals(d[i], jacobianSums.get(k)[i], 1e-12 * (1 + Math.abs(d[i])), what + ", Jacobian rows");
            }
            off += d.length;
        }
    }
}
