package org.ntk4j.backend.nd4j;

import java.nio.file.Path;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.IdxLoader;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.HostMatrix;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Layer;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Analytic kernel regression at t = ∞ on Fashion-MNIST with the infinite-width kernels of an MLP, a CNN read out by
 * flatten and a CNN with global average pooling: test accuracy of the NTK and the NNGP, and the kernel time.
 *
 * <p>Usage: {@code ConvKernelDemo DIR MODEL TRAIN TEST POOL BACKEND [BATCH] [REG] [raw]} with MODEL one of
 * {@code mlp}, {@code cnn-flatten}, {@code cnn-gap}; images are POOL×POOL average-pooled (2: 14×14); the first
 * TRAIN training and TEST test images; BACKEND {@code ejml} or {@code nd4j}; pixels standardized by the training
 * mean and standard deviation, or left in [0, 1] with {@code raw} (then SAME padding equals the background). Run
 * one model per process to read its peak memory.
 */
public final class ConvKernelDemo {

    private ConvKernelDemo() {
    }

    /**
     * @param args as the class comment says (not modified)
     * @throws Exception on a read failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String which = args[1];
        int nTrain = Integer.parseInt(args[2]);
        int nTest = Integer.parseInt(args[3]);
        int pool = Integer.parseInt(args[4]);
        String backendName = args[5];
        int batch = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        double reg = args.length > 7 ? Double.parseDouble(args[7]) : 1e-4;
        boolean raw = args.length > 8 && args[8].equals("raw");
        Dataset train = IdxLoader.load(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), nTrain, 255);
        Dataset test = IdxLoader.load(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), nTest, 255);
        int side = 28 / pool;
        double[] xtr = pooled(train.features(), nTrain, pool);
        double[] xte = pooled(test.features(), nTest, pool);
        if (!raw) {
            standardize(xtr, xte);
        }
        Model model = model(which, side);
        Backend be = backendName.equals("nd4j") ? new Nd4jBackendProvider().create(BackendOptions.defaults())
                : new EjmlBackendProvider().create(BackendOptions.defaults());
        AnalyticNtk kernel = AnalyticNtk.of(model).withMeterRegistry(null);
        System.out.printf(Locale.ROOT, "%s on %s, %d train / %d test %dx%d images, layout %s, block %d (fits %d),"
                + " estimate %.1f MiB per block%n", model, be.name(), nTrain, nTest, side, side, model.kernelLayout(),
                batch, kernel.largestBlock(batch), model.kernelBytes(batch, batch) / 1048576.0);
        int dim = side * side;
        long t0 = System.nanoTime();
        AnalyticNtk.HostKernels ktr;
        AnalyticNtk.HostKernels kte;
        try (Tensor a = be.fromHost(xtr, nTrain, dim, DType.F64); Tensor b = be.fromHost(xte, nTest, dim, DType.F64)) {
            ktr = kernel.computeTiled(be, a, null, batch, progress("train", t0));
            kte = kernel.computeTiled(be, b, a, batch, progress("test", t0));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double ntk = accuracy(be, ktr.ntk(), kte.ntk(), train, test, reg);
        double nngp = accuracy(be, ktr.nngp(), kte.nngp(), train, test, reg);
        System.out.printf(Locale.ROOT, "RESULT %s: NTK accuracy %.4f, NNGP accuracy %.4f, kernel time %.1f s%n",
                which, ntk, nngp, seconds);
        for (double r : new double[] {1e-6, 1e-4, 1e-3, 1e-2, 1e-1}) {
            System.out.printf(Locale.ROOT, "  diag_reg %.0e: NTK %.4f, NNGP %.4f%n", r,
                    accuracy(be, ktr.ntk(), kte.ntk(), train, test, r),
                    accuracy(be, ktr.nngp(), kte.nngp(), train, test, r));
        }
        be.close();
    }

    private static org.ntk4j.kernel.TileProgress progress(String what, long t0) {
        return (done, total) -> {
            if (done == total || done % Math.max(1, total / 10) == 0) {
                System.out.printf(Locale.ROOT, "  %s tiles %d/%d at %.1f s%n", what, done, total,
                        (System.nanoTime() - t0) / 1e9);
            }
        };
    }

    static Model model(String which, int side) {
        double sw = Math.sqrt(2);
        double sb = 0.1;
        Layer relu = Layers.relu();
        switch (which) {
            case "mlp":
                return Model.of(Shape.vector(side * side), dense(512, sw, sb), relu, dense(512, sw, sb), relu,
                        dense(512, sw, sb), relu, dense(10, sw, sb));
            case "cnn-flatten":
                return Model.of(Shape.image(side, side, 1), conv(sw, sb), relu, conv(sw, sb), relu, conv(sw, sb), relu,
                        Layers.flatten(), dense(10, sw, sb));
            case "cnn-gap":
                return Model.of(Shape.image(side, side, 1), conv(sw, sb), relu, conv(sw, sb), relu, conv(sw, sb), relu,
                        Layers.globalAvgPool(), dense(10, sw, sb));
            default:
                throw new IllegalArgumentException("unknown model " + which + " (mlp, cnn-flatten, cnn-gap)");
        }
    }

    private static Layer dense(int out, double sw, double sb) {
        return Layers.dense(out, Parameterization.NTK, sw, sb, true);
    }

    private static Layer conv(double sw, double sb) {
        return Layers.conv(64, 3, 3, 1, org.ntk4j.nn.layers.Padding.SAME, Parameterization.NTK, sw, sb, true);
    }

    private static double[] pooled(double[] x, int n, int pool) {
        int s = 28 / pool;
        double[] out = new double[n * s * s];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    double sum = 0;
                    for (int p = 0; p < pool; p++) {
                        for (int q = 0; q < pool; q++) {
                            sum += x[a * 784 + (i * pool + p) * 28 + j * pool + q];
                        }
                    }
                    out[(a * s + i) * s + j] = sum / (pool * pool);
                }
            }
        }
        return out;
    }

    /** Subtracts the training mean pixel value and divides by the training standard deviation (both sets). */
    private static void standardize(double[] train, double[] test) {
        double mean = 0;
        for (double v : train) {
            mean += v;
        }
        mean /= train.length;
        double var = 0;
        for (double v : train) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / train.length);
        for (double[] x : new double[][] {train, test}) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (x[i] - mean) / sd;
            }
        }
    }

    /** Kernel ridge regression on one-hot targets (−0.1, 0.9), diag_reg relative to the mean trace, argmax. */
    private static double accuracy(Backend be, HostMatrix k, HostMatrix kx, Dataset train, Dataset test, double reg) {
        int n = k.rows();
        double[] a = k.data().clone();
        double tr = 0;
        for (int i = 0; i < n; i++) {
            tr += a[i * n + i];
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += reg * tr / n;
        }
        int classes = train.classes();
        double[] y = new double[n * classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                y[i * classes + c] = train.label(i) == c ? 0.9 : -0.1;
            }
        }
        double[] pred;
        try (Tensor ta = be.fromHost(a, n, n, DType.F64); Tensor ty = be.fromHost(y, n, classes, DType.F64);
             Tensor alpha = be.zeros(n, classes, DType.F64);
             Tensor tx = be.fromHost(kx.data(), kx.rows(), n, DType.F64);
             Tensor out = be.zeros(kx.rows(), classes, DType.F64)) {
            be.choleskySolve(ta, ty, alpha);
            be.gemm(1, tx, false, alpha, false, 0, out);
            pred = be.toHost(out);
        }
        int right = 0;
        for (int i = 0; i < kx.rows(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (pred[i * classes + c] > pred[i * classes + best]) {
                    best = c;
                }
            }
            right += best == test.label(i) ? 1 : 0;
        }
        return right / (double) kx.rows();
    }
}
