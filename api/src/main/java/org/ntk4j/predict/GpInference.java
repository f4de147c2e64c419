package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Exact Gaussian-process inference with a kernel (the NNGP for the Bayesian posterior of an infinitely wide
 * network) — neural-tangents' {@code predict.gp_inference}: with A = K + reg·I (reg = diagReg times the mean
 * of K's diagonal),
 *
 * <pre>
 *   mean       = K_xX·A⁻¹·y
 *   covariance = K_xx − K_xX·A⁻¹·K_Xx
 * </pre>
 *
 * A⁻¹·y is solved once by Cholesky when the object is made.
 */
public final class GpInference implements AutoCloseable {

    private final Backend be;
    private final Tensor a;
    private final Tensor alpha;

    private GpInference(Backend be, Tensor a, Tensor alpha) {
        this.be = be;
        this.a = a;
        this.alpha = alpha;
    }

    /**
     * @param backend the backend
     * @param kTrainTrain n×n symmetric positive (semi-)definite kernel (not modified)
     * @param yTrain n×k targets (not modified)
     * @param diagReg the regularizer relative to the mean trace, ≥ 0
     * @return the posterior; close it to free its tensors
     * @throws org.ntk4j.backend.NotPositiveDefiniteException when K + reg·I is not positive definite
     */
    public static GpInference of(Backend backend, Tensor kTrainTrain, Tensor yTrain, double diagReg) {
        Regularized.requireSquare(kTrainTrain, "the train-train kernel");
        if (yTrain.rows() != kTrainTrain.rows()) {
            throw new IllegalArgumentException("targets have " + yTrain.rows() + " rows (" + yTrain.shape()
                    + "), the kernel " + kTrainTrain.shape());
        }
        try (TensorScope scope = backend.scope()) {
            Tensor a = Regularized.shifted(backend, kTrainTrain, diagReg, new double[1]);
            Tensor alpha = backend.zeros(yTrain.rows(), yTrain.cols(), yTrain.dtype());
            backend.choleskySolve(a, yTrain, alpha);
            return new GpInference(backend, scope.keep(a), scope.keep(alpha));
        }
    }

    /**
     * @param kTestTrain m×n test-train kernel (not modified)
     * @return a new m×k posterior mean
     */
    public Tensor mean(Tensor kTestTrain) {
        checkCross(kTestTrain);
        Tensor out = be.zeros(kTestTrain.rows(), alpha.cols(), alpha.dtype());
        be.gemm(1, kTestTrain, false, alpha, false, 0, out);
        return out;
    }

    /**
     * @param kTestTrain m×n test-train kernel (not modified)
     * @param kTestTest m×m test-test kernel (not modified)
     * @return a new m×m posterior covariance
     */
    public Tensor covariance(Tensor kTestTrain, Tensor kTestTest) {
        checkCross(kTestTrain);
        int m = kTestTrain.rows();
        if (kTestTest.rows() != m || kTestTest.cols() != m) {
            throw new IllegalArgumentException("test-test kernel is " + kTestTest.shape() + ", expected " + m + "×" + m);
        }
        try (TensorScope scope = be.scope()) {
            Tensor z = solved(kTestTrain);
            Tensor out = be.copy(kTestTest);
            be.gemm(-1, kTestTrain, false, z, false, 1, out);
            return scope.keep(out);
        }
    }

    /**
     * The posterior variances only, without the m×m covariance.
     *
     * @param kTestTrain m×n test-train kernel (not modified)
     * @param kTestTestDiagonal the m prior variances K(x, x) (not modified)
     * @return the m posterior variances
     */
    public double[] variance(Tensor kTestTrain, double[] kTestTestDiagonal) {
        checkCross(kTestTrain);
        int m = kTestTrain.rows();
        if (kTestTestDiagonal.length != m) {
            throw new IllegalArgumentException(kTestTestDiagonal.length + " prior variances for " + m + " test points");
        }
        try (TensorScope scope = be.scope()) {
            Tensor z = solved(kTestTrain);
            Tensor kt = be.transpose(kTestTrain);
            be.hadamard(kt, z, kt);
            Tensor sums = be.zeros(1, m, z.dtype());
            be.columnSums(kt, sums);
            double[] s = be.toHost(sums);
            double[] out = new double[m];
            for (int i = 0; i < m; i++) {
                out[i] = kTestTestDiagonal[i] - s[i];
            }
            return out;
        }
    }

    /** Z = A⁻¹·K_Xx, n×m. */
    private Tensor solved(Tensor kTestTrain) {
        Tensor kt = be.transpose(kTestTrain);
        Tensor z = be.zeros(kt.rows(), kt.cols(), kt.dtype());
        be.choleskySolve(a, kt, z);
        return z;
    }

    private void checkCross(Tensor kTestTrain) {
        if (kTestTrain.cols() != a.rows()) {
            throw new IllegalArgumentException("test-train kernel is " + kTestTrain.shape() + ", expected m×" + a.rows());
        }
    }

    /** Closes the tensors this object holds. */
    @Override
    public void close() {
        a.close();
        alpha.close();
    }
}
