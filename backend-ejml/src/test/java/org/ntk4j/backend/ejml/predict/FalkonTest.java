package org.ntk4j.backend.ejml.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.predict.CrossKernel;
import org.ntk4j.predict.Falkon;
import org.ntk4j.predict.FalkonModel;
import org.ntk4j.predict.FalkonOptions;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.predict.FalkonOptions.Storage;
import org.ntk4j.predict.FalkonPreconditioner;
import org.ntk4j.predict.FalkonProgress;
import org.ntk4j.predict.KnmTile;
import org.ntk4j.predict.NystromCentres;
import org.ntk4j.predict.NystromProducts;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Falkon against dense references: with every sample a centre it is exact kernel ridge regression
 * (K + λ·N·I)·α = Y; with fewer it is the Nyström solution (K_NMᵀK_NM + λ·N·K_MM)·α = K_NMᵀY solved directly.
 */
class FalkonTest {

    private static final int N = 90;
    private static final int D = 6;
    private static final int C = 3;
    private static final int TEST = 25;
    private static final double LAMBDA = 1e-3;

    private static Backend be;
    private static double[] x;
    private static double[] y;
    private static double[] xt;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
        x = TestBackends.uniform(11, N * D, 1);
        xt = TestBackends.uniform(12, TEST * D, 1);
        SplittableRandom r = new SplittableRandom(13);
        y = new double[N * C];
        for (int i = 0; i < N; i++) {
            y[i * C + r.nextInt(C)] = 1;
        }
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    private static CrossKernel ntk() {
        return CrossKernel.analyticNtk(AnalyticNtk.of(3, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null));
    }

    /** K(A, B) computed whole, on the backend, copied to the host. */
    private static double[] dense(CrossKernel k, double[] a, double[] b) {
        try (TensorScope s = be.scope()) {
            return be.toHost(k.block(be, be.fromHost(a, a.length / D, D, DType.F64),
                    be.fromHost(b, b.length / D, D, DType.F64)));
        }
    }

    /** Solves A·X = B on the backend by its Cholesky solver. */
    private static double[] solve(double[] a, double[] b, int n, int k) {
        try (TensorScope s = be.scope()) {
            Tensor out = be.zeros(n, k, DType.F64);
            be.choleskySolve(be.fromHost(a, n, n, DType.F64), be.fromHost(b, n, k, DType.F64), out);
            return be.toHost(out);
        }
    }

    /** α (C×M, as Falkon stores it) in row-major M×C. */
    private static double[] rowMajor(double[] alpha, int m) {
        double[] out = new double[m * C];
        for (int a = 0; a < C; a++) {
            for (int i = 0; i < m; i++) {
                out[i * C + a] = alpha[a * m + i];
            }
        }
        return out;
    }

