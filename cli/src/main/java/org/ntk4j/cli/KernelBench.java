package org.ntk4j.cli;

import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.KernelListener;
import org.ntk4j.nn.Mlp;
import org.ntk4j.tensor.Tensor;

/** The kernel workloads of {@code ntk4j bench}: their GFLOP/s count the matrix products the kernels report. */
final class KernelBench {

    private KernelBench() {
    }

    /**
     * @param name entk or antk
     * @param n the number of samples
     * @param dims the input dimension
     * @param width the hidden width of entk's MLP d-W-10
     * @param seed the seed of inputs and parameters
     * @return the workload
     * @throws UsageException for an unknown name
     */
    static BenchCommand.Workload workload(String name, int n, int dims, int width, long seed) {
        return switch (name) {
            case "entk" -> PeerWorkloads.tracedEntk(
                    Mlp.builder(dims, width, 10).activation(Activation.RELU).build(), n, seed);
            case "antk" -> new BenchCommand.Workload() {
                public Tensor[] prepare(Backend b, SplittableRandom r) {
                    return new Tensor[] {BenchCommand.random(b, r, n, dims)};
                }

                public double run(Backend b, Tensor[] t) {
                    long[] flops = {0};
                    KernelListener count = e -> flops[0] += e.gemmFlops();
                    AnalyticNtk a = AnalyticNtk.of(3, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null)
                            .withListener(count);
                    try (AnalyticNtk.Kernels k = a.compute(b, t[0], null)) {
                        b.toHost(k.ntk());
                    }
                    return flops[0];
                }

                public double bytes() {
                    return 8.0 * (6.0 * n * n + (double) n * dims);
                }
            };
            default -> throw new UsageException("unknown workload '" + name + "'; known: gemm, gram, solve, entk, antk");
        };
    }
}
