package org.ntk4j.cli;

import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.IdxLoader;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.KernelListener;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
import org.ntk4j.predict.GpInference;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import org.ntk4j.train.MlpObjective;
import org.ntk4j.train.PhaseTimes;

/**
 * The workloads of {@code ntk4j bench} that do the jobs of the NumPy reference scripts one for one:
 * {@code entk-mlp} (traced empirical NTK of an MLP d-W-W-10), {@code proximal-step} (one proximal-ntk step on a
 * batch of m) and {@code analytic-regression} (infinite-width NNGP and NTK regression on an MNIST-style folder).
 * Each prepares its inputs outside the timed run, as the scripts do.
 */
final class PeerWorkloads {

    /** The number of outputs of the MLP workloads, as in the scripts. */
    static final int OUTPUTS = 10;
    /** The test images of an MNIST-style folder that analytic-regression predicts (all of them). */
    static final int TEST_IMAGES = 10_000;

    private PeerWorkloads() {
    }

    private static Mlp mlp(int d, int w) {
        return Mlp.builder(d, w, w, OUTPUTS).activation(Activation.RELU).build();
    }

    /**
     * The traced empirical NTK of N random inputs through an MLP d-W-W-10 (ReLU, NTK parameterization, biases).
     *
     * @param n the number of samples N
     * @param d the input dimension
     * @param w the hidden width W
     * @param seed the seed of inputs and parameters
     * @return the workload; its flops are the kernel's matrix products
     */
    static BenchCommand.Workload entkMlp(int n, int d, int w, long seed) {
        return tracedEntk(mlp(d, w), n, seed);
    }

    /**
     * The traced empirical NTK of any MLP on N random inputs.
     *
     * @param mlp the network (its first width is the input dimension)
     * @param n the number of samples N
     * @param seed the seed of inputs and parameters
     * @return the workload; its flops are the kernel's matrix products, its bytes the kernel, its host copy, two
     *     N×N Grams, the inputs and three N×O×W delta blocks of the widest hidden layer
     */
    static BenchCommand.Workload tracedEntk(Mlp mlp, int n, long seed) {
        int d = mlp.inputDim();
        int widest = 0;
        for (int l = 1; l < mlp.depth(); l++) {
            widest = Math.max(widest, mlp.width(l));
        }
        double bytes = 8.0 * (4.0 * n * n + 3.0 * n * mlp.outputDim() * widest + (double) n * d);
        return new BenchCommand.Workload() {
            private Params params;

            public Tensor[] prepare(Backend b, SplittableRandom r) {
                params = mlp.init(seed).upload(b, DType.F64);
                return new Tensor[] {BenchCommand.random(b, r, n, d)};
            }

            public double run(Backend b, Tensor[] t) {
                long[] flops = {0};
                KernelListener count = e -> flops[0] += e.gemmFlops();
                try (Tensor k = new EmpiricalNtk(mlp).withMeterRegistry(null).withListener(count)
                        .compute(params, t[0], OutputAxes.TRACED)) {
                    b.toHost(k);
                }
                return flops[0];
            }

            public double bytes() {
                return bytes;
            }
        };
    }