    private static void assertRelative(double[] expected, double[] actual, double tol, String what) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel <= tol, what + ": relative error " + rel + " > " + tol);
    }

    private static FalkonOptions tight(int m) {
        return FalkonOptions.of(m).withRidge(LAMBDA).withStopping(1e-13, 200).withTileRows(16);
    }

    @Test
    void allSamplesAsCentresIsExactKernelRidgeRegression() {
        CrossKernel k = ntk();
        List<Double> residuals = new ArrayList<>();
        int[] tiles = {0};
        FalkonModel model = Falkon.of(k, tight(N)).withProgress(new FalkonProgress() {
            @Override
            public void kernelTile(String phase, int done, int total) {
                tiles[0]++;
            }

            @Override
            public void iteration(int iteration, double residual) {
                residuals.add(residual);
            }
        }).fit(be, x, D, y, C);
        double[] kk = dense(k, x, x);
        double[] shifted = kk.clone();
        for (int i = 0; i < N; i++) {
            shifted[i * N + i] += LAMBDA * N;
        }
        double[] alpha = solve(shifted, y, N, C);
        assertRelative(alpha, rowMajor(model.alpha(), N), 1e-8, "α");
        double[] kt = dense(k, xt, x);
        double[] expected = PredictTest.mul(kt, alpha, TEST, N, C);
        assertRelative(expected, model.predict(be, xt, 7, FalkonProgress.NONE), 1e-8, "test outputs");
        assertEquals(model.iterations(), residuals.size());
        assertTrue(model.residual() <= 1e-13, "residual " + model.residual());
        assertEquals(2 * ((N + 15) / 16), tiles[0], "K_MM and K_NM tiles");
    }

    @Test
    void fewerCentresIsTheDirectNystromSolution() {
        int m = 30;
        CrossKernel k = ntk();
        FalkonModel model = Falkon.of(k, tight(m).withSeed(5)).fit(be, x, D, y, C);
        int[] idx = NystromCentres.uniform(N, m, 5);
        double[] cx = NystromCentres.gather(x, D, idx);
        assertArrayEquals(cx, model.centres());
        double[] knm = dense(k, x, cx);
        double[] kmm = dense(k, cx, cx);
        double[] knmT = transpose(knm, N, m);
        double[] h = PredictTest.mul(knmT, knm, m, N, m);
        for (int i = 0; i < h.length; i++) {
            h[i] += LAMBDA * N * kmm[i];
        }
        double[] alpha = PredictTest.solve(h, PredictTest.mul(knmT, y, m, N, C), m, C);
        assertRelative(alpha, rowMajor(model.alpha(), m), 1e-8, "α");
        double[] expected = PredictTest.mul(dense(k, xt, cx), alpha, TEST, m, C);
        assertRelative(expected, model.predict(be, xt, 32, FalkonProgress.NONE), 1e-8, "test outputs");
    }

    @Test
    void recomputingTheTilesGivesWhatKeepingThemGives() {
        FalkonOptions o = tight(40).withStopping(1e-10, 100);
        FalkonModel kept = Falkon.of(ntk(), o.withStorage(Storage.MEMORY, Precision.F64)).fit(be, x, D, y, C);
        FalkonModel again = Falkon.of(ntk(), o.withStorage(Storage.RECOMPUTE, Precision.F64)).fit(be, x, D, y, C);
        FalkonModel single = Falkon.of(ntk(), o.withStorage(Storage.MEMORY, Precision.F32)).fit(be, x, D, y, C);
        FalkonModel auto = Falkon.of(ntk(), o).fit(be, x, D, y, C);
        assertTrue(kept.inMemory());
        assertFalse(again.inMemory());
        assertTrue(auto.inMemory(), "a small K_NM is kept");
        assertArrayEquals(kept.alpha(), again.alpha(), 0);
        assertArrayEquals(kept.alpha(), auto.alpha(), 0);
        double[] f64 = kept.predict(be, xt, 10, FalkonProgress.NONE);
        assertRelative(f64, single.predict(be, xt, 10, FalkonProgress.NONE), 1e-5, "F32 tiles");
    }

    @Test
    void backendProductsOfF32TilesGiveWhatTheHostLoopsGive() {
        int m = 30;
        int rows = 16;
        CrossKernel k = ntk();
        FalkonOptions o = tight(m).withSeed(5).withTileRows(rows).withStorage(Storage.MEMORY, Precision.F32);
        FalkonModel model = Falkon.of(k, o).fit(be, x, D, y, C);
        double[] cx = NystromCentres.gather(x, D, NystromCentres.uniform(N, m, 5));
        double[] knm = dense(k, x, cx);
        List<KnmTile> tiles = new ArrayList<>();
        for (int r0 = 0; r0 < N; r0 += rows) {
            int r1 = Math.min(N, r0 + rows);
            double[] part = java.util.Arrays.copyOfRange(knm, r0 * m, r1 * m);
            tiles.add(KnmTile.of(part, r0, r1 - r0, m, Precision.F32));
        }
        NystromProducts hostLoops = new NystromProducts() {
            @Override
            public int samples() {
                return N;
            }

            @Override
            public int centres() {
                return m;
            }

            @Override
            public double[] gram(double[] v, int c) {
                double[] acc = new double[c * m];
                tiles.forEach(t -> t.gramInto(v, c, acc));
                return acc;
            }

            @Override
            public double[] transposeTimes(double[] yy, int c) {
                double[] acc = new double[c * m];
                tiles.forEach(t -> t.transposeTimesInto(yy, c, acc));
                return acc;
            }
        };
        try (FalkonPreconditioner pre = FalkonPreconditioner.of(be, dense(k, cx, cx), m, LAMBDA)) {
            double[] alpha = Falkon.solve(pre, hostLoops, y, C, o, FalkonProgress.NONE, new int[1], new double[1]);
            assertRelative(alpha, model.alpha(), 1e-10, "α from F32 tiles by GEMM against the host loops");
        }
    }

    @Test
    void empiricalKernelWithAllCentresIsExactRegression() {
        Mlp mlp = Mlp.builder(D, 32, 32, C).activation(Activation.TANH).build();
        try (Params p = mlp.init(3).upload(be, DType.F64)) {
            CrossKernel k = CrossKernel.empiricalNtk(new EmpiricalNtk(mlp).withMeterRegistry(null), p);
            FalkonModel model = Falkon.of(k, tight(N)).fit(be, x, D, y, C);
            double[] kk = dense(k, x, x);
            for (int i = 0; i < N; i++) {
                kk[i * N + i] += LAMBDA * N;
            }
            double[] alpha = solve(kk, y, N, C);
            double[] expected = PredictTest.mul(dense(k, xt, x), alpha, TEST, N, C);
            assertRelative(expected, model.predict(be, xt, 9, FalkonProgress.NONE), 1e-8, "test outputs");
        }
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FalkonOptions.of(0));
        assertTrue(e.getMessage().contains("centres"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FalkonOptions.of(10).withRidge(0));
        assertTrue(e.getMessage().contains("ridge"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Falkon.of(ntk(), FalkonOptions.of(10))
                .fit(be, x, D, y, C + 1));
        assertTrue(e.getMessage().contains("targets"), e.getMessage());
    }

    private static double[] transpose(double[] a, int r, int c) {
        double[] t = new double[a.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = a[i * c + j];
            }
        }
        return t;
    }
}
