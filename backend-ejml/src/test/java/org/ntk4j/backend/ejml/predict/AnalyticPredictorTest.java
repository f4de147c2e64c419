package org.ntk4j.backend.ejml.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.predict.AnalyticPredictor;
import org.ntk4j.predict.GradientDescentMse;
import org.ntk4j.predict.KernelRegression.Kernel;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * t = ∞ by Cholesky alone against the eigendecomposition; the streamed predictor against whole kernels; the
 * row blocks of the analytic kernel against the whole kernel.
 */
class AnalyticPredictorTest {

    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    private static final AnalyticNtk NTK = AnalyticNtk.of(3, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null);

    @Test
    @DisplayName("t = ∞ alone: no eigendecomposition, and the Cholesky solve equals V·diag(1/λ)·Vᵀ to 1e-9")
    void infinityByCholeskyEqualsEigen() {
        int n = 14;
        int m = 5;
        int k = 3;
        double reg = 1e-3;
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(PredictTest.rand(21, n * 6), n, 6, DType.F64);
            Tensor xt = be.fromHost(PredictTest.rand(22, m * 6), m, 6, DType.F64);
            Tensor kk = NTK.compute(be, x, null).ntk();
            Tensor kx = NTK.compute(be, xt, x).ntk();
            double[] y = PredictTest.rand(23, n * k);
            double[] f0 = PredictTest.rand(24, n * k);
            double[] fx0 = PredictTest.rand(25, m * k);
            // independent reference: the eigendecomposition of the regularized kernel, inverted on the host
            double[] a = PredictTest.regularized(be.toHost(kk), n, reg);
            double[] lambda;
            double[] v;
            try (SymmetricEigen e = be.symmetricEigen(be.fromHost(a, n, n, DType.F64))) {
                lambda = be.toHost(e.values());
                v = be.toHost(e.vectors());
            }
            double[] resid = PredictTest.add(y, f0, -1);
            double[] beta = new double[n * k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < n; j++) {
                    double proj = 0;
                    for (int i = 0; i < n; i++) {
                        proj += v[i * n + j] * resid[i * k + c];
                    }
                    for (int i = 0; i < n; i++) {
                        beta[i * k + c] += v[i * n + j] * proj / lambda[j];
                    }
                }
            }
            double[] expected = PredictTest.add(fx0, PredictTest.mul(be.toHost(kx), beta, m, n, k), 1);
            try (GradientDescentMse gd = GradientDescentMse.of(be, kk, be.fromHost(y, n, k, DType.F64), 1, reg)) {
                List<GradientDescentMse.Prediction> p = gd.predict(new double[] {Double.POSITIVE_INFINITY},
                        be.fromHost(f0, n, k, DType.F64), be.fromHost(fx0, m, k, DType.F64), kx);
                assertFalse(gd.decomposed(), "t = ∞ alone must not eigendecompose");
                PredictTest.assertClose(expected, be.toHost(p.get(0).test()), 1e-9, "test t=∞");
                PredictTest.assertClose(y, be.toHost(p.get(0).train()), 0, "train t=∞");
                gd.predict(new double[] {1, Double.POSITIVE_INFINITY}, null, null, null);
                assertTrue(gd.decomposed(), "a finite time needs the eigendecomposition");
            }
        }
    }

    @Test
    @DisplayName("row blocks of the analytic kernels equal the whole kernels to 1e-12")
    void rowBlocksEqualWhole() {
        int n = 11;
        int m = 7;
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(PredictTest.rand(31, n * 5), n, 5, DType.F64);
            Tensor xt = be.fromHost(PredictTest.rand(32, m * 5), m, 5, DType.F64);
            for (Tensor[] pair : new Tensor[][] {{x, null}, {xt, x}}) {
                AnalyticNtk.Kernels whole = NTK.compute(be, pair[0], pair[1]);
                double[] nngp = be.toHost(whole.nngp());
                double[] ntk = be.toHost(whole.ntk());
                int cols = whole.ntk().cols();
                List<Integer> starts = new ArrayList<>();
                NTK.computeRows(be, pair[0], pair[1], 3, (r0, block) -> {
                    starts.add(r0);
                    double[] bn = be.toHost(block.nngp());
                    double[] bt = be.toHost(block.ntk());
                    for (int i = 0; i < bn.length; i++) {
                        assertEquals(nngp[r0 * cols + i], bn[i], 1e-12 * Math.max(1, Math.abs(bn[i])), "nngp");
                        assertEquals(ntk[r0 * cols + i], bt[i], 1e-12 * Math.max(1, Math.abs(bt[i])), "ntk");
                    }
                    block.close();
                });
                int rows = pair[0].rows();
                assertEquals(rows == n ? List.of(0, 3, 6, 9) : List.of(0, 3, 6), starts);
            }
        }
    }

    @Test
    @DisplayName("streamed NNGP and NTK predictions at finite times and t = ∞ equal GradientDescentMse on whole kernels")
    void streamedEqualsWhole() {
        int n = 13;
        int m = 8;
        int k = 2;
        double eta = 0.7;
        double reg = 1e-4;
        double[] times = {0.5, 20, Double.POSITIVE_INFINITY};
        try (TensorScope s = be.scope()) {
            Tensor x = be.fromHost(PredictTest.rand(41, n * 4), n, 4, DType.F64);
            Tensor xt = be.fromHost(PredictTest.rand(42, m * 4), m, 4, DType.F64);
            Tensor y = be.fromHost(PredictTest.rand(43, n * k), n, k, DType.F64);
            AnalyticPredictor.Result r = new AnalyticPredictor(NTK, eta, reg, 3)
                    .predict(be, x, y, xt, List.of(Kernel.NNGP, Kernel.NTK), times, (d, t) -> { });
            assertEquals(2 * times.length, r.outputs().size());
            AnalyticNtk.Kernels kk = NTK.compute(be, x, null);
            AnalyticNtk.Kernels kx = NTK.compute(be, xt, x);
            int i = 0;
            for (Kernel which : List.of(Kernel.NNGP, Kernel.NTK)) {
                Tensor a = which == Kernel.NTK ? kk.ntk() : kk.nngp();
                Tensor b = which == Kernel.NTK ? kx.ntk() : kx.nngp();
                try (GradientDescentMse gd = GradientDescentMse.of(be, a, y, eta, reg)) {
                    for (GradientDescentMse.Prediction p : gd.predict(times, null, null, b)) {
                        AnalyticPredictor.Output o = r.outputs().get(i++);
                        assertEquals(which, o.kernel());
                        assertEquals(p.t(), o.t());
                        PredictTest.assertClose(be.toHost(p.train()), o.train(), 1e-10, which + " train t=" + p.t());
                        PredictTest.assertClose(be.toHost(p.test()), o.test(), 1e-10, which + " test t=" + p.t());
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> new AnalyticPredictor(NTK, eta, reg, 3)
                    .predict(be, x, y, xt, List.of(Kernel.NTK, Kernel.NTK), times, (d, t) -> { }));
        }
    }
}