    /**
     * One proximal-ntk step on a batch of m random inputs, MLP d-W-W-10, MSE on random one-hot targets: the full
     * (m·10)² batch kernel, a Cholesky solve with damping 1e-3 relative to the mean trace, one backward pass. As in
     * the reference script the step is taken as it comes (no trial evaluation of the loss).
     *
     * @param m the batch size
     * @param d the input dimension
     * @param w the hidden width W
     * @param seed the seed of inputs, targets and parameters
     * @return the workload; its flops are the kernel's matrix products plus the Cholesky factorization
     */
    static BenchCommand.Workload proximalStep(int m, int d, int w, long seed) {
        Mlp mlp = mlp(d, w);
        ProximalNtk step = ProximalNtk.defaults().withDamping(1e-3, true, false);
        int n = m * OUTPUTS;
        return new BenchCommand.Workload() {
            private Params params;

            public Tensor[] prepare(Backend b, SplittableRandom r) {
                params = mlp.init(seed).upload(b, DType.F64);
                double[] y = new double[n];
                for (int i = 0; i < m; i++) {
                    y[i * OUTPUTS + r.nextInt(OUTPUTS)] = 1;
                }
                return new Tensor[] {BenchCommand.random(b, r, m, d), b.fromHost(y, m, OUTPUTS, DType.F64)};
            }

            public double run(Backend b, Tensor[] t) {
                long[] flops = {0};
                EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null).withListener(e -> flops[0] += e.gemmFlops());
                MlpObjective objective = new MlpObjective(mlp, Loss.MSE, t[0], t[1], ntk, new PhaseTimes(Clock.SYSTEM),
                        null);
                Update<ProximalNtk.State> u = step.update(objective, step.init(params), params);
                try (Params updates = u.updates()) {
                    updates.normSquared(); // waits for the result, as a caller would
                }
                u.state().close();
                return flops[0] + (double) n * n * n / 3;
            }

            public double bytes() {
                // the kernel, the damped system and its factor, and the m·10×W delta blocks
                return 8.0 * (4.0 * n * n + 4.0 * n * w + (double) m * d);
            }
        };
    }

    /**
     * Infinite-width ReLU NNGP and NTK kernel regression at t = ∞ (Cholesky) of the first n training images of an
     * MNIST-style folder against all its test images: pixels / 255, each image centred and scaled to |x|² = d,
     * σ_w = √2, σ_b = 0.1, regularizer 1e-4 times the mean trace, targets one-hot − 0.1.
     *
     * @param n the number of training images
     * @param depth the number of hidden layers
     * @param folder the folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]
     * @return the workload; its flops are the kernels' matrix products plus two Cholesky factorizations
     */
    static BenchCommand.Workload analyticRegression(int n, int depth, Path folder) {
        AnalyticNtk kernel = AnalyticNtk.of(depth + 1, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null);
        return new BenchCommand.Workload() {
            private Dataset train;
            private Dataset test;

            public Tensor[] prepare(Backend b, SplittableRandom r) {
                try {
                    train = centred(IdxLoader.load(DataOptions.find(folder, "train-images-idx3-ubyte"),
                            DataOptions.find(folder, "train-labels-idx1-ubyte"), n, 255));
                    test = centred(IdxLoader.load(DataOptions.find(folder, "t10k-images-idx3-ubyte"),
                            DataOptions.find(folder, "t10k-labels-idx1-ubyte"), TEST_IMAGES, 255));
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
                if (train.size() < n) {
                    throw new UsageException("--sizes " + n + ": " + folder + " has only " + train.size()
                            + " training images");
                }
                return new Tensor[] {b.fromHost(train.features(), train.size(), train.dims(), DType.F64),
                    b.fromHost(test.features(), test.size(), test.dims(), DType.F64),
                    b.fromHost(train.oneHot(-0.1, 0.9), train.size(), train.classes(), DType.F64)};
            }

            public double run(Backend b, Tensor[] t) {
                long[] flops = {0};
                AnalyticNtk counted = kernel.withListener(e -> flops[0] += e.gemmFlops());
                try (TensorScope scope = b.scope();
                     AnalyticNtk.Kernels kk = counted.compute(b, t[0], null);
                     AnalyticNtk.Kernels kx = counted.compute(b, t[1], t[0])) {
                    for (boolean ntk : new boolean[] {false, true}) {
                        try (GpInference gp = GpInference.of(b, ntk ? kk.ntk() : kk.nngp(), t[2], 1e-4)) {
                            b.toHost(gp.mean(ntk ? kx.ntk() : kx.nngp()));
                        }
                    }
                }
                int classes = 10;
                return flops[0] + 2 * ((double) n * n * n / 3 + 2.0 * n * n * classes + 2.0 * TEST_IMAGES * n * classes);
            }

            public double bytes() {
                // NNGP and NTK of train × train (with a factor) and of test × train, and the images
                return 8.0 * (6.0 * n * n + 3.0 * TEST_IMAGES * n + 784.0 * (n + TEST_IMAGES));
            }
        };
    }

    /** @return the images, each centred and scaled to squared norm d, as the reference script prepares them */
    static Dataset centred(Dataset d) {
        double[] x = d.features().clone();
        int dims = d.dims();
        for (int i = 0; i < d.size(); i++) {
            double mean = 0;
            for (int j = 0; j < dims; j++) {
                mean += x[i * dims + j];
            }
            mean /= dims;
            double norm = 0;
            for (int j = 0; j < dims; j++) {
                x[i * dims + j] -= mean;
                norm += x[i * dims + j] * x[i * dims + j];
            }
            double s = norm > 0 ? Math.sqrt(dims / norm) : 1;
            for (int j = 0; j < dims; j++) {
                x[i * dims + j] *= s;
            }
        }
        return new Dataset(d.name(), x, d.size(), dims, d.labels(), Math.max(d.classes(), 10));
    }
}
