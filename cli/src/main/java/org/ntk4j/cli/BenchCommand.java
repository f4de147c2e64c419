package org.ntk4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code ntk4j bench}: every available backend (or the chosen ones) side by side on GEMM, solver and kernel
 * workloads, and on the jobs of the NumPy reference scripts, reporting the median time and achieved GFLOP/s.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run every available backend side by side on GEMM, solver and kernel workloads and print the"
                + " median time and achieved GFLOP/s of each.",
                "Workloads: gemm (n×n times n×n, 2n³ flops), gram (the n×n Gram matrix of n×d inputs, 2n²d flops),"
                        + " solve (Cholesky solve of an n×n kernel system with 10 right-hand sides, n³/3 + 20n² flops)"
                        + ", entk (traced empirical NTK of an MLP d-W-10, ReLU), antk (analytic NNGP and NTK of a"
                        + " 3-layer ReLU network); kernel GFLOP/s count their matrix products.",
                "The jobs of the NumPy reference scripts, one for one (run them by name):"
                        + " entk-mlp (traced empirical NTK of N samples, MLP d-W-W-10; N=2048, W=1024, d=784),"
                        + " proximal-step (one proximal-ntk step on a batch of m, MLP d-W-W-10, the full (10m)² kernel"
                        + " and its Cholesky solve; m=256, d=64, W=256), analytic-regression (NNGP and NTK kernel"
                        + " regression of the first n training images of --data idx:DIR against all 10,000 test"
                        + " images; n=5000, --depth 2). --sizes sets N, m or n; --dims and --width the others."})
final class BenchCommand implements Callable<Integer> {

