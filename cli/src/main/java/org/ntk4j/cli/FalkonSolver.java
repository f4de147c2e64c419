package org.ntk4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.predict.Falkon;
import org.ntk4j.predict.FalkonModel;
import org.ntk4j.predict.FalkonOptions;
import org.ntk4j.predict.FalkonProgress;
import picocli.CommandLine.Option;

/**
 * The {@code --solver} options of {@code ntk4j predict} and its Falkon branch: kernel regression at t = ∞ by
 * Nyström centres and preconditioned conjugate gradient, for training sets too large for an N×N kernel.
 */
final class FalkonSolver {

    @Option(names = "--solver", paramLabel = "S", defaultValue = "exact",
            description = "exact (the N×N kernel, all times), or falkon (t = ∞ only, by --centres Nyström centres and"
                    + " preconditioned conjugate gradient; never forms N×N). Default: ${DEFAULT-VALUE}.")
    String solver;

    @Option(names = "--centres", paramLabel = "M", defaultValue = "1000",
            description = "falkon: Nyström centres, drawn uniformly with --seed. Default: ${DEFAULT-VALUE}.")
    int centres;

    @Option(names = "--ridge", paramLabel = "L", defaultValue = "1e-6",
            description = "falkon: λ of (K_NMᵀK_NM + λ·N·K_MM)·α = K_NMᵀY. Default: ${DEFAULT-VALUE}.")
    double ridge;

    @Option(names = "--cg-tol", paramLabel = "T", defaultValue = "1e-7",
            description = "falkon: stop when every class's relative CG residual is at most T. Default: ${DEFAULT-VALUE}.")
    double cgTol;

    @Option(names = "--cg-iterations", paramLabel = "N", defaultValue = "100",
            description = "falkon: stop after at most N CG iterations. Default: ${DEFAULT-VALUE}.")
    int cgIterations;

    @Option(names = "--knm", paramLabel = "MODE", defaultValue = "auto",
            description = "falkon: memory (keep the N×M kernel), recompute (every iteration, O(tile·M) memory) or"
                    + " auto (keep it when it takes at most half the free heap). Default: ${DEFAULT-VALUE}.")
    String knm;

    @Option(names = "--knm-dtype", paramLabel = "T", defaultValue = "f64",
            description = "falkon: precision of a kept N×M kernel, f32 or f64. Default: ${DEFAULT-VALUE}.")
    String knmDtype;

    /** @return whether the Falkon solver was chosen */
    boolean isFalkon() {
        return switch (solver.toLowerCase(Locale.ROOT)) {
            case "exact" -> false;
            case "falkon" -> true;
            default -> throw new UsageException("--solver must be exact or falkon, got " + solver);
        };
    }

    /** The options as the library takes them; a bad value is a usage error naming its option. */
    FalkonOptions options(long seed) {
        FalkonOptions.Storage storage = switch (knm.toLowerCase(Locale.ROOT)) {
            case "auto" -> FalkonOptions.Storage.AUTO;
            case "memory" -> FalkonOptions.Storage.MEMORY;
            case "recompute" -> FalkonOptions.Storage.RECOMPUTE;
            default -> throw new UsageException("--knm must be auto, memory or recompute, got " + knm);
        };
        FalkonOptions.Precision precision = switch (knmDtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> FalkonOptions.Precision.F32;
            case "f64" -> FalkonOptions.Precision.F64;
            default -> throw new UsageException("--knm-dtype must be f32 or f64, got " + knmDtype);
        };
        if (centres < 1 || !(ridge > 0) || !(cgTol > 0) || cgIterations < 1) {
            throw new UsageException("falkon needs --centres ≥ 1, --ridge > 0, --cg-tol > 0 and --cg-iterations ≥ 1;"
                    + " got " + centres + ", " + ridge + ", " + cgTol + ", " + cgIterations);
        }
        return new FalkonOptions(centres, ridge, cgTol, cgIterations, seed, 0, storage, precision);
    }

    /**
     * Fits by Falkon and prints the test accuracy.
     *
     * @param out where results go (written to)
     * @param err where progress goes (written to)
     * @param common the shared options
     * @param split the data
     * @param model the architecture options
     * @param empirical whether the kernel is the empirical NTK (else analytic)
     * @param nngp whether the analytic kernel is the NNGP (else NTK)
     * @param params an empirical kernel's parameter file, or null for a fresh initialization
     * @param file where to write the test outputs, or null
     * @return the exit code
     * @throws Exception when reading or writing fails
     */
    int run(PrintWriter out, PrintWriter err, CommonOptions common, Split split, ModelOptions model, boolean empirical,
            boolean nngp, Path params, Path file) throws Exception {
        FalkonOptions options = options(common.seed);
        Dataset train = split.train();
        Dataset test = split.test();
        int c = train.classes();
        double[] scores;
        FalkonModel fit;
        String what;
        long t0 = System.nanoTime();
        try (Backend backend = common.createBackend(); Bars bars = new Bars(err, common.quiet);
                TiledKernel kernel = TiledKernel.of(backend, model, train, empirical ? "empirical" : "analytic",
                        nngp ? "nngp" : "ntk", params, common.seed, options.tileRowsFor(options.centres()), err,
                        common.quiet)) {
            what = kernel.what();
            fit = Falkon.of(kernel.kernel(), options).withProgress(bars).fit(backend, train.features(), train.dims(),
                    train.oneHot(), c);
            scores = fit.predict(backend, test.features(), options.tileRowsFor(fit.centreCount()), bars);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%s by Falkon: %d centres, λ=%s, K_NM %s; %s: %d training and %d test samples (%.1f s)%n",
                what, fit.centreCount(), options.ridge(), fit.inMemory() ? "kept (" + knmDtype.toLowerCase(Locale.ROOT)
                        + ")" : "recomputed", train.name().replaceAll("-train$", ""), train.size(), test.size(), seconds);
        out.printf(Locale.ROOT, "CG: %d iterations, relative residual %.3g%n", fit.iterations(), fit.residual());
        out.printf(Locale.ROOT, "test loss %.6g, test accuracy %.4f%n", PredictCommand.mse(scores, test),
                PredictCommand.accuracy(scores, test));
        if (file != null) {
            Map<String, NpyArray> all = new LinkedHashMap<>();
            all.put("times", NpyArray.ofDoubles(new double[] {Double.POSITIVE_INFINITY}, 1));
            all.put("test_0", NpyArray.ofDoubles(scores, test.size(), c));
            Npz.write(file, all, true);
            out.println("wrote " + file);
        }
        out.flush();
        return 0;
    }

    /** A progress bar per kernel phase, and a line per CG iteration with the seconds since the last report. */
    private static final class Bars implements FalkonProgress, AutoCloseable {
        private final PrintWriter err;
        private final boolean quiet;
        private Progress bar;
        private String phase;
        private long last = System.nanoTime();

        Bars(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void kernelTile(String p, int done, int total) {
            if (!p.equals(phase)) {
                close();
                phase = p;
                bar = new Progress(err, p, "tiles", total, Progress.Mode.auto(quiet), System::nanoTime);
            }
            bar.update(done, "");
            last = System.nanoTime();
        }

        @Override
        public void iteration(int iteration, double residual) {
            close();
            phase = null;
            long now = System.nanoTime();
            if (!quiet) {
                err.printf(Locale.ROOT, "CG iteration %d: relative residual %.3g (%.1f s)%n", iteration, residual,
                        (now - last) / 1e9);
                err.flush();
            }
            last = now;
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
