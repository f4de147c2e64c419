package org.ntk4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.io.NpyType;
import org.ntk4j.predict.OutOfCoreKernel;
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
        try (Backend backend = common.createBackend();
                TiledKernel k = TiledKernel.of(backend, model, x, kind, kernel, params, common.seed, tile, err,
                        common.quiet)) {
            what = k.what();
            if (k.host() != null) {
                ParamsFiles.save(dir.resolve(file.getFileName().toString().replaceAll("\\.npy$", "")
                        + "-params.npz"), k.host());
            }
            try (Progress bar = new Progress(err, "kernel", "tiles", OutOfCoreKernel.tileCount(n, tile),
                    Progress.Mode.auto(common.quiet), System::nanoTime)) {
                computed = OutOfCoreKernel.write(backend, k.kernel(), x.features(), x.dims(), file, type, tile,
                        what + " of " + x.name() + " n=" + n, (d, t) -> bar.update(d, ""));
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