    /** The default sizes of each workload. */
    private static final Map<String, int[]> DEFAULT_SIZES = Map.of("entk-mlp", new int[] {2048},
            "proximal-step", new int[] {256}, "analytic-regression", new int[] {5000});
    /** The default input dimension d and hidden width W of each workload (others: 64 and 256). */
    private static final Map<String, int[]> DEFAULT_DIMS_WIDTH = Map.of("entk-mlp", new int[] {784, 1024});
    private static final List<String> KNOWN = List.of("gemm", "gram", "solve", "entk", "antk", "entk-mlp",
            "proximal-step", "analytic-regression");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--backends", paramLabel = "NAMES", split = ",",
            description = "Backends to compare, comma-separated. Default: every available one (--backend picks one).")
    List<String> backends;

    @Option(names = "--sizes", paramLabel = "N", split = ",",
            description = "Problem sizes (n, or N, m, n of the script workloads), comma-separated. Default: 128,256,512;"
                    + " entk-mlp 2048, proximal-step 256, analytic-regression 5000.")
    int[] sizes;

    @Option(names = "--workloads", paramLabel = "NAMES", split = ",", defaultValue = "gemm,gram,solve,entk,antk",
            description = "Workloads, comma-separated: gemm, gram, solve, entk, antk, entk-mlp, proximal-step,"
                    + " analytic-regression. Default: ${DEFAULT-VALUE}.")
    List<String> workloads;

    @Option(names = "--dims", paramLabel = "D",
            description = "Input dimension d of the gram and network workloads. Default: 64; entk-mlp 784.")
    Integer dims;

    @Option(names = "--width", paramLabel = "W",
            description = "Hidden width W of the network workloads. Default: 256; entk-mlp 1024.")
    Integer width;

    @Option(names = "--depth", paramLabel = "L", defaultValue = "2",
            description = "Hidden layers of analytic-regression's kernel. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = "--data", paramLabel = "idx:DIR",
            description = "The MNIST-style folder of analytic-regression ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]),"
                    + " e.g. Fashion-MNIST.")
    String data;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "5",
            description = "Timed repetitions per measurement (after the warm-up runs); the median is reported."
                    + " Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--warmup", paramLabel = "K", defaultValue = "2",
            description = "Untimed runs before the timed ones. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--csv", description = "Print CSV rows workload,backend,dtype,size,median_s,gflops instead of a table.")
    boolean csv;

    /** One workload at one size: runs it once on a backend and says how many floating-point operations it did. */
    interface Workload {
        /**
         * @param backend the backend (its tensors are made in a scope the caller closes)
         * @param inputs the inputs made by {@link #prepare} (not modified)
         * @return the floating-point operations done
         */
        double run(Backend backend, Tensor[] inputs);

        /**
         * @param backend the backend
         * @param random the seeded random source (advanced)
         * @return the inputs (created in the caller's scope)
         */
        Tensor[] prepare(Backend backend, SplittableRandom random);

        /** @return about how many bytes of memory a run needs at its largest */
        double bytes();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (warmup < 0) {
            throw new UsageException("--warmup must be ≥ 0, got " + warmup);
        }
        if (repeat < 1 || (dims != null && dims < 1) || (width != null && width < 1) || depth < 1
                || (sizes != null && Arrays.stream(sizes).anyMatch(n -> n < 1))) {
            throw new UsageException("--repeat, --dims, --width, --depth and --sizes must be ≥ 1");
        }
        List<String> names = chosenBackends();
        List<String> chosen = workloads.stream().map(w -> w.trim().toLowerCase(Locale.ROOT)).toList();
        Map<String, Workload> plan = new LinkedHashMap<>();
        for (String workload : chosen) {
            for (int n : sizes != null ? sizes : DEFAULT_SIZES.getOrDefault(workload, new int[] {128, 256, 512})) {
                plan.put(workload + " " + n, workload(workload, n));
            }
        }
        checkHeap(plan, Runtime.getRuntime().maxMemory());
        Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
        if (csv) {
            out.println("workload,backend,dtype,size,median_s,gflops");
        } else {
            out.printf(Locale.ROOT, "%-19s %-8s %6s %12s %10s%n", "workload", "backend", "n", "median ms", "GFLOP/s");
        }
        plan.forEach((key, w) -> {
            String workload = key.substring(0, key.indexOf(' '));
            int n = Integer.parseInt(key.substring(key.indexOf(' ') + 1));
            for (String name : names) {
                double[] m = measure(name, w);
                double seconds = m[0];
                double gflops = m[1] / seconds / 1e9;
                results.computeIfAbsent(workload + " n=" + n, k -> new LinkedHashMap<>()).put(name, m);
                if (csv) {
                    out.printf(Locale.ROOT, "%s,%s,F64,%d,%.6g,%.3f%n", workload, name, n, seconds, gflops);
                } else {
                    out.printf(Locale.ROOT, "%-19s %-8s %6d %12.3f %10.2f%n", workload, name, n, seconds * 1e3, gflops);
                }
                out.flush();
            }
        });
        if (names.size() > 1 && !csv) {
            out.println();
            out.println("fastest per workload:");
            results.forEach((k, v) -> {
                String best = v.entrySet().stream().min((a, b) -> Double.compare(a.getValue()[0], b.getValue()[0]))
                        .map(Map.Entry::getKey).orElse("?");
                out.printf(Locale.ROOT, "  %-26s %s%n", k, best);
            });
        }
        out.flush();
        return 0;
    }

    /**
     * Refuses, before anything runs, a plan whose largest workload would not fit in the heap.
     *
     * @param plan the workloads by "name size"
     * @param maxHeap the heap's limit in bytes
     * @throws UsageException naming the option, the need and the fix
     */
    static void checkHeap(Map<String, Workload> plan, long maxHeap) {
        plan.forEach((key, w) -> {
            if (w.bytes() > maxHeap) {
                String[] ws = key.split(" ");
                throw new UsageException(String.format(Locale.ROOT, "--sizes %s: %s needs about %.1f GB of memory,"
                        + " the Java heap allows %.1f GB; choose smaller sizes or raise the heap (JAVA_OPTS=-Xmx%dg)",
                        ws[1], ws[0], w.bytes() / 1e9, maxHeap / 1e9, (long) Math.ceil(w.bytes() * 1.5 / (1L << 30))));
            }
        });
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
            for (int i = 0; i < warmup; i++) {
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
        int[] dw = DEFAULT_DIMS_WIDTH.getOrDefault(name, new int[] {64, 256});
        int d = dims != null ? dims : dw[0];
        int w = width != null ? width : dw[1];
        return switch (name) {
            case "entk-mlp" -> PeerWorkloads.entkMlp(n, d, w, common.seed);
            case "proximal-step" -> PeerWorkloads.proximalStep(n, d, w, common.seed);
            case "analytic-regression" -> PeerWorkloads.analyticRegression(n, depth, idxFolder());
            case "entk", "antk" -> KernelBench.workload(name, n, d, w, common.seed);
            case "gemm" -> new Workload() {
                public Tensor[] prepare(Backend b, SplittableRandom r) {
                    return new Tensor[] {random(b, r, n, n), random(b, r, n, n), b.zeros(n, n, DType.F64)};
                }

                public double run(Backend b, Tensor[] t) {
                    b.gemm(1, t[0], false, t[1], false, 0, t[2]);
                    b.toHost(t[2]); // include the copy back, as a caller would see it
                    return 2.0 * n * n * n;
                }

                public double bytes() {
                    return 8.0 * 4 * n * n;
                }
            };
            case "gram" -> new Workload() {
                public Tensor[] prepare(Backend b, SplittableRandom r) {
                    return new Tensor[] {random(b, r, n, d), b.zeros(n, n, DType.F64)};
                }

                public double run(Backend b, Tensor[] t) {
                    b.gemm(1, t[0], false, t[0], true, 0, t[1]);
                    b.toHost(t[1]);
                    return 2.0 * n * n * d;
                }

                public double bytes() {
                    return 8.0 * (2.0 * n * n + (double) n * d);
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

                public double bytes() {
                    return 8.0 * (5.0 * n * n + 30.0 * n);
                }
            };
            default -> throw new UsageException("--workloads: unknown workload '" + name + "'; known: "
                    + String.join(", ", KNOWN));
        };
    }

    private Path idxFolder() {
        if (data == null || !data.startsWith("idx:")) {
            throw new UsageException("--data: analytic-regression needs an MNIST-style folder, --data idx:DIR"
                    + (data == null ? "" : ", got " + data));
        }
        Path dir = Path.of(data.substring(4));
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--data " + data + ": not a folder");
        }
        return dir;
    }

    static Tensor random(Backend b, SplittableRandom r, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return b.fromHost(v, rows, cols, DType.F64);
    }
}
