package org.ntk4j.backend.ejml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.predict.GpInference;
import org.ntk4j.predict.GradientDescentMse;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

class PredictTest {

    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    static double[] rand(long seed, int n) {
        return TestBackends.uniform(seed, n, 1);
    }

    /** Host matrix product a (r×m) · b (m×c). */
    static double[] mul(double[] a, double[] b, int r, int m, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int q = 0; q < m; q++) {
                    s += a[i * m + q] * b[q * c + j];
                }
                out[i * c + j] = s;
            }
        }
        return out;
    }

    /** Solves A·X = B (n×n, n×k) by Gauss–Jordan elimination with partial pivoting, on the host. */
    static double[] solve(double[] a0, double[] b0, int n, int k) {
        double[] a = a0.clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) {
                    p = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double t = a[c * n + j];
                a[c * n + j] = a[p * n + j];
                a[p * n + j] = t;
            }
            for (int j = 0; j < k; j++) {
                double t = b[c * k + j];
                b[c * k + j] = b[p * k + j];
                b[p * k + j] = t;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[r * n + c] / a[c * n + c];
                    for (int j = 0; j < n; j++) {
                        a[r * n + j] -= f * a[c * n + j];
                    }
                    for (int j = 0; j < k; j++) {
                        b[r * k + j] -= f * b[c * k + j];
                    }
                }
            }
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                b[r * k + j] /= a[r * n + r];
            }
        }
        return b;
    }

    static double[] regularized(double[] k, int n, double diagReg) {
        double tr = 0;
        for (int i = 0; i < n; i++) {
            tr += k[i * n + i];
        }
        double[] out = k.clone();
        for (int i = 0; i < n; i++) {
            out[i * n + i] += diagReg * tr / n;
        }
        return out;
    }

    /**
     * RK4 integration of df/dt = −(η/n)·Θ·(f − y), df_x/dt = −(η/n)·Θ_xX·(f − y) from 0 to each time, with
     * steps of at most h.
     */
    static double[][][] integrate(double[] theta, double[] thetaX, double[] y, double[] f0, double[] fx0, int n, int m,
                                  int k, double eta, double[] times, double h) {
        double c = eta / (n * k);
        double[] f = f0.clone();
        double[] fx = fx0.clone();
        double now = 0;
        double[][][] out = new double[times.length][][];
        for (int ti = 0; ti < times.length; ti++) {
            while (now < times[ti]) {
                double dt = Math.min(h, times[ti] - now);
                double[][] k1 = rhs(theta, thetaX, y, f, n, m, k, c);
                double[][] k2 = rhs(theta, thetaX, y, add(f, k1[0], dt / 2), n, m, k, c);
                double[][] k3 = rhs(theta, thetaX, y, add(f, k2[0], dt / 2), n, m, k, c);
                double[][] k4 = rhs(theta, thetaX, y, add(f, k3[0], dt), n, m, k, c);
                for (int q = 0; q < 2; q++) {
                    double[] s = q == 0 ? f : fx;
                    for (int i = 0; i < s.length; i++) {
                        s[i] += dt / 6 * (k1[q][i] + 2 * k2[q][i] + 2 * k3[q][i] + k4[q][i]);
                    }
                }
                now += dt;
            }
            out[ti] = new double[][] {f.clone(), fx.clone()};
        }
        return out;
    }

    static double[][] rhs(double[] theta, double[] thetaX, double[] y, double[] f, int n, int m, int k, double c) {
        double[] r = new double[n * k];
        for (int i = 0; i < r.length; i++) {
            r[i] = -c * (f[i] - y[i]);
        }
        return new double[][] {mul(theta, r, n, n, k), mul(thetaX, r, m, n, k)};
    }

    static double[] add(double[] a, double[] b, double s) {
        double[] o = a.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] += s * b[i];
        }
        return o;
    }

    static void assertClose(double[] e, double[] a, double tol, String what) {
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + " at " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1e-2})
    @DisplayName("the closed form equals RK4 integration of the linearized dynamics; t = ∞ equals the linear solve")
    void closedFormEqualsIntegration(double diagReg) {
        int n = 7;
        int m = 3;
        int k = 2;
        int d = 4;
        double eta = 1.5;
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(rand(1, n * d), n, d, DType.F64);
            Tensor xt = be.fromHost(rand(2, m * d), m, d, DType.F64);
            AnalyticNtk ntk = AnalyticNtk.of(3, Activation.ERF, 1.3, 0.2).withMeterRegistry(null);
            Tensor kk = ntk.compute(be, x, null).ntk();
            Tensor kx = ntk.compute(be, xt, x).ntk();
            double[] y = rand(3, n * k);
            double[] f0 = rand(4, n * k);
            double[] fx0 = rand(5, m * k);
            double[] theta = regularized(be.toHost(kk), n, diagReg);
            double[] thetaX = be.toHost(kx);
            double[] times = {0, 0.3, 2, 9, 40};
            double[][][] ref = integrate(theta, thetaX, y, f0, fx0, n, m, k, eta, times, 0.01);
            try (GradientDescentMse gd = GradientDescentMse.of(be, kk, be.fromHost(y, n, k, DType.F64), eta, diagReg)) {
                double[] all = new double[times.length + 1];
                System.arraycopy(times, 0, all, 0, times.length);
                all[times.length] = Double.POSITIVE_INFINITY;
                List<GradientDescentMse.Prediction> p = gd.predict(all, be.fromHost(f0, n, k, DType.F64),
                        be.fromHost(fx0, m, k, DType.F64), kx);
                for (int ti = 0; ti < times.length; ti++) {
                    assertClose(ref[ti][0], be.toHost(p.get(ti).train()), 1e-9, "train t=" + times[ti]);
                    assertClose(ref[ti][1], be.toHost(p.get(ti).test()), 1e-9, "test t=" + times[ti]);
                }
                double[] resid = add(y, f0, -1);
                double[] inf = add(fx0, mul(thetaX, solve(theta, resid, n, k), m, n, k), 1);
                assertClose(y, be.toHost(p.get(times.length).train()), 1e-9, "train t=∞");
                assertClose(inf, be.toHost(p.get(times.length).test()), 1e-9, "test t=∞ (Cholesky)");
                // the eigen path at a very long time agrees with the Cholesky solve
                assertClose(inf, be.toHost(gd.test(1e9, be.fromHost(f0, n, k, DType.F64),
                        be.fromHost(fx0, m, k, DType.F64), kx)), 1e-6, "test t=1e9");
            }
        }
    }

    @Test
    @DisplayName("a full empirical kernel with flattened targets follows the same dynamics")
    void fullKernelLayout() {
        Mlp mlp = Mlp.builder(3, 16, 2).activation(Activation.TANH).build();
        int n = 4;
        int m = 2;
        try (TensorScope s = be.scope()) {
            Params p = mlp.init(3).upload(be, DType.F64);
            Tensor x = be.fromHost(rand(6, n * 3), n, 3, DType.F64);
            Tensor xt = be.fromHost(rand(7, m * 3), m, 3, DType.F64);
            EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null);
            Tensor kk = ntk.compute(p, x, OutputAxes.FULL);
            Tensor kx = ntk.compute(p, xt, x, OutputAxes.FULL);
            double[] y = rand(8, n * 2);
            double[] f0 = be.toHost(mlp.apply(p, x));
            double[] fx0 = be.toHost(mlp.apply(p, xt));
            double[] times = {0.5, 5};
            double[][][] ref = integrate(be.toHost(kk), be.toHost(kx), y, f0, fx0, n * 2, m * 2, 1, 1.0, times, 0.005);
            try (GradientDescentMse gd = GradientDescentMse.of(be, kk, be.fromHost(y, n * 2, 1, DType.F64), 1.0, 0)) {
                List<GradientDescentMse.Prediction> pr = gd.predict(times, be.fromHost(f0, n * 2, 1, DType.F64),
                        be.fromHost(fx0, m * 2, 1, DType.F64), kx);
                for (int ti = 0; ti < times.length; ti++) {
                    assertClose(ref[ti][0], be.toHost(pr.get(ti).train()), 1e-9, "train");
                    assertClose(ref[ti][1], be.toHost(pr.get(ti).test()), 1e-9, "test");
                }
            }
        }
    }

    @Test
    @DisplayName("GP inference mean and covariance equal the host linear-algebra formulas")
    void gpInference() {
        int n = 6;
        int m = 4;
        int k = 3;
        double reg = 1e-3;
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(rand(11, n * 5), n, 5, DType.F64);
            Tensor xt = be.fromHost(rand(12, m * 5), m, 5, DType.F64);
            AnalyticNtk a = AnalyticNtk.of(3, Activation.RELU, 1.4, 0.1).withMeterRegistry(null);
            Tensor kk = a.compute(be, x, null).nngp();
            Tensor kx = a.compute(be, xt, x).nngp();
            Tensor kxx = a.compute(be, xt, null).nngp();
            double[] y = rand(13, n * k);
            double[] kr = regularized(be.toHost(kk), n, reg);
            double[] kxh = be.toHost(kx);
            double[] mean = mul(kxh, solve(kr, y, n, k), m, n, k);
            double[] kxt = be.toHost(be.transpose(kx));
            double[] cov = add(be.toHost(kxx), mul(kxh, solve(kr, kxt, n, m), m, n, m), -1);
            try (GpInference gp = GpInference.of(be, kk, be.fromHost(y, n, k, DType.F64), reg)) {
                assertClose(mean, be.toHost(gp.mean(kx)), 1e-10, "mean");
                assertClose(cov, be.toHost(gp.covariance(kx, kxx)), 1e-10, "covariance");
                double[] prior = new double[m];
                double[] diag = new double[m];
                double[] kxxh = be.toHost(kxx);
                for (int i = 0; i < m; i++) {
                    prior[i] = kxxh[i * m + i];
                    diag[i] = cov[i * m + i];
                }
                assertClose(diag, gp.variance(kx, prior), 1e-10, "variance");
                // a training point is predicted almost exactly, with almost no variance, at tiny regularization
                try (GpInference exact = GpInference.of(be, kk, be.fromHost(y, n, k, DType.F64), 1e-12)) {
                    assertClose(java.util.Arrays.copyOf(y, k), java.util.Arrays.copyOf(be.toHost(exact.mean(
                            be.gatherRows(kk, new int[] {0}))), k), 1e-6, "interpolation");
                }
            }
            assertThrows(IllegalArgumentException.class, () -> GpInference.of(be, kx, be.fromHost(y, n, k, DType.F64), 0));
        }
    }
}
