package org.ntk4j.backend.ejml.kernel;

import java.util.Locale;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.KernelListener;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Benchmark (not a test): the traced empirical NTK of all 1,797 digits for an MLP 64-512-512-10 with ReLU
 * on the EJML backend; prints wall time, GEMM flops and achieved GFLOP/s, and for comparison one plain
 * GEMM of the size of the kernel's largest products.
 *
 * <p>Arguments: {@code [repeats (default 3)] [threads (default: all)]}.
 */
public final class EmpiricalNtkBenchmark {

    private EmpiricalNtkBenchmark() {
    }

    /**
     * @param args repeats and threads, both optional
     */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        BackendOptions options = BackendOptions.defaults();
        if (args.length > 1) {
            options = options.withThreads(Integer.parseInt(args[1]));
        }
        Dataset digits = Digits.load().scaled(1.0 / 16);
        int n = digits.size();
        Mlp mlp = Mlp.builder(64, 512, 512, 10).activation(Activation.RELU).build();
        KernelListener.Event[] last = new KernelListener.Event[1];
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(null).withListener(e -> last[0] = e);
        try (Backend be = new EjmlBackendProvider().create(options); TensorScope s = be.scope()) {
            Params p = mlp.init(0).upload(be, DType.F64);
            Tensor x = be.fromHost(digits.features(), n, digits.dims(), DType.F64);
            try (Tensor warm = ntk.compute(p, be.gatherRows(x, range(256)), OutputAxes.TRACED)) {
                System.out.printf(Locale.ROOT, "warm-up (N=256): %.3f s%n", last[0].nanos() / 1e9);
            }
            System.out.printf(Locale.ROOT, "empirical NTK, traced, N=%d, %s, backend %s, %d processors%n", n, mlp,
                    be.name(), Runtime.getRuntime().availableProcessors());
            for (int r = 0; r < repeats; r++) {
                try (Tensor k = ntk.compute(p, x, OutputAxes.TRACED)) {
                    KernelListener.Event e = last[0];
                    System.out.printf(Locale.ROOT, "run %d: %.3f s, %.2f GFLOP in GEMMs, %.2f GFLOP/s%n", r + 1,
                            e.nanos() / 1e9, e.gemmFlops() / 1e9, e.gflopsPerSecond());
                }
            }
            try (Tensor a = be.zeros(n, 512, DType.F64); Tensor c = be.zeros(n, n, DType.F64)) {
                be.affine(0, a, 0.5, a);
                long t0 = System.nanoTime();
                be.gemm(1, a, false, a, true, 0, c);
                long dt = System.nanoTime() - t0;
                double flops = 2.0 * n * n * 512;
                System.out.printf(Locale.ROOT, "reference GEMM %dx512 by 512x%d: %.3f s, %.2f GFLOP/s%n", n, n, dt / 1e9,
                        flops / dt);
            }
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
