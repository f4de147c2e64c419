package org.ntk4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.IdxLoader;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.predict.FalkonModel;
import org.ntk4j.predict.FalkonOptions;
import org.ntk4j.predict.FalkonProgress;

/**
 * The {@code spark-submit} entry point: Falkon with the analytic NTK of a ReLU MLP (two hidden layers,
 * σ_w = √2, σ_b = 0.1) on an MNIST-style IDX folder, centres drawn with seed 42, the K_NM products on the executors, and the test accuracy.
 *
 * <pre>
 *   FalkonJob IDX_DIR CENTRES [RIDGE [LIMIT [f32|f64 [OUT.npy]]]]
 * </pre>
 */
public final class FalkonJob {

    /** The seed of the centres: the command line's default, so that both choose the same centres. */
    private static final long SEED = 42;

    private FalkonJob() {
    }

    /**
     * @param args the IDX folder, the number of centres, optionally λ (1e-7), a limit on training samples (0:
     *             all), the precision the executors cache K_NM in (f32) and a {@code .npy} file for the test
     *             outputs (the {@code test_0} that {@code ntk4j predict --solver falkon -o} writes)
     * @throws Exception when the data cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: FalkonJob IDX_DIR CENTRES [RIDGE [LIMIT [f32|f64 [OUT.npy]]]]");
            System.exit(2);
        }
        Path dir = Paths.get(args[0]);
        int centres = Integer.parseInt(args[1]);
        double ridge = args.length > 2 ? Double.parseDouble(args[2]) : 1e-7;
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        FalkonOptions.Precision precision = args.length > 4 && args[4].equalsIgnoreCase("f64")
                ? FalkonOptions.Precision.F64 : FalkonOptions.Precision.F32;
        Dataset train = IdxLoader.load(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"),
                limit, 255);
        Dataset test = IdxLoader.load(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"),
                limit > 0 ? Math.max(1, limit / 5) : 0, 255);
        KernelSpec spec = KernelSpec.of(3, Activation.RELU, Math.sqrt(2), 0.1, false);
        FalkonOptions options = FalkonOptions.of(centres).withRidge(ridge).withSeed(SEED)
                .withStorage(FalkonOptions.Storage.MEMORY, precision);
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("ntk4j-falkon"))) {
            FalkonModel model = new SparkFalkon(spec, options).fit(sc, train.features(), train.dims(),
                    train.oneHot(), train.classes(), new FalkonProgress() {
                        @Override
                        public void iteration(int iteration, double residual) {
                            System.err.printf(Locale.ROOT, "CG iteration %d: relative residual %.3g%n", iteration,
                                    residual);
                        }
                    });
            double[] scores;
            try (Backend be = Backends.create()) {
                scores = model.predict(be, test.features(), options.tileRowsFor(model.centreCount()),
                        FalkonProgress.NONE);
            }
            System.out.printf(Locale.ROOT, "%s by Falkon on Spark: %d training, %d test samples, %d centres, λ=%s: %d"
                    + " CG iterations, test accuracy %.4f (%.1f s)%n", spec, train.size(), test.size(),
                    model.centreCount(), ridge, model.iterations(), FalkonModel.accuracy(scores, test.labels()),
                    (System.nanoTime() - t0) / 1e9);
            if (args.length > 5) {
                Npy.write(Paths.get(args[5]), NpyArray.ofDoubles(scores, test.size(), train.classes()));
                System.out.println("wrote " + args[5]);
            }
        }
    }

    private static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        return Files.exists(plain) ? plain : dir.resolve(base + ".gz");
    }
}
