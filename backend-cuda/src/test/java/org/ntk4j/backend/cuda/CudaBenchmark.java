package org.ntk4j.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.KernelListener;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The GPU benchmark run by {@code device-check.sh}: GEMM GFLOP/s at 4096² and 8192² in F32 and F64, and the
 * traced empirical NTK of N inputs of dimension 784 through an MLP 784-2048-2048-10 (ReLU, NTK
 * parameterization, σ_w = √2, σ_b = 0.1, seeded {@link Mlp#init}) by the library's {@link EmpiricalNtk}, with
 * GFLOP/s from the GEMM flops its {@link KernelListener} reports over the wall time to a finished result. The
 * first 128 rows of the kernel, Θ(X[0:128], X), are computed once on the EJML backend in F64 and compared with
 * those rows from the device. Prints one line per measurement, then exits with 0,
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
        if (n < CHECK_ROWS) {
            throw new IllegalArgumentException("N must be at least " + CHECK_ROWS + ", got " + n);
        }
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
            MlpParams params = network().init(42);
            double[] inputs = random(n * WIDTHS[0], 7);
            List<DType> dtypes = List.of(DType.F32, DType.F64);
            List<double[]> firstRows = new ArrayList<>();
            for (DType dtype : dtypes) {
                firstRows.add(entk(gpu, params, inputs, n, dtype, rows));
            }
            // the reference comes after the timings, so that they are printed even where EJML is slow
            double[] reference = referenceRows(params, inputs, n);
            for (int i = 0; i < dtypes.size(); i++) {
                rows.add(check(dtypes.get(i), n, firstRows.get(i), reference));
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

    /** The benchmark's network: ReLU, NTK parameterization, σ_w = √2, σ_b = 0.1. */
    static Mlp network() {
        return Mlp.builder(WIDTHS).activation(Activation.RELU).sigmaW(Math.sqrt(2)).sigmaB(0.1).build();
    }

    /**
     * The EJML reference for the check: the F64 cross kernel Θ(X[0:128], X), the first rows of the full kernel.
     *
     * @return the CHECK_ROWS×n kernel, row-major
     */
    private static double[] referenceRows(MlpParams params, double[] inputs, int n) {
        Mlp mlp = params.mlp();
        KernelListener.Event[] last = new KernelListener.Event[1];
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null).withListener(e -> last[0] = e);
        try (Backend ejml = new EjmlBackendProvider().create(BackendOptions.defaults());
             TensorScope scope = ejml.scope()) {
            Tensor x = ejml.fromHost(inputs, n, mlp.inputDim(), DType.F64);
            Tensor top = ejml.gatherRows(x, firstRows());
            double[] rows = ejml.toHost(ntk.compute(params.upload(ejml, DType.F64), top, x, OutputAxes.TRACED));
            System.out.printf(Locale.ROOT, "reference: EJML F64 cross kernel of the first %d rows against all %d, "
                    + "%.1f s, %.1f GFLOP/s%n", CHECK_ROWS, n, last[0].nanos() / 1e9, last[0].gflopsPerSecond());
            return rows;
        }
    }

    private static int[] firstRows() {
        int[] first = new int[CHECK_ROWS];
        for (int i = 0; i < CHECK_ROWS; i++) {
            first[i] = i;
        }
        return first;
    }

    /**
     * Times the kernel on the device and adds its line to {@code rows} (modified).
     *
     * @return the first CHECK_ROWS rows of the kernel, row-major
     */
    private static double[] entk(Backend gpu, MlpParams params, double[] inputs, int n, DType dtype,
                                 List<String> rows) {
        Mlp mlp = params.mlp();
        KernelListener.Event[] last = new KernelListener.Event[1];
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null).withListener(e -> last[0] = e);
        try (TensorScope scope = gpu.scope()) {
            Params p = params.upload(gpu, dtype);
            Tensor x = gpu.fromHost(inputs, n, mlp.inputDim(), dtype);
            sync(gpu, x);
            long t0 = System.nanoTime();
            Tensor theta = ntk.compute(p, x, OutputAxes.TRACED);
            sync(gpu, theta);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long flops = last[0].gemmFlops();
            rows.add(String.format(Locale.ROOT, "entk %s N=%d MLP 784-2048-2048-10 traced  %.2f s, %.1f GFLOP in "
                    + "GEMMs, %.1f GFLOP/s", dtype, n, seconds, flops / 1e9, flops / 1e9 / seconds));
            System.out.println(rows.get(rows.size() - 1));
            return gpu.toHost(gpu.gatherRows(theta, firstRows()));
        }
    }

    /** @return the line comparing the device's first rows with EJML's */
    private static String check(DType dtype, int n, double[] top, double[] reference) {
        double scale = 0;
        for (double v : reference) {
            scale = Math.max(scale, Math.abs(v));
        }
        double maxRel = 0;
        for (int i = 0; i < top.length; i++) {
            maxRel = Math.max(maxRel, Math.abs(top[i] - reference[i]) / scale);
        }
        double trace = 0;
        for (int i = 0; i < CHECK_ROWS; i++) {
            trace += top[i * n + i];
        }
        return String.format(Locale.ROOT, "entk %s check  max rel diff vs EJML F64 on the first %d rows: %.1e "
                + "(their mean diagonal %.4f)", dtype, CHECK_ROWS, maxRel, trace / CHECK_ROWS);
    }
}
