package org.ntk4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.io.NpyType;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.predict.CrossKernel;
import org.ntk4j.predict.OutOfCoreKernel;
import org.ntk4j.tensor.DType;
import picocli.CommandLine.Option;

/**
 * {@code ntk4j kernel --out-of-core}: the kernel written tile by tile into a memory-mapped {@code .npy}, never
 * held whole, resumable after a kill.
 */
final class OutOfCoreOption {

    @Option(names = "--out-of-core", description = "Write the kernel tile by tile straight into a memory-mapped"
            + " -o FILE.npy (for kernels larger than the heap; no spectrum plot). The file is FILE.npy.partial,"
            + " with the finished tiles listed in FILE.npy.partial.tiles, until it is complete; rerunning the same"
            + " command resumes a killed run.")
    boolean enabled;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "f64",
            description = "--out-of-core: f32 or f64 values in the file. Default: ${DEFAULT-VALUE}.")
    String dtype;

    /**
     * @return the exit code
     * @throws Exception when writing fails
     */
    int run(PrintWriter out, PrintWriter err, CommonOptions common, ModelOptions model, Dataset x, String kind,
            String kernel, String axes, int tile, Path params, Path file) throws Exception {
        NpyType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> NpyType.FLOAT32;
            case "f64" -> NpyType.FLOAT64;
            default -> throw new UsageException("--dtype must be f32 or f64, got " + dtype);
        };
        if (!axes.equalsIgnoreCase("traced")) {
            throw new UsageException("--out-of-core writes the traced (N×N) kernel; --axes " + axes + " is not supported");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        String what;
        int computed;
        int n = x.size();
        try (Backend backend = common.createBackend()) {
            CrossKernel k;
            Params p = null;
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "empirical" -> {
                    if (!kernel.equalsIgnoreCase("ntk")) {
                        throw new UsageException("--kernel " + kernel + " needs --kind analytic; an empirical kernel is"
                                + " the NTK");
                    }
                    Mlp mlp = model.build(x.dims(), x.classes());
                    MlpParams host = params != null ? ParamsFiles.load(params, mlp) : mlp.init(common.seed);
                    p = host.upload(backend, DType.F64);
                    k = CrossKernel.empiricalNtk(new EmpiricalNtk(mlp), p);
                    what = "empirical NTK (traced) of " + mlp + (params != null ? " at " + params : " seed "
                            + common.seed);
                    ParamsFiles.save(dir.resolve(file.getFileName().toString().replaceAll("\\.npy$", "")
                            + "-params.npz"), host);
                }
                case "analytic" -> {
                    boolean nngp = switch (kernel.toLowerCase(Locale.ROOT)) {
                        case "ntk" -> false;
                        case "nngp" -> true;
                        default -> throw new UsageException("--kernel must be ntk or nngp, got " + kernel);
                    };
                    AnalyticNtk a = AnalyticNtk.of(model.hidden.size() + 1, model.activation(), model.sigmaW,
                            model.sigmaB);
                    k = nngp ? CrossKernel.analyticNngp(a) : CrossKernel.analyticNtk(a);
                    what = "analytic " + (nngp ? "NNGP" : "NTK") + " of " + a;
                }
                default -> throw new UsageException("--kind must be empirical or analytic, got " + kind);
            }
            try (Progress bar = new Progress(err, "kernel", "tiles", OutOfCoreKernel.tileCount(n, tile),
                    Progress.Mode.auto(common.quiet), System::nanoTime)) {
                computed = OutOfCoreKernel.write(backend, k, x.features(), x.dims(), file, type, tile,
                        what + " of " + x.name() + " n=" + n, (d, t) -> bar.update(d, ""));
            } finally {
                if (p != null) {
                    p.close();
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%s%n  %d×%d kernel of %s (%s, out of core) in %.2f s: %d of %d tiles computed in this"
                + " run%n  wrote %s (%d bytes)%n", what, n, n, x.name(), dtype.toLowerCase(Locale.ROOT), seconds,
                computed, OutOfCoreKernel.tileCount(n, tile), file, Files.size(file));
        out.flush();
        return 0;
    }
}
