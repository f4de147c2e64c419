package org.ntk4j.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The GPU benchmark run by {@code device-check.sh}: GEMM GFLOP/s at 4096² and 8192² in F32 and F64, and the
 * traced empirical NTK of N inputs of dimension 784 through an MLP 784-2048-2048-10 (ReLU, NTK
 * parameterization) by {@link TracedNtk}. The first 128 rows of the
 * kernel are recomputed on the EJML backend and compared. Prints one line per measurement, then exits with 0,
 * or with 2 and the probe's reason when there is no device.
 *
 * <p>Arguments: {@code [N]} (default 8192).
 */
public final class CudaBenchmark {

    private static final int[] WIDTHS = {784, 2048, 2048, 10};
    private static final int CHECK_ROWS = 128;

    private CudaBenchmark() {
    }

    /**
     * @param args optionally the number of inputs N for the eNTK (not modified)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        Availability a = new CudaBackendProvider().probe();
        if (!a.available()) {
            System.out.println("no CUDA device: " + a.detail());
            System.exit(2);
        }
        System.out.println("device: " + a.detail());
        List<String> rows = new ArrayList<>();
        try (Backend gpu = new CudaBackendProvider().create(BackendOptions.defaults())) {
            System.out.println("gemm engine: " + ((CudaBackend) gpu).gemmEngine());
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                for (int size : new int[] {4096, 8192}) {
                    rows.add(gemm(gpu, size, dtype));
                    System.out.println(rows.get(rows.size() - 1));
                }
            }
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                rows.add(entk(gpu, n, dtype));
                System.out.println(rows.get(rows.size() - 1));
            }
        }
        System.out.println("summary:");
        rows.forEach(r -> System.out.println("  " + r));
    }

    /** Forces queued device work to finish (a download waits for it). */
    private static void sync(Backend b, Tensor t) {
        try (Tensor one = b.gatherRows(t, new int[] {0})) {
            b.dot(one, one);
        }
    }

    private static double[] random(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return d;
    }

    private static String gemm(Backend gpu, int size, DType dtype) {
        try (TensorScope scope = gpu.scope()) {
            Tensor a = gpu.fromHost(random(size * size, 1), size, size, dtype);
            Tensor b = gpu.fromHost(random(size * size, 2), size, size, dtype);
            Tensor c = gpu.zeros(size, size, dtype);
            gpu.gemm(1, a, false, b, false, 0, c); // warm-up (and the JIT of the module on first use)
            sync(gpu, c);
            int reps = size <= 4096 ? 5 : 2;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                gpu.gemm(1, a, false, b, false, 0, c);
            }
            sync(gpu, c);
            double seconds = (System.nanoTime() - t0) / 1e9 / reps;
            double gflops = 2.0 * size * size * size / seconds / 1e9;
            return String.format(Locale.ROOT, "gemm %s %dx%d  %9.1f GFLOP/s  (%.3f s per call)", dtype, size, size,
                    gflops, seconds);
        }
    }

    private static String entk(Backend gpu, int n, DType dtype) {
        double[][] params = TracedNtk.parameters(WIDTHS, 42);
        double[] inputs = random(n * WIDTHS[0], 7);
        try (TensorScope scope = gpu.scope()) {
            long t0 = System.nanoTime();
            Tensor theta = TracedNtk.traced(gpu, WIDTHS, inputs, n, params, dtype);
            sync(gpu, theta);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int[] first = new int[CHECK_ROWS];
            for (int i = 0; i < CHECK_ROWS; i++) {
                first[i] = i;
            }
            double[] top = gpu.toHost(gpu.gatherRows(theta, first));
            double[] sub = new double[CHECK_ROWS * WIDTHS[0]];
            System.arraycopy(inputs, 0, sub, 0, sub.length);
            double maxRel;
            try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
                 Tensor ref = TracedNtk.traced(ejml, WIDTHS, sub, CHECK_ROWS, params, DType.F64)) {
                double[] r = ejml.toHost(ref);
                double scale = 0;
                for (double v : r) {
                    scale = Math.max(scale, Math.abs(v));
                }
                maxRel = 0;
                for (int i = 0; i < CHECK_ROWS; i++) {
                    for (int j = 0; j < CHECK_ROWS; j++) {
                        maxRel = Math.max(maxRel, Math.abs(top[i * n + j] - r[i * CHECK_ROWS + j]) / scale);
                    }
                }
            }
            double trace = 0;
            for (int i = 0; i < CHECK_ROWS; i++) {
                trace += top[i * n + i];
            }
            return String.format(Locale.ROOT, "entk %s N=%d MLP 784-2048-2048-10 traced  %.2f s  "
                    + "(mean diag of first %d: %.4f, max rel diff vs EJML on them: %.1e)", dtype, n, seconds,
                    CHECK_ROWS, trace / CHECK_ROWS, maxRel);
        }
    }
}
