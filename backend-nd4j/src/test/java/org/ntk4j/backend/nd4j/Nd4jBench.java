package org.ntk4j.backend.nd4j;

import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * A benchmark, not a test: GEMM 2048×2048 in F64 and F32 through the backend next to ND4J's own
 * {@code mmul} on the same machine in the same run, and the traced empirical NTK of the whole digits set
 * (N = 1797, MLP 64-512-512-10, ReLU) on the ND4J backend (F64 and F32) next to the EJML backend.
 *
 * <p>Run: {@code java -cp <test classpath> org.ntk4j.backend.nd4j.Nd4jBench [gemmRuns] [ntkRuns]}. Each figure
 * is the best of the runs after one warm-up.
 */
public final class Nd4jBench {

    private static final int N = 2048;

    private Nd4jBench() {
    }

    /**
     * @param args optional: the number of timed GEMM runs (default 5) and of eNTK runs (default 2)
     */
    public static void main(String[] args) {
        int gemmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int ntkRuns = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (Backend nd4j = new Nd4jBackendProvider().create(BackendOptions.defaults());
             Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults())) {
            System.out.printf(Locale.ROOT, "%s; %d cores; OPENBLAS_CORETYPE=%s%n",
                    new Nd4jBackendProvider().probe().detail(), Runtime.getRuntime().availableProcessors(),
                    System.getenv("OPENBLAS_CORETYPE"));
            System.out.println("| workload | dtype | ntk4j nd4j backend | reference in the same run |");
            System.out.println("|---|---|---|---|");
            for (DType d : new DType[] {DType.F64, DType.F32}) {
                double backend = gemmBackend(nd4j, d, gemmRuns);
                double own = gemmNd4j(d, gemmRuns);
                System.out.printf(Locale.ROOT, "| GEMM %d×%d | %s | %.1f GFLOP/s | ND4J mmul %.1f GFLOP/s |%n",
                        N, N, d, backend, own);
            }
            Dataset digits = Digits.load();
            Mlp mlp = Mlp.builder(64, 512, 512, 10).activation(Activation.RELU).build();
            MlpParams host = mlp.init(0);
            double ejmlSeconds = ntk(ejml, DType.F64, mlp, host, digits, ntkRuns);
            for (DType d : new DType[] {DType.F64, DType.F32}) {
                double s = ntk(nd4j, d, mlp, host, digits, ntkRuns);
                System.out.printf(Locale.ROOT, "| digits eNTK traced, N=%d, 64-512-512-10 ReLU | %s | %.2f s "
                        + "| EJML F64 %.2f s (%.1f× faster) |%n", digits.size(), d, s, ejmlSeconds, ejmlSeconds / s);
            }
        }
    }

    private static double[] random(int n) {
        SplittableRandom r = new SplittableRandom(n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    private static double gflops(long nanos) {
        return 2.0 * N * N * N / nanos;
    }

    private static double gemmBackend(Backend be, DType d, int runs) {
        try (Tensor a = be.fromHost(random(N * N), N, N, d); Tensor b = be.fromHost(random(N * N + 1), N, N, d);
             Tensor c = be.zeros(N, N, d)) {
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= runs; r++) {
                long t0 = System.nanoTime();
                be.gemm(1, a, false, b, false, 0, c);
                long t = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.min(best, t);
                }
            }
            return gflops(best);
        }
    }

    private static double gemmNd4j(DType d, int runs) {
        DataType t = d == DType.F64 ? DataType.DOUBLE : DataType.FLOAT;
        INDArray a = Nd4j.rand(t, N, N);
        INDArray b = Nd4j.rand(t, N, N);
        INDArray c = Nd4j.create(t, N, N);
        try {
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= runs; r++) {
                long t0 = System.nanoTime();
                a.mmul(b, c);
                long dt = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.min(best, dt);
                }
            }
            return gflops(best);
        } finally {
            a.close();
            b.close();
            c.close();
        }
    }

    private static double ntk(Backend be, DType d, Mlp mlp, MlpParams host, Dataset data, int runs) {
        EmpiricalNtk ntk = new EmpiricalNtk(mlp);
        try (Params p = host.upload(be, d); Tensor x = be.fromHost(data.features(), data.size(), data.dims(), d)) {
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= runs; r++) {
                long t0 = System.nanoTime();
                try (Tensor k = ntk.compute(p, x, OutputAxes.TRACED)) {
                    be.toHost(k);
                }
                long t = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.min(best, t);
                }
            }
            return best / 1e9;
        }
    }
}
