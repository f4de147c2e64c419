package org.ntk4j.backend.ejml.layers;

import java.util.Arrays;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.ejml.EjmlBackendProvider;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.GenericNtk;
import org.ntk4j.kernel.HostMatrix;
import org.ntk4j.kernel.KernelListener;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Benchmark (not a test): the traced empirical NTK of the first N digits (default 256) on the EJML backend, by
 * the structured kernel of the MLP 64-256-256-10 (ReLU) and by the generic kernel of the same network written as
 * serial(dense, relu, dense, relu, dense) with the same parameters, one run each, back to back; then the generic
 * kernel of a small CNN on the digits as 8×8×1 images: conv(16, 3x3)-relu-conv(16, 3x3)-relu-globalAvgPool-dense(10).
 * Prints wall time, process CPU time, contraction flops and the largest difference between the two dense kernels.
 *
 * <p>Arguments: {@code [N (default 256)] [block size of the generic kernel (default 64)]}.
 */
public final class GenericNtkBenchmark {

    private GenericNtkBenchmark() {
    }

    /**
     * @param args N and the block size, both optional
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Dataset digits = Digits.load().scaled(1.0 / 16);
        Mlp mlp = Mlp.builder(64, 256, 256, 10).build();
        Model dense = Model.of(Shape.vector(64), Layers.dense(256), Layers.relu(), Layers.dense(256), Layers.relu(),
                Layers.dense(10));
        Model cnn = Model.of(Shape.image(8, 8, 1), Layers.conv(16, 3, 3), Layers.relu(), Layers.conv(16, 3, 3),
                Layers.relu(), Layers.globalAvgPool(), Layers.dense(10));
        KernelListener.Event[] last = new KernelListener.Event[1];
        KernelListener keep = e -> last[0] = e;
        try (Backend be = new EjmlBackendProvider().create(BackendOptions.defaults()); TensorScope s = be.scope()) {
            Params p = dense.init(0).toBackend(be, DType.F64);
            Tensor x = be.fromHost(Arrays.copyOf(digits.features(), n * 64), n, 64, DType.F64);
            System.out.printf(Locale.ROOT, "traced empirical NTK, N=%d, backend %s, %d processors%n", n, be.name(),
                    Runtime.getRuntime().availableProcessors());
            long cpu0 = cpuNanos();
            double[] structured = be.toHost(new EmpiricalNtk(mlp).withMeterRegistry(null).withListener(keep)
                    .compute(p, x, OutputAxes.TRACED));
            report("structured " + mlp, last[0], cpu0);
            cpu0 = cpuNanos();
            HostMatrix generic = new GenericNtk(dense).withMeterRegistry(null).withListener(keep)
                    .computeTiled(p, x, null, OutputAxes.TRACED, block, (d, t) -> { });
            report("generic " + dense + ", blocks of " + block, last[0], cpu0);
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < structured.length; i++) {
                scale = Math.max(scale, Math.abs(structured[i]));
                diff = Math.max(diff, Math.abs(structured[i] - generic.data()[i]));
            }
            System.out.printf(Locale.ROOT, "largest difference %.2e of largest entry %.3e (%.1e relative)%n", diff,
                    scale, diff / scale);
            Params pc = cnn.init(0).toBackend(be, DType.F64);
            cpu0 = cpuNanos();
            new GenericNtk(cnn).withMeterRegistry(null).withListener(keep)
                    .computeTiled(pc, x, null, OutputAxes.TRACED, block, (d, t) -> { });
            report("generic " + cnn + " (" + cnn.parameterCount() + " parameters), blocks of " + block, last[0], cpu0);
        }
    }

    private static void report(String what, KernelListener.Event e, long cpu0) {
        System.out.printf(Locale.ROOT, "%s: %.3f s wall, process CPU %.1f s, %.2f GFLOP in contraction GEMMs%n", what,
                e.nanos() / 1e9, (cpuNanos() - cpu0) / 1e9, e.gemmFlops() / 1e9);
    }

    /** @return the CPU time of the whole process, all threads, in nanoseconds (0 where the JVM cannot tell) */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
