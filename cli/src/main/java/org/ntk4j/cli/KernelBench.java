package org.ntk4j.cli;

/** The kernel workloads of {@code ntk4j bench}, once kernels are available. */
final class KernelBench {

    /** Added to the bench help text. */
    static final String HELP = ".";
    /** Added to the default workload list. */
    static final String DEFAULT = "";

    private KernelBench() {
    }

    static BenchCommand.Workload workload(String name, int n, int dims, BenchCommand bench) {
        throw new UsageException("unknown workload '" + name + "'; known: gemm, gram, solve");
    }
}
