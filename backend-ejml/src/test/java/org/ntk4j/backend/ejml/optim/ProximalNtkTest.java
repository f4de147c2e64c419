package org.ntk4j.backend.ejml.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;

/** The proximal NTK step on linear models, checked against explicit-Jacobian solves on the host. */
class ProximalNtkTest {

    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("ejml");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static double[][] gaussian(SplittableRandom r, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double u1 = 1 - r.nextDouble();
                a[i][j] = scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
            }
        }
        return a;
    }

    /** Solves A·X = B on the host by Gaussian elimination with partial pivoting (A n×n, B n×k). */
    static double[][] solve(double[][] a0, double[][] b0) {
        int n = a0.length;
        int k = b0[0].length;
        double[][] a = new double[n][];
        double[][] b = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            b[i] = b0[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c]; a[c] = a[p]; a[p] = t;
            t = b[c]; b[c] = b[p]; b[p] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int j = c; j < n; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                    for (int j = 0; j < k; j++) {
                        b[r][j] -= f * b[c][j];
                    }
                }
            }
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                b[r][j] /= a[r][r];
            }
        }
        return b;
    }

    private Params weights(double[][] w) {
        return TestParams.of(backend.fromHost(LinearTestObjective.flatten(w), w.length, w[0].length, DType.F64));
    }

    private double[] step(ProximalNtk opt, LinearTestObjective obj, Params w) {
        Update<ProximalNtk.State> u = opt.update(obj, opt.init(w), w);
        return backend.toHost(Optimizers.applyUpdates(w, u.updates()).tensor(0));
    }

    @Test
    @DisplayName("with λ → 0, one step on an overdetermined linear least-squares problem lands on its solution")
    void leastSquaresInOneStep() {
        SplittableRandom r = new SplittableRandom(1);
        double[][] x = gaussian(r, 12, 4, 1);
        double[][] y = gaussian(r, 12, 3, 1);
        LinearTestObjective obj = new LinearTestObjective(backend, x, y, false);
        ProximalNtk opt = ProximalNtk.defaults().withDamping(1e-8, true, false);
        double[] w1 = step(opt, obj, weights(gaussian(r, 4, 3, 1)));
        double[][] xt = LinearTestObjective.transpose(x);
        double[][] ls = solve(LinearTestObjective.multiply(xt, x), LinearTestObjective.multiply(xt, y));
        assertArrayEquals(LinearTestObjective.flatten(ls), w1, 1e-6);
    }

    @Test
    @DisplayName("with λ → 0 on an underdetermined problem, one step interpolates with the minimum-norm change")
    void minimumNormInterpolation() {
        SplittableRandom r = new SplittableRandom(2);
        double[][] x = gaussian(r, 3, 8, 1);
        double[][] y = gaussian(r, 3, 2, 1);
        double[][] w0 = gaussian(r, 8, 2, 1);
        LinearTestObjective obj = new LinearTestObjective(backend, x, y, false);
        double[] w1 = step(ProximalNtk.defaults().withDamping(1e-12, true, false), obj, weights(w0));
        // W1 = W0 + Xᵀ (X Xᵀ)⁻¹ (Y − X W0)
        double[][] res = obj.outputs(LinearTestObjective.flatten(w0));
        for (int i = 0; i < 3; i++) {
            for (int a = 0; a < 2; a++) {
                res[i][a] = y[i][a] - res[i][a];
            }
        }
        double[][] xt = LinearTestObjective.transpose(x);
        double[][] delta = LinearTestObjective.multiply(xt, solve(LinearTestObjective.multiply(x, xt), res));
        double[] expected = LinearTestObjective.flatten(w0);
        double[] dflat = LinearTestObjective.flatten(delta);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += dflat[i];
        }
        assertArrayEquals(expected, w1, 1e-8);
        assertEquals(0, obj.loss(w1), 1e-16);
    }

    @Test
    @DisplayName("with λ large, the step is an SGD step of size η/λ on the summed batch loss")
    void largeDampingIsGradientDescent() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] x = gaussian(r, 10, 5, 1);
        double[][] y = gaussian(r, 10, 3, 1);
        Params w = weights(gaussian(r, 5, 3, 1));
        for (boolean ce : new boolean[] {false, true}) {
            LinearTestObjective obj = new LinearTestObjective(backend, x, y, ce);
            double lambda = 1e9;
            double eta = 0.5;
            ProximalNtk opt = ProximalNtk.defaults().withLearningRate(eta).withDamping(lambda, false, false);
            double[] u = backend.toHost(opt.update(obj, opt.init(w), w).updates().tensor(0));
            try (LossAndGradient lg = obj.lossAndGradient(w)) {
                // the objective's gradient is of the mean loss; the summed loss's is m times it
                double[] sgd = backend.toHost(TestParams.scaled(-eta / lambda * x.length, lg.gradients()).tensor(0));
                double scale = 0;
                for (double v : sgd) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertArrayEquals(sgd, u, 1e-6 * scale, "cross-entropy " + ce);
            }
        }
    }

    @Test
    @DisplayName("softmax cross-entropy: the step equals the explicit generalized Gauss–Newton solve −η(JᵀHJ + λI)⁻¹Jᵀg")
    void generalizedGaussNewton() {
        SplittableRandom r = new SplittableRandom(4);
        int m = 6;
        double[][] x = gaussian(r, m, 4, 1);
        double[][] y = new double[m][3];
        for (int i = 0; i < m; i++) {
            y[i][r.nextInt(3)] = 1;
        }
        double[][] w0 = gaussian(r, 4, 3, 0.5);
        LinearTestObjective obj = new LinearTestObjective(backend, x, y, true);
        double lambda = 0.3;
        double eta = 0.7;
        ProximalNtk opt = ProximalNtk.defaults().withLearningRate(eta).withDamping(lambda, false, false);
        Params w = weights(w0);
        double[] u = backend.toHost(opt.update(obj, opt.init(w), w).updates().tensor(0));

        double[] wf = LinearTestObjective.flatten(w0);
        double[][] j = obj.jacobian();
        double[][] jt = LinearTestObjective.transpose(j);
        double[][] ggn = LinearTestObjective.multiply(jt, LinearTestObjective.multiply(obj.hessian(wf), j));
        for (int i = 0; i < ggn.length; i++) {
            ggn[i][i] += lambda;
        }
        double[] jtg = obj.jtv(obj.outputGradient(wf));
        double[][] rhs = new double[jtg.length][1];
        for (int i = 0; i < jtg.length; i++) {
            rhs[i][0] = -eta * jtg[i];
        }
        double[][] expected = solve(ggn, rhs);
        for (int i = 0; i < jtg.length; i++) {
            assertEquals(expected[i][0], u[i], 1e-12, "parameter " + i);
        }
    }

    @Test
    @DisplayName("adaptive damping: accepted steps never increase the batch loss, rejected ones leave θ unchanged")
    void acceptedStepsNeverIncreaseLoss() {
        SplittableRandom r = new SplittableRandom(5);
        int m = 40;
        double[][] x = gaussian(r, m, 6, 2);
        double[][] y = new double[m][4];
        for (int i = 0; i < m; i++) {
            y[i][r.nextInt(4)] = 1;
        }
        LinearTestObjective obj = new LinearTestObjective(backend, x, y, true);
        ProximalNtk opt = (ProximalNtk) Optimizers.create("proximal-ntk",
                OptimizerOptions.of("damping", 1e-9).with("min-damping", 1e-9).with("max-rejections", 2));
        Params w = weights(gaussian(r, 6, 4, 3));
        ProximalNtk.State s = opt.init(w);
        int rejectedIterations = 0;
        double first = obj.loss(w);
        for (int it = 0; it < 25; it++) {
            double before = obj.loss(w);
            Update<ProximalNtk.State> u = opt.update(obj, s, w);
            Params next = Optimizers.applyUpdates(w, u.updates());
            double after = obj.loss(next);
            assertTrue(after <= before, "iteration " + it + ": " + before + " → " + after);
            if (u.state().rejected() > s.rejected()) {
                rejectedIterations++;
                assertTrue(u.state().damping() > s.damping() || u.updates().normSquared() > 0,
                        "a rejection grows the damping");
            }
            w = next;
            s = u.state();
        }
        assertTrue(rejectedIterations > 0, "the test must exercise rejections");
        assertTrue(obj.loss(w) < 0.5 * first, "the loss fell from " + first + " to " + obj.loss(w));
    }
}
