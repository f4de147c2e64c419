package org.ntk4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.HostMatrix;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ntk4j kernel}: the NTK or NNGP kernel of a data set, written as {@code .npy}. */
@Command(name = "kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute a kernel of the training inputs and write it as a NumPy .npy file, with its eigenvalue"
                + " spectrum as a PNG plot.",
                "empirical: the exact NTK J·Jᵀ of the MLP or the --model at its initial (or --params) parameters,"
                        + " computed tile by tile; the parameters are written beside the kernel as .npz.",
                "analytic: the infinite-width NNGP or NTK of the same architecture (depth, activation, σ_w, σ_b),"
                        + " in closed form or by quadrature.",
                "Read it in Python with numpy.load('kernel.npy')."})
final class KernelCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    OutOfCoreOption outOfCore;

    @Option(names = "--kind", paramLabel = "K", defaultValue = "empirical",
            description = "empirical (the finite-width NTK of the MLP at its parameters) or analytic (the"
                    + " infinite-width NNGP/NTK of the same architecture). Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--kernel", paramLabel = "K", defaultValue = "ntk",
            description = "ntk, or nngp (analytic only). Default: ${DEFAULT-VALUE}.")
    String kernel;

    @Option(names = "--axes", paramLabel = "A", defaultValue = "traced",
            description = "Output axes of an empirical kernel: traced (N×N, mean over outputs) or full (N·O×N·O)."
                    + " Default: ${DEFAULT-VALUE}.")
    String axes;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "500",
            description = "Use the first N training samples (0 for all). Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256",
            description = "Tile size: samples per block of the tiled computation. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--params", paramLabel = "FILE.npz",
            description = "Parameters to use instead of a fresh initialization: a train run's checkpoint.npz, or"
                    + " a kernel's FILE-params.npz.")
    Path params;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.npy", defaultValue = "kernel.npy",
            description = "Where to write the kernel. Default: ${DEFAULT-VALUE}; the spectrum plot goes to"
                    + " FILE-spectrum.png and (empirical) the parameters to FILE-params.npz.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (samples < 0 || batchSize < 1) {
            throw new UsageException("--samples must be ≥ 0 and --batch-size ≥ 1");
        }
        common.check();
        Split split = data.load(common.seed);
        Dataset x = split.train();
        if (samples > 0 && samples < x.size()) {
            x = x.subset(range(samples), x.name());
        }
        if (outOfCore.enabled) {
            return outOfCore.run(stdout, err, common, model, x, kind, kernel, axes, batchSize, params, out);
        }
        boolean full = kind.equalsIgnoreCase("empirical") && axes.equalsIgnoreCase("full");
        long n = full ? (long) x.size() * x.classes() : x.size();
        HeapCheck.elements("--samples " + samples + (full ? " --axes full" : ""), "the " + n + "×" + n + " kernel", n, n);
        HeapCheck.fits("--samples " + samples + ": the " + n + "×" + n + " kernel (3 float64 copies)", 3.0 * n * n,
                "--samples");
        String base = out.getFileName().toString().replaceAll("\\.npy$", "");
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        double[] values;
        int rows;
        int cols;
        String what;
        double seconds;
        Path paramsFile = null;
        long t0 = System.nanoTime();
        try (Backend backend = common.createBackend(); TensorScope scope = backend.scope()) {
            Tensor xs = backend.fromHost(x.features(), x.size(), x.dims(), DType.F64);
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "empirical" -> {
                    if (!kernel.equalsIgnoreCase("ntk")) {
                        throw new UsageException("--kernel " + kernel + " needs --kind analytic; an empirical kernel is"
                                + " the NTK");
                    }
                    OutputAxes ax = switch (axes.toLowerCase(Locale.ROOT)) {
                        case "traced" -> OutputAxes.TRACED;
                        case "full" -> OutputAxes.FULL;
                        default -> throw new UsageException("--axes must be traced or full, got " + axes);
                    };
                    Network net = model.network(x);
                    model.checkHeap(net, 3);
                    HostParams host = params != null ? net.load(params) : net.init(common.seed);
                    Params p = host.upload(backend, DType.F64);
                    HostMatrix k;
                    int tiles = (x.size() + batchSize - 1) / batchSize;
                    try (Progress bar = new Progress(err, "kernel", "tiles", (long) tiles * (tiles + 1) / 2,
                            Progress.Mode.auto(common.quiet), System::nanoTime)) {
                        k = net.ntk().computeTiled(p, xs, null, ax, batchSize, (d, t) -> bar.update(d, ""));
                    }
                    values = k.data();
                    rows = k.rows();
                    cols = k.cols();
                    what = "empirical NTK (" + ax.name().toLowerCase(Locale.ROOT) + ") of " + net;
                    paramsFile = dir.resolve(base + "-params.npz");
                    ParamsFiles.save(paramsFile, host);
                }
                case "analytic" -> {
                    boolean nngp = switch (kernel.toLowerCase(Locale.ROOT)) {
                        case "ntk" -> false;
                        case "nngp" -> true;
                        default -> throw new UsageException("--kernel must be ntk or nngp, got " + kernel);
                    };
                    AnalyticNtk a = model.analytic(x, batchSize, err, common.quiet);
                    int tiles = (x.size() + batchSize - 1) / batchSize;
                    AnalyticNtk.HostKernels k;
                    try (Progress bar = new Progress(err, "kernel", "tiles", (long) tiles * tiles,
                            Progress.Mode.auto(common.quiet), System::nanoTime)) {
                        k = a.computeTiled(backend, xs, null, batchSize, (d, t) -> bar.update(d, ""));
                    }
                    HostMatrix m = nngp ? k.nngp() : k.ntk();
                    values = m.data();
                    rows = m.rows();
                    cols = m.cols();
                    what = "analytic " + (nngp ? "NNGP" : "NTK") + " of " + a;
                }
                default -> throw new UsageException("--kind must be empirical or analytic, got " + kind);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            requireFinite(values, cols);
            // the result first: nothing optional (the spectrum and its plot) may lose it
            Npy.write(out, NpyArray.ofDoubles(values, rows, cols));
            stdout.printf(Locale.ROOT, "%s%n  %d×%d kernel of %s in %.2f s, trace %.6g%n  wrote %s%s%n", what, rows,
                    cols, x.name(), seconds, trace(values, rows), out, paramsFile == null ? "" : ", " + paramsFile);
            stdout.flush();
            Path png = dir.resolve(base + "-spectrum.png");
            String title = "Eigenvalues of the " + kernel.toUpperCase(Locale.ROOT) + " (" + x.name() + ", n="
                    + x.size() + ")";
            try {
                double[] eig = Spectrum.eigenvalues(backend, values, rows);
                values = null; // the kernel is written: let the plot have its memory
                Plots.spectrum(png, title, eig);
                stdout.printf(Locale.ROOT, "  largest eigenvalue %.6g, smallest %.6g; wrote %s%n", eig[eig.length - 1],
                        eig[0], png);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                err.println("kernel: warning: skipped the spectrum plot (the kernel is written): "
                        + Failures.oneLine(e));
            }
        }
        stdout.flush();
        err.flush();
        return 0;
    }

    /** Refuses a kernel with a NaN or infinite entry: nothing is written. */
    private static void requireFinite(double[] k, int cols) {
        for (int i = 0; i < k.length; i++) {
            if (!Double.isFinite(k[i])) {
                throw new ArithmeticException("the kernel's entry (" + i / cols + ", " + i % cols + ") is " + k[i]
                        + ": the parameters or features overflow; nothing was written");
            }
        }
    }

    private static double trace(double[] k, int n) {
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += k[i * n + i];
        }
        return t;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
