package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.predict.CrossKernel;
import org.ntk4j.predict.Falkon;
import org.ntk4j.predict.FalkonModel;
import org.ntk4j.predict.FalkonOptions;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.predict.FalkonOptions.Storage;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Falkon with its preconditioner on ND4J (LAPACK {@code potrf}, {@code lauum}, BLAS {@code trsm}): with every
 * sample a centre it is exact kernel ridge regression, and with fewer centres it agrees with the same fit on EJML.
 */
class Nd4jFalkonTest {

    private static final int N = 120;
    private static final int D = 5;
    private static final int C = 3;
    private static final double LAMBDA = 1e-3;

    private static Backend nd4j;
    private static Backend ejml;
    private static double[] x;
    private static double[] y;

    @BeforeAll
    static void open() {
        nd4j = new Nd4jBackendProvider().create(BackendOptions.defaults());
        ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
        SplittableRandom r = new SplittableRandom(21);
        x = new double[N * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        y = new double[N * C];
        for (int i = 0; i < N; i++) {
            y[i * C + r.nextInt(C)] = 1;
        }
    }

    @AfterAll
    static void shut() {
        nd4j.close();
        ejml.close();
    }

    private static CrossKernel ntk() {
        return CrossKernel.analyticNtk(AnalyticNtk.of(3, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null));
    }

    private static FalkonOptions tight(int m) {
        return FalkonOptions.of(m).withRidge(LAMBDA).withStopping(1e-13, 300).withTileRows(16)
                .withStorage(Storage.MEMORY, Precision.F64);
    }

    private static double relative(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    @DisplayName("with every sample a centre, Falkon on ND4J solves (K + λ·N·I)·α = Y to 1e-8 relative")
    void allCentresIsExact() {
        FalkonModel model = Falkon.of(ntk(), tight(N)).fit(nd4j, x, D, y, C);
        double[] alpha;
        try (TensorScope s = nd4j.scope()) {
            Tensor tx = nd4j.fromHost(x, N, D, DType.F64);
            Tensor k = ntk().block(nd4j, tx, tx);
            nd4j.addToDiagonal(LAMBDA * N, k);
            Tensor out = nd4j.zeros(N, C, DType.F64);
            nd4j.choleskySolve(k, nd4j.fromHost(y, N, C, DType.F64), out);
            alpha = nd4j.toHost(out);
        }
        double[] fitted = new double[N * C];
        for (int a = 0; a < C; a++) {
            for (int i = 0; i < N; i++) {
                fitted[i * C + a] = model.alpha()[a * N + i];
            }
        }
        double rel = relative(alpha, fitted);
        assertTrue(rel <= 1e-8, "α relative error " + rel);
    }

    @Test
    @DisplayName("with 40 of 120 samples as centres, Falkon on ND4J and on EJML agree to 1e-8 relative")
    void agreesWithEjml() {
        FalkonOptions o = tight(40).withSeed(3);
        FalkonModel onNd4j = Falkon.of(ntk(), o).fit(nd4j, x, D, y, C);
        FalkonModel onEjml = Falkon.of(ntk(), o).fit(ejml, x, D, y, C);
        double rel = relative(onEjml.alpha(), onNd4j.alpha());
        assertTrue(rel <= 1e-8, "α relative difference " + rel);
    }
}
