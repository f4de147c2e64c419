package org.ntk4j.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.TileProgress;
import org.ntk4j.predict.KernelRegression.Kernel;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The predictions of an infinitely wide network trained by gradient descent on MSE (outputs 0 at t = 0), at
 * several times and for the NNGP, the NTK or both, in one pass and without holding the test kernel:
 * <ol>
 *   <li>the train-train kernels are computed on the backend (one recursion gives both), in blocks of rows
 *       when they are large;</li>
 *   <li>each kernel's test weights β_t are solved ({@link GradientDescentMse#testWeights}: a Cholesky solve
 *       alone when only t = ∞ is asked for, the eigendecomposition only for finite times);</li>
 *   <li>the test-train kernels are streamed in blocks of rows, each block multiplied at once by the weights of
 *       every time, f_x(t) = Θ_xX·β_t, and dropped.</li>
 * </ol>
 * Instances are immutable.
 */
public final class AnalyticPredictor {

    /** The train-train kernels are computed in blocks of up to this many elements (or blockRows rows, if more). */
    private static final int TRAIN_BLOCK_ELEMENTS = 1 << 25;

    private final AnalyticNtk kernel;
    private final double learningRate;
    private final double diagReg;
    private final int blockRows;

    /**
     * @param kernel the analytic kernel
     * @param learningRate η &gt; 0 (only finite times depend on it)
     * @param diagReg the regularizer relative to the mean trace, ≥ 0
     * @param blockRows rows of a kernel block, ≥ 1: bounds the temporaries to a few blockRows×N arrays
     */
    public AnalyticPredictor(AnalyticNtk kernel, double learningRate, double diagReg, int blockRows) {
        Objects.requireNonNull(kernel, "kernel");
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(diagReg >= 0) || !Double.isFinite(diagReg)) {
            throw new IllegalArgumentException("diag_reg must be finite and ≥ 0, got " + diagReg);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("block rows must be ≥ 1, got " + blockRows);
        }
        this.kernel = kernel;
        this.learningRate = learningRate;
        this.diagReg = diagReg;
        this.blockRows = blockRows;
    }

    /**
     * The outputs of one kernel at one time.
     *
     * @param kernel NNGP or NTK
     * @param t the training time, or +∞
     * @param train row-major n×k training-set outputs
     * @param test row-major m×k test-set outputs
     */
    public record Output(Kernel kernel, double t, double[] train, double[] test) {
    }

    /**
     * Wall times of the phases.
     *
     * @param trainKernelNanos the train-train kernels
     * @param solveNanos the solves (and decompositions) and the training-set outputs
     * @param testKernelNanos the test-train kernel blocks
     * @param testProductNanos the products of those blocks with the weights
     */
    public record Phases(long trainKernelNanos, long solveNanos, long testKernelNanos, long testProductNanos) {
    }

    /**
     * @param outputs for each kernel in the order asked, the outputs at each time in order
     * @param phases where the time went
     */
    public record Result(List<Output> outputs, Phases phases) {
    }

    /**
     * @param backend the backend of the tensors
     * @param xTrain n×d training inputs (not modified)
     * @param yTrain n×k targets (not modified)
     * @param xTest m×d test inputs (not modified)
     * @param kernels which kernels, at least one, no repeats (not modified)
     * @param times training times, each ≥ 0 or +∞ (not modified)
     * @param progress told after every block, counting rows of both kernels: n + m in all
     * @return the outputs and phase times
     * @throws org.ntk4j.backend.NotPositiveDefiniteException when t = ∞ is asked for and a regularized kernel
     *         is not positive definite
     */
    public Result predict(Backend backend, Tensor xTrain, Tensor yTrain, Tensor xTest, List<Kernel> kernels,
                          double[] times, TileProgress progress) {
        if (kernels.isEmpty() || kernels.stream().distinct().count() != kernels.size()) {
            throw new IllegalArgumentException("need one or more distinct kernels, got " + kernels);
        }
        if (yTrain.rows() != xTrain.rows()) {
            throw new IllegalArgumentException("targets have " + yTrain.rows() + " rows, inputs " + xTrain.rows());
        }
        int n = xTrain.rows();
        int m = xTest.rows();
        int k = yTrain.cols();
        int total = n + m;
        int[] done = {0};
        long t0 = System.nanoTime();
        List<Output> outputs = new ArrayList<>();
        long solve;
        long[] test = new long[2];
        try (TensorScope scope = backend.scope()) {
            List<List<Tensor>> parts = new ArrayList<>();
            for (int i = 0; i < kernels.size(); i++) {
                parts.add(new ArrayList<>());
            }
            int trainRows = Math.max(blockRows, TRAIN_BLOCK_ELEMENTS / Math.max(1, n));
            kernel.computeRows(backend, xTrain, null, trainRows, (r0, block) -> {
                for (int i = 0; i < kernels.size(); i++) {
                    parts.get(i).add(pick(block, kernels.get(i)));
                }
                if (!kernels.contains(Kernel.NNGP)) {
                    block.nngp().close();
                }
                if (!kernels.contains(Kernel.NTK)) {
                    block.ntk().close();
                }
                done[0] += block.ntk().rows();
                progress.tileDone(done[0], total);
            });
            long t1 = System.nanoTime();
            List<Tensor> weights = new ArrayList<>();
            double[][][] testOut = new double[kernels.size()][times.length][m * k];
            for (int i = 0; i < kernels.size(); i++) {
                Tensor full = parts.get(i).size() == 1 ? parts.get(i).get(0) : backend.concatRows(parts.get(i));
                parts.get(i).forEach(t -> {
                    if (t != full) {
                        t.close();
                    }
                });
                try (GradientDescentMse gd = GradientDescentMse.adopting(backend, full, yTrain, learningRate, diagReg)) {
                    List<Tensor> w = gd.testWeights(times, null);
                    List<Tensor> rows = new ArrayList<>();
                    for (Tensor wt : w) {
                        rows.add(backend.transpose(wt));
                        wt.close();
                    }
                    weights.add(rows.size() == 1 ? rows.get(0) : backend.concatRows(rows));
                    List<GradientDescentMse.Prediction> train = gd.predict(times, null, null, null);
                    for (int j = 0; j < times.length; j++) {
                        outputs.add(new Output(kernels.get(i), times[j], backend.toHost(train.get(j).train()),
                                testOut[i][j]));
                        train.get(j).close();
                    }
                }
            }
            long t2 = System.nanoTime();
            solve = t2 - t1;
            kernel.computeRows(backend, xTest, xTrain, blockRows, (r0, block) -> {
                long p0 = System.nanoTime();
                int rows = block.ntk().rows();
                for (int i = 0; i < kernels.size(); i++) {
                    try (Tensor prod = backend.zeros(rows, times.length * k, yTrain.dtype())) {
                        backend.gemm(1, pick(block, kernels.get(i)), false, weights.get(i), true, 0, prod);
                        scatter(backend.toHost(prod), rows, k, r0, testOut[i]);
                    }
                }
                block.close();
                test[1] += System.nanoTime() - p0;
                done[0] += rows;
                progress.tileDone(done[0], total);
            });
            test[0] = System.nanoTime() - t2 - test[1];
            return new Result(outputs, new Phases(t1 - t0, solve, test[0], test[1]));
        }
    }

    private static Tensor pick(AnalyticNtk.Kernels k, Kernel which) {
        return which == Kernel.NTK ? k.ntk() : k.nngp();
    }

    /** Splits a block's rows × (times·k) products into the per-time m×k outputs. */
    private static void scatter(double[] prod, int rows, int k, int r0, double[][] out) {
        int width = out.length * k;
        for (int a = 0; a < rows; a++) {
            for (int t = 0; t < out.length; t++) {
                System.arraycopy(prod, a * width + t * k, out[t], (r0 + a) * k, k);
            }
        }
    }
}
