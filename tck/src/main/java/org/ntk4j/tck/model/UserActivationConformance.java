package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.GenericNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Activations defined outside the library, one class each: {@link Swish} (no closed-form dual: the analytic kernels
 * integrate it by quadrature) and {@link Sine} (a closed-form dual, and odd). On the backend under test their
 * empirical NTK equals the contraction of the finite-difference Jacobian, and their analytic kernels agree with
 * Monte Carlo estimates and with the quadrature ({@link LayerTrainingConformance} trains models with them). The generic elementwise path
 * ({@link ActivationPaths}'s host methods) is checked against the scalar reference on every backend, whether or not
 * the backend accelerates the activation.
 */
public abstract class UserActivationConformance extends ModelConformanceGroup {

    /** For subclasses. */
    protected UserActivationConformance() {
    }

    /** swish (SiLU): φ(x) = x·σ(x), φ'(x) = σ(x)·(1 + x·(1 − σ(x))). No closed-form dual. */
    public static final class Swish implements Activation {

        @Override
        public double apply(double x) {
            return x * sigmoid(x);
        }

        @Override
        public double derivative(double x) {
            double s = sigmoid(x);
            return s * (1 + x * (1 - s));
        }

        @Override
        public String name() {
            return "swish";
        }

        private static double sigmoid(double x) {
            return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }
    }

    /**
     * φ(x) = sin(x), with its dual in closed form: for a centred Gaussian pair, E[sin u·sin v] = e^{−(q1+q2)/2}·sinh k
     * and E[cos u·cos v] = e^{−(q1+q2)/2}·cosh k (from E[cos(u ∓ v)] = e^{−Var(u ∓ v)/2}). Odd.
     */
    public static final class Sine implements Activation {

        private final boolean withDual;

        /** @param withDual whether to offer the closed-form dual; without it the kernels use quadrature */
        public Sine(boolean withDual) {
            this.withDual = withDual;
        }

        @Override
        public double apply(double x) {
            return Math.sin(x);
        }

        @Override
        public double derivative(double x) {
            return Math.cos(x);
        }

        @Override
        public String name() {
            return "sine";
        }

        @Override
        public Optional<Dual> dual() {
            return withDual ? Optional.of(Sine::dual) : Optional.empty();
        }

        @Override
        public boolean odd() {
            return true;
        }

        private static void dual(double q1, double q2, double k, double[] out) {
            double e = Math.exp(-0.5 * (q1 + q2));
            out[0] = e * Math.sinh(k);
            out[1] = e * Math.cosh(k);
        }
    }

    static final Activation SWISH = new Swish();
    static final Activation SINE = new Sine(true);

    @Test
    @DisplayName("the generic host path and the backend's path give φ and φ' of a user activation as apply and derivative do")
    void elementwise() {
        double[] x = LayerTesting.values(5, 7 * 9);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 6;
        }
        for (Activation f : List.of(SWISH, SINE)) {
            try (TensorScope s = be.scope()) {
                Tensor tx = be.fromHost(x, 7, 9, DType.F64);
                Tensor viaPaths = be.zeros(7, 9, DType.F64);
                Tensor viaHost = be.zeros(7, 9, DType.F64);
                Tensor dPaths = be.zeros(7, 9, DType.F64);
                Tensor dHost = be.copy(tx);
                ActivationPaths.map(be, f, tx, viaPaths);
                ActivationPaths.hostMap(be, f, tx, viaHost);
                ActivationPaths.mapDerivative(be, f, tx, dPaths);
                ActivationPaths.hostMapDerivative(be, f, dHost, dHost);
                double[] a = be.toHost(viaPaths);
                double[] b = be.toHost(viaHost);
                double[] da = be.toHost(dPaths);
                double[] db = be.toHost(dHost);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(f.apply(x[i]), a[i], 1e-15 * (1 + Math.abs(a[i])), f.name() + " map");
                    assertEquals(f.apply(x[i]), b[i], 0, f.name() + " host map");
                    assertEquals(f.derivative(x[i]), da[i], 1e-15 * (1 + Math.abs(da[i])), f.name() + " derivative");
                    assertEquals(f.derivative(x[i]), db[i], 0, f.name() + " host derivative, in place");
                }
            }
        }
    }

    @Test
    @DisplayName("the sine's closed-form dual equals the trapezoidal quadrature (1e-10) and Monte Carlo (5 standard errors)")
    void closedFormDual() {
        double[][] cases = {{0.7, 1.3, 0.4}, {1.1, 1.1, 1.1}, {0.5, 2.0, -0.9}, {1.5, 0.2, 0.0}};
        double[] cf = new double[2];
        double[] qd = new double[2];
        for (double[] c : cases) {
            ActivationDuals.dual(SINE, c[0], c[1], c[2], cf);
            ActivationDuals.quadrature(SINE, c[0], c[1], c[2], qd);
            assertEquals(qd[0], cf[0], 1e-10, "E[φφ] " + java.util.Arrays.toString(c));
            assertEquals(qd[1], cf[1], 1e-10, "E[φ'φ'] " + java.util.Arrays.toString(c));
            double[] mc = monteCarlo(SINE, c[0], c[1], c[2], 200_000, 17);
            assertEquals(mc[0], cf[0], 5 * mc[2], "Monte Carlo E[φφ] " + java.util.Arrays.toString(c));
            assertEquals(mc[1], cf[1], 5 * mc[3], "Monte Carlo E[φ'φ'] " + java.util.Arrays.toString(c));
        }
    }

    @Test
    @DisplayName("a layered model with user activations: the generic eNTK equals the finite-difference Jacobian's contraction")
    void empiricalNtkMatchesFiniteDifferences() {
        Model m = Model.of(Shape.vector(4), Layers.dense(6), Layers.activation(SWISH), Layers.dense(5),
                Layers.activation(SINE), Layers.dense(3));
        int n1 = 3;
        int n2 = 2;
        double[] theta = LayerTesting.flat(m.init(31));
        double[] x1 = LayerTesting.values(32, n1 * 4);
        double[] x2 = LayerTesting.values(33, n2 * 4);
        double[][] j1 = LayerTesting.jacobian(be, m, theta, x1, n1);
        double[][] j2 = LayerTesting.jacobian(be, m, theta, x2, n2);
        GenericNtk ntk = new GenericNtk(m).withMeterRegistry(null);
        try (TensorScope s = be.scope()) {
            Params p = LayerTesting.upload(be, m, theta);
            Tensor t1 = be.fromHost(x1, n1, 4, DType.F64);
            Tensor t2 = be.fromHost(x2, n2, 4, DType.F64);
            LayerTesting.assertRelClose(LayerTesting.contract(j1, j1), be.toHost(ntk.compute(p, t1, OutputAxes.FULL)),
                    1e-6, "full");
            LayerTesting.assertRelClose(LayerTesting.contract(j1, j2),
                    be.toHost(ntk.compute(p, t1, t2, OutputAxes.FULL)), 1e-6, "cross full");
        }
    }

    @Test
    @DisplayName("an Mlp with a user activation: the structured eNTK equals the generic one (1e-10)")
    void structuredNtkEqualsGeneric() {
        Mlp mlp = Mlp.builder(4, 7, 6, 2).activation(SWISH).sigmaW(1.2).sigmaB(0.3).build();
        Model m = GenericNtkConformance.asModel(mlp);
        try (TensorScope s = be.scope()) {
            Params p = m.init(5).toBackend(be, DType.F64);
            Tensor x = be.fromHost(LayerTesting.values(6, 5 * 4), 5, 4, DType.F64);
            for (OutputAxes axes : OutputAxes.values()) {
                LayerTesting.assertRelClose(be.toHost(new EmpiricalNtk(mlp).withMeterRegistry(null).compute(p, x, axes)),
                        be.toHost(new GenericNtk(m).withMeterRegistry(null).compute(p, x, axes)), 1e-10, "swish " + axes);
            }
        }
    }

    @Test
    @DisplayName("the analytic NTK of a swish network (by quadrature) agrees with a Monte Carlo recursion (5 standard errors)")
    void analyticKernelByQuadrature() {
        double sw = 1.4;
        double sb = 0.3;
        int d = 3;
        int n = 3;
        double[] x = LayerTesting.values(41, n * d);
        double[] nngp;
        double[] ntk;
        try (Tensor tx = be.fromHost(x, n, d, DType.F64);
             AnalyticNtk.Kernels k = AnalyticNtk.of(2, SWISH, sw, sb).withMeterRegistry(null).compute(be, tx, null)) {
            nngp = be.toHost(k.nngp());
            ntk = be.toHost(k.ntk());
        }
        // one hidden layer: Σ0 = σw²·x·x'/d + σb², Σ1 = σw²·E[φφ] + σb², Θ1 = Σ1 + σw²·Σ0·E[φ'φ']
        double[] sigma0 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += x[i * d + c] * x[j * d + c];
                }
                sigma0[i * n + j] = sw * sw * dot / d + sb * sb;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double q1 = sigma0[i * n + i];
                double q2 = sigma0[j * n + j];
                double k = sigma0[i * n + j];
                double[] mc = monteCarlo(SWISH, q1, q2, k, 400_000, 100 + i * n + j);
                double s1 = sw * sw * mc[0] + sb * sb;
                double t1 = s1 + sw * sw * k * mc[1];
                double se = sw * sw * mc[2];
                assertEquals(s1, nngp[i * n + j], 5 * se + 1e-12, "NNGP " + i + "," + j);
                assertEquals(t1, ntk[i * n + j], 5 * (se + sw * sw * Math.abs(k) * mc[3]) + 1e-12, "NTK " + i + "," + j);
            }
        }
    }

    @Test
    @DisplayName("analytic kernels with a user activation: the layered model equals the MLP recursion (1e-12), and the "
            + "sine's closed form equals its quadrature (1e-9)")
    void analyticKernelPaths() {
        double sw = 1.3;
        double sb = 0.2;
        int d = 4;
        try (TensorScope s = be.scope()) {
            Tensor x1 = be.fromHost(LayerTesting.values(51, 5 * d), 5, d, DType.F64);
            Tensor x2 = be.fromHost(LayerTesting.values(52, 3 * d), 3, d, DType.F64);
            for (Activation f : List.of(SWISH, SINE)) {
                Model model = Model.of(Shape.vector(d), dense(6, sw, sb), Layers.activation(f), dense(6, sw, sb),
                        Layers.activation(f), dense(2, sw, sb));
                AnalyticNtk.Kernels a = AnalyticNtk.of(3, f, sw, sb).withMeterRegistry(null).compute(be, x1, x2);
                AnalyticNtk.Kernels b = AnalyticNtk.of(model).withMeterRegistry(null).compute(be, x1, x2);
                LayerTesting.assertRelClose(be.toHost(a.nngp()), be.toHost(b.nngp()), 1e-12, f.name() + " NNGP");
                LayerTesting.assertRelClose(be.toHost(a.ntk()), be.toHost(b.ntk()), 1e-12, f.name() + " NTK");
            }
            AnalyticNtk.Kernels closed = AnalyticNtk.of(3, SINE, sw, sb).withMeterRegistry(null).compute(be, x1, x2);
            AnalyticNtk.Kernels quad = AnalyticNtk.of(3, new Sine(false), sw, sb).withMeterRegistry(null)
                    .compute(be, x1, x2);
            LayerTesting.assertRelClose(be.toHost(quad.nngp()), be.toHost(closed.nngp()), 1e-9, "sine NNGP");
            LayerTesting.assertRelClose(be.toHost(quad.ntk()), be.toHost(closed.ntk()), 1e-9, "sine NTK");
            // the generic host layer against the path the backend takes (its own when it accelerates swish)
            Tensor q1 = be.fromHost(new double[] {0.6, 1.1, 0.9}, 3, 1, DType.F64);
            Tensor q2 = be.fromHost(new double[] {0.8, 0.7}, 2, 1, DType.F64);
            double[] k = {0.3, -0.2, 0.5, 0.1, 0.0, 0.6};
            Tensor s1 = be.fromHost(k, 3, 2, DType.F64);
            Tensor s2 = be.copy(s1);
            Tensor t1 = be.fromHost(LayerTesting.values(53, 6), 3, 2, DType.F64);
            Tensor t2 = be.copy(t1);
            ActivationPaths.dualLayer(be, SWISH, s1, q1, q2, 1.7, 0.1, t1);
            ActivationPaths.hostDualLayer(be, SWISH, s2, q1, q2, 1.7, 0.1, t2);
            LayerTesting.assertRelClose(be.toHost(s1), be.toHost(s2), 1e-12, "swish dualLayer NNGP, host path");
            LayerTesting.assertRelClose(be.toHost(t1), be.toHost(t2), 1e-12, "swish dualLayer NTK, host path");
        }
    }

    private static org.ntk4j.nn.layers.Layer dense(int out, double sw, double sb) {
        return Layers.dense(out, Parameterization.NTK, sw, sb, true);
    }

    /**
     * Monte Carlo estimates of E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for a centred Gaussian pair, with their standard errors.
     *
     * @return {E[φφ], E[φ'φ'], se of the first, se of the second}
     */
    static double[] monteCarlo(Activation f, double q1, double q2, double k, int samples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double a = Math.sqrt(q1);
        double c = a > 0 ? k / a : 0;
        double b = Math.sqrt(Math.max(q2 - c * c, 0));
        double s0 = 0;
        double ss0 = 0;
        double s1 = 0;
        double ss1 = 0;
        for (int i = 0; i < samples; i++) {
            double z1 = gaussian(r);
            double z2 = gaussian(r);
            double u = a * z1;
            double v = c * z1 + b * z2;
            double p = f.apply(u) * f.apply(v);
            double pd = f.derivative(u) * f.derivative(v);
            s0 += p;
            ss0 += p * p;
            s1 += pd;
            ss1 += pd * pd;
        }
        double m0 = s0 / samples;
        double m1 = s1 / samples;
        return new double[] {m0, m1, Math.sqrt(Math.max(ss0 / samples - m0 * m0, 0) / samples),
            Math.sqrt(Math.max(ss1 / samples - m1 * m1, 0) / samples)};
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
