package org.ntk4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.Backends;
import org.ntk4j.backend.ProviderStatus;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ntk4j bench}: every available backend (or the chosen ones) side by side on GEMM and kernel
 * workloads, reporting the median time and achieved GFLOP/s.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run every available backend side by side on GEMM and kernel workloads and print the median"
                + " time and achieved GFLOP/s of each.",
                "Workloads: gemm (n×n times n×n, 2n³ flops), gram (the n×n Gram matrix of n×d inputs, 2n²d flops),"
                        + " solve (Cholesky solve of an n×n kernel system with 10 right-hand sides, n³/3 + 20n² flops)"
                        + ", entk (traced empirical NTK of an MLP d-256-10, ReLU), antk (analytic NNGP and NTK of a"
                        + " 3-layer ReLU network); kernel GFLOP/s count their matrix products."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--backends", paramLabel = "NAMES", split = ",",
            description = "Backends to compare, comma-separated. Default: every available one (--backend picks one).")
    List<String> backends;

    @Option(names = "--sizes", paramLabel = "N", split = ",", defaultValue = "128,256,512",
            description = "Problem sizes n, comma-separated. Default: ${DEFAULT-VALUE}.")
    int[] sizes;

    @Option(names = "--workloads", paramLabel = "NAMES", split = ",", defaultValue = "gemm,gram,solve,entk,antk",
            description = "Workloads, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> workloads;

    @Option(names = "--dims", paramLabel = "D", defaultValue = "64",
            description = "Input dimension d of the gram and kernel workloads. Default: ${DEFAULT-VALUE}.")
    int dims;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "5",
            description = "Timed repetitions per measurement (after 2 warm-up runs); the median is reported."
                    + " Default: ${DEFAULT-VALUE}.")
    int repeat;

    /** One workload at one size: runs it once on a backend and says how many floating-point operations it did. */
    interface Workload {
        /**
         * @param backend the backend (its tensors are made in a scope the caller closes)
         * @param inputs the inputs made by {@link #prepare}
         * @return the floating-point operations done
         */
        double run(Backend backend, Tensor[] inputs);

        /**
         * @param backend the backend
         * @param random the seeded random source
         * @return the inputs (created in the caller's scope)
         */
        Tensor[] prepare(Backend backend, SplittableRandom random);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (repeat < 1 || dims < 1 || Arrays.stream(sizes).anyMatch(n -> n < 1)) {
            throw new UsageException("--repeat, --dims and --sizes must be ≥ 1");
        }
        List<String> names = chosenBackends();
        Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "%-8s %-8s %6s %12s %10s%n", "workload", "backend", "n", "median ms", "GFLOP/s");
        for (String workload : workloads) {
            for (int n : sizes) {
                Workload w = workload(workload.trim().toLowerCase(Locale.ROOT), n);
                for (String name : names) {
                    double[] m = measure(name, w);
                    double seconds = m[0];
                    double gflops = m[1] / seconds / 1e9;
                    results.computeIfAbsent(workload + " n=" + n, k -> new LinkedHashMap<>())
                            .put(name, new double[] {seconds, gflops});
                    out.printf(Locale.ROOT, "%-8s %-8s %6d %12.3f %10.2f%n", workload, name, n, seconds * 1e3, gflops);
                    out.flush();
                }
            }
        }
        if (names.size() > 1) {
            out.println();
            out.println("fastest per workload:");
            results.forEach((k, v) -> {
                String best = v.entrySet().stream().max((a, b) -> Double.compare(a.getValue()[1], b.getValue()[1]))
                        .map(Map.Entry::getKey).orElse("?");
                out.printf(Locale.ROOT, "  %-16s %s%n", k, best);
            });
        }
        out.flush();
        return 0;
    }

    private List<String> chosenBackends() {
        if (backends != null && !backends.isEmpty()) {
            backends.forEach(b -> CommonOptions.checkKnown("--backends", b));
            return backends.stream().map(String::trim).toList();
        }
        if (common.backend != null) {
            CommonOptions.checkKnown("--backend", common.backend);
            return List.of(common.backend);
        }
        List<String> names = new ArrayList<>();
        for (ProviderStatus s : Backends.report()) {
            if (s.availability().available()) {
                names.add(s.name());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no backend is available (see 'ntk4j backends')");
        }
        return names;
    }

    /** @return the median seconds and the flops of one run */
    private double[] measure(String backendName, Workload w) {
        BackendOptions o = common.threads > 0 ? BackendOptions.defaults().withThreads(common.threads)
                : BackendOptions.defaults();
        try (Backend backend = Backends.create(backendName, o); TensorScope scope = backend.scope()) {
            Tensor[] inputs = w.prepare(backend, new SplittableRandom(common.seed));
            for (int i = 0; i < 2; i++) {
                w.run(backend, inputs);
            }
            double[] times = new double[repeat];
            double flops = 0;
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                flops = w.run(backend, inputs);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(times);
            return new double[] {times[repeat / 2], flops};
        }
    }

    private Workload workload(String name, int n) {
        return switch (name) {
            case "gemm" -> new Workload() {
                public Tensor[] prepare(Backend b, SplittableRandom r) {
                    return new Tensor[] {random(b, r, n, n), random(b, r, n, n), b.zeros(n, n, DType.F64)};
                }

                public double run(Backend b, Tensor[] t) {
                    b.gemm(1, t[0], false, t[1], false, 0, t[2]);
                    b.toHost(t[2]); // include the copy back, as a caller would see it
                    return 2.0 * n * n * n;
                }
            };
            case "gram" -> new Workload() {
                public Tensor[] prepare(Backend b, SplittableRandom r) {
                    return new Tensor[] {random(b, r, n, dims), b.zeros(n, n, DType.F64)};
                }

                public double run(Backend b, Tensor[] t) {
                    b.gemm(1, t[0], false, t[0], true, 0, t[1]);
                    b.toHost(t[1]);
                    return 2.0 * n * n * dims;
                }
            };
            case "solve" -> new Workload() {
                public Tensor[] prepare(Backend b, SplittableRandom r) {
                    Tensor x = random(b, r, n, n);
                    Tensor k = b.zeros(n, n, DType.F64);
                    b.gemm(1.0 / n, x, false, x, true, 0, k);
                    double[] host = b.toHost(k);
                    for (int i = 0; i < n; i++) {
                        host[i * n + i] += 1; // well conditioned: K + I
                    }
                    return new Tensor[] {b.fromHost(host, n, n, DType.F64), random(b, r, n, 10),
                        b.zeros(n, 10, DType.F64)};
                }

                public double run(Backend b, Tensor[] t) {
                    b.choleskySolve(t[0], t[1], t[2]);
                    b.toHost(t[2]);
                    return n * (double) n * n / 3 + 2.0 * n * n * 10;
                }
            };
            default -> KernelBench.workload(name, n, dims, common.seed);
        };
    }

    static Tensor random(Backend b, SplittableRandom r, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return b.fromHost(v, rows, cols, DType.F64);
    }
}
