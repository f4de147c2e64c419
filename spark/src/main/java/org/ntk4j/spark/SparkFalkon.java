package org.ntk4j.spark;

import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.predict.Falkon;
import org.ntk4j.predict.FalkonModel;
import org.ntk4j.predict.FalkonOptions;
import org.ntk4j.predict.FalkonPreconditioner;
import org.ntk4j.predict.FalkonProgress;
import org.ntk4j.predict.KernelTiles;
import org.ntk4j.predict.NystromCentres;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * {@link Falkon} with its expensive part, the K_NM products of every conjugate-gradient iteration, on Spark
 * executors: the samples partitioned by rows (one K_NM tile a partition, tiles as on one machine), the centres
 * broadcast. The driver chooses the centres, computes K_MM and runs the CG. {@link FalkonOptions.Storage#RECOMPUTE}
 * recomputes the tiles in every product; otherwise they are cached on the executors in the options' precision.
 * The result equals the single-machine {@link Falkon#fit} (the same tiles, summed in the same order).
 */
public final class SparkFalkon {

    private final KernelSpec spec;
    private final FalkonOptions options;

    /**
     * @param spec the kernel
     * @param options the settings
     */
    public SparkFalkon(KernelSpec spec, FalkonOptions options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param sc the Spark context
     * @param x row-major N×d training samples (not modified)
     * @param d the number of features
     * @param y row-major N×C targets (not modified)
     * @param c the number of target columns
     * @param progress told of K_MM tiles and CG iterations
     * @return the model; predict with {@link FalkonModel#predict}
     */
    public FalkonModel fit(JavaSparkContext sc, double[] x, int d, double[] y, int c, FalkonProgress progress) {
        if (d < 1 || x.length == 0 || x.length % d != 0 || c < 1 || y.length != (long) x.length / d * c) {
            throw new IllegalArgumentException("spark falkon: " + x.length + " sample values of " + d + " features and "
                    + y.length + " target values for " + c + " columns do not fit");
        }
        long t0 = System.nanoTime();
        int n = x.length / d;
        int m = Math.min(options.centres(), n);
        double[] cx = NystromCentres.gather(x, d, NystromCentres.uniform(n, m, options.seed()));
        int tile = Math.min(n, options.tileRowsFor(m));
        boolean keep = options.storage() != FalkonOptions.Storage.RECOMPUTE;
        int[] iterations = new int[1];
        double[] residual = new double[1];
        double[] alpha;
        try (Backend be = Backends.create(); TensorScope scope = be.scope()) {
            Tensor centres = be.fromHost(cx, m, d, DType.F64);
            double[] kmm = KernelTiles.full(be, spec.kernel(), cx, d, centres, tile, "K_MM", progress);
            FalkonPreconditioner pre = FalkonPreconditioner.of(be, kmm, m, options.ridge());
            kmm = null;
            try (SparkNystrom products = new SparkNystrom(sc, spec, SparkNystrom.blocks(x, d, tile), cx, d, keep,
                    options.precision())) {
                alpha = Falkon.solve(pre, products, y, c, options, progress, iterations, residual);
            }
        }
        return new FalkonModel(spec.kernel(), cx, d, alpha, c, iterations[0], residual[0], keep,
                System.nanoTime() - t0);
    }
}
