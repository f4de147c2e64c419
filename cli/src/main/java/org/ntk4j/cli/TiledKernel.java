package org.ntk4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Params;
import org.ntk4j.predict.CrossKernel;
import org.ntk4j.tensor.DType;

/**
 * The kernel a large-N command ({@code kernel --out-of-core}, {@code predict --solver falkon}) asks for one
 * tile at a time: the empirical NTK (traced) of the network at given or fresh parameters, or the analytic NNGP
 * or NTK of its architecture — the MLP shorthand or a {@code --model}. Closing it frees the parameters it put
 * on the backend.
 */
final class TiledKernel implements AutoCloseable {

    private final CrossKernel kernel;
    private final String what;
    private final HostParams host;
    private final Params params;

    private TiledKernel(CrossKernel kernel, String what, HostParams host, Params params) {
        this.kernel = kernel;
        this.what = what;
        this.host = host;
        this.params = params;
    }

    /**
     * @param backend where the kernel's tiles are computed (an empirical kernel's parameters are uploaded to it)
     * @param model the architecture options
     * @param data the training data: its sample shape is the input shape, its class count the output width
     * @param kind {@code empirical} or {@code analytic}
     * @param name {@code ntk} or {@code nngp}
     * @param paramsFile an empirical kernel's parameters, or {@code null} for a fresh initialization
     * @param seed the initialization seed
     * @param block the samples a side of one tile (for the analytic kernel's cost line)
     * @param err where an analytic model kernel's cost goes (written to)
     * @param quiet whether to print nothing
     * @return the kernel
     * @throws IOException when the parameters cannot be read
     * @throws UsageException for an unknown kind or kernel name
     */
    static TiledKernel of(Backend backend, ModelOptions model, Dataset data, String kind, String name, Path paramsFile,
            long seed, int block, PrintWriter err, boolean quiet) throws IOException {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "empirical" -> {
                if (!name.equalsIgnoreCase("ntk")) {
                    throw new UsageException("--kernel " + name + " needs --kind analytic; an empirical kernel is the"
                            + " NTK");
                }
                Network net = model.network(data);
                HostParams host = paramsFile != null ? net.load(paramsFile) : net.init(seed);
                Params p = host.upload(backend, DType.F64);
                return new TiledKernel(CrossKernel.empiricalNtk(net.ntk(), p), "empirical NTK (traced) of " + net
                        + (paramsFile != null ? " at " + paramsFile : " seed " + seed), host, p);
            }
            case "analytic" -> {
                boolean nngp = switch (name.toLowerCase(Locale.ROOT)) {
                    case "ntk" -> false;
                    case "nngp" -> true;
                    default -> throw new UsageException("--kernel must be ntk or nngp, got " + name);
                };
                AnalyticNtk a = model.analytic(data, block, err, quiet);
                return new TiledKernel(nngp ? CrossKernel.analyticNngp(a) : CrossKernel.analyticNtk(a),
                        "analytic " + (nngp ? "NNGP" : "NTK") + " of " + a, null, null);
            }
            default -> throw new UsageException("--kind must be empirical or analytic, got " + kind);
        }
    }

    /** @return the kernel */
    CrossKernel kernel() {
        return kernel;
    }

    /** @return what it is, in words (an out-of-core file's identity) */
    String what() {
        return what;
    }

    /** @return the empirical kernel's parameters on the host, or {@code null} for an analytic kernel */
    HostParams host() {
        return host;
    }

    @Override
    public void close() {
        if (params != null) {
            params.close();
        }
    }
}
