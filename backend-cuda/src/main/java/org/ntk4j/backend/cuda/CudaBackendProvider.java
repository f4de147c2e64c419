package org.ntk4j.backend.cuda;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendProvider;
import org.ntk4j.backend.BackendUnavailableException;

/**
 * Provides the {@code "cuda"} backend, priority {@value #PRIORITY}: NVIDIA GPUs through JCuda's driver API,
 * which needs only the driver's {@code libcuda.so.1} (no CUDA toolkit). {@link #probe()} says why it is
 * unavailable ("libcuda.so.1 not found", "cuInit failed: …", "no CUDA device") or names the device.
 *
 * <p>Options ({@link BackendOptions#property}):
 * <ul>
 *   <li>{@code cuda.device} — the device number, default 0;</li>
 *   <li>{@code cuda.gemm} — {@code auto} (cuBLAS when libcublas loads, else the project's kernel; the
 *       default), {@code kernels}, or {@code cublas} (fail if it does not load);</li>
 *   <li>{@code cuda.synchronous} — {@code true} to wait for every kernel, so that a device error is reported
 *       by the operation that caused it (slower; for debugging and tests).</li>
 * </ul>
 */
public final class CudaBackendProvider implements BackendProvider {

    /** The backend's name. */
    public static final String NAME = "cuda";
    /** The priority of this backend: the highest of the built-in ones. */
    public static final int PRIORITY = 300;

    private static final Logger LOG = System.getLogger(CudaBackendProvider.class.getName());

    /** Makes the provider; does nothing else (no native loading until {@link #probe()} or {@link #create}). */
    public CudaBackendProvider() {
        // nothing to do: ServiceLoader needs a public no-argument constructor
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability probe() {
        try {
            return CudaProbe.probe();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("CUDA probe failed: " + e);
        }
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability a = probe();
        if (!a.available()) {
            throw new BackendUnavailableException("ntk4j backend 'cuda' is unavailable: " + a.detail());
        }
        int ordinal = intProperty(options, "cuda.device", 0);
        boolean synchronous = Boolean.parseBoolean(options.property("cuda.synchronous").orElse("false"));
        String gemm = options.property("cuda.gemm").orElse("auto").trim().toLowerCase(Locale.ROOT);
        if (!gemm.equals("auto") && !gemm.equals("kernels") && !gemm.equals("cublas")) {
            throw new IllegalArgumentException("cuda.gemm must be auto, kernels or cublas, got '" + gemm + "'");
        }
        MemoryLedger ledger = new MemoryLedger();
        CudaContext context = new CudaContext(ordinal, synchronous, ledger);
        CudaBlas blas = null;
        String gemmDetail = "GEMM on the project's kernels (cuda.gemm=kernels)";
        try {
            if (!gemm.equals("kernels")) {
                String version = CudaProbe.blasVersion();
                if (version != null) {
                    context.enter();
                    blas = new CudaBlas();
                    gemmDetail = "GEMM on cuBLAS " + version;
                } else if (gemm.equals("cublas")) {
                    throw new BackendUnavailableException("cuda.gemm=cublas, but cuBLAS is unavailable: "
                            + CudaProbe.blasUnavailable());
                } else {
                    gemmDetail = CudaProbe.gemmDetail();
                }
            }
        } catch (RuntimeException | LinkageError e) {
            context.close();
            throw e;
        }
        String device = a.detail().substring(0, a.detail().indexOf(','));
        LOG.log(Level.INFO, "ntk4j cuda backend on device {0} ({1}): {2}", ordinal, device, gemmDetail);
        return new CudaBackend(context, ledger, blas, "device " + ordinal + ", " + device);
    }

    private static int intProperty(BackendOptions options, String key, int fallback) {
        String value = options.property(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
        }
    }
}
