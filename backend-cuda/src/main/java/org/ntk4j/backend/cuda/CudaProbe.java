package org.ntk4j.backend.cuda;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;
import org.ntk4j.backend.Availability;

/**
 * Finds out, once per process, whether the CUDA backend can run here and whether cuBLAS loads. Nothing
 * happens until the first call (no static initializer work); failures of any kind become an unavailable
 * result with the reason: "libcuda.so.1 not found", "cuInit failed: …", "no CUDA device".
 */
final class CudaProbe {

    private static final Pattern MISSING_LIBRARY = Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open shared object file");

    private static Availability device;
    private static String blas;
    private static String blasUnavailable;

    private CudaProbe() {
    }

    /** @return whether device 0 can be used, with its description or the reason it cannot */
    static synchronized Availability probe() {
        if (device == null) {
            device = probeDevice();
        }
        return device;
    }

    /** @return the cuBLAS version if JCublas and libcublas load here, else null ({@link #blasUnavailable()} says why) */
    static synchronized String blasVersion() {
        if (blas == null && blasUnavailable == null) {
            try {
                Class.forName("jcuda.jcublas.JCublas2", false, CudaProbe.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                blasUnavailable = "JCublas (org.jcuda:jcublas) is not on the classpath";
                return null;
            }
            try {
                blas = CudaBlas.loadVersion();
            } catch (LinkageError | RuntimeException e) {
                blasUnavailable = linkFailure(e);
            }
        }
        return blas;
    }

    /** @return why cuBLAS does not load, or null if it does or has not been tried */
    static synchronized String blasUnavailable() {
        return blasUnavailable;
    }

    private static Availability probeDevice() {
        try {
            Class.forName("jcuda.driver.JCudaDriver", false, CudaProbe.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Availability.unavailable("JCuda (org.jcuda:jcuda) is not on the classpath");
        }
        try {
            return describeDevice(0);
        } catch (LinkageError e) {
            return Availability.unavailable(linkFailure(e));
        } catch (RuntimeException e) {
            return Availability.unavailable("CUDA probe failed: " + e);
        }
    }

    /** Asks the driver about a device; JCuda's natives load here, which fails without libcuda.so.1. */
    private static Availability describeDevice(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        try {
            JCudaDriver.cuInit(0);
        } catch (CudaException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("CUDA_ERROR_NO_DEVICE")) {
                return Availability.unavailable("no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)");
            }
            return Availability.unavailable("cuInit failed: " + message);
        }
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (count[0] == 0) {
            return Availability.unavailable("no CUDA device");
        }
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, dev);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, dev);
        int[] driver = new int[1];
        JCudaDriver.cuDriverGetVersion(driver);
        int required = requiredDriverVersion();
        if (driver[0] < required) {
            return Availability.unavailable(String.format(Locale.ROOT,
                    "the NVIDIA driver supports CUDA %d.%d; the kernels' PTX needs a driver for CUDA %d.%d or newer",
                    driver[0] / 1000, (driver[0] % 1000) / 10, required / 1000, (required % 1000) / 10));
        }
        if (major[0] < 7 || (major[0] == 7 && minor[0] < 5)) {
            return Availability.unavailable(cString(name) + " has compute capability " + major[0] + "." + minor[0]
                    + "; the kernels need 7.5 or newer");
        }
        return Availability.available(String.format(Locale.ROOT,
                "%s, compute capability %d.%d, %.1f GiB, driver CUDA %d.%d, %d device(s); %s; Cholesky on the "
                        + "device, LU and symmetric eigen on the host (EJML)",
                cString(name), major[0], minor[0], memory[0] / (double) (1L << 30), driver[0] / 1000,
                (driver[0] % 1000) / 10, count[0], gemmDetail()));
    }

    /**
     * The oldest driver that loads the committed PTX: PTX ISA 8.y came with CUDA 12.y and 9.y with CUDA 13.y.
     *
     * @return the driver version as {@code cuDriverGetVersion} gives it (13000 for CUDA 13.0)
     */
    static int requiredDriverVersion() {
        String resource = CudaContext.PTX_FOLDER + "gemm.ptx";
        try (java.io.InputStream in = CudaProbe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + resource + " is missing from the jar");
            }
            String head = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("\\n\\.version (\\d+)\\.(\\d+)").matcher(head);
            if (!m.find()) {
                throw new IllegalStateException("no .version line in " + resource);
            }
            int isaMajor = Integer.parseInt(m.group(1));
            int isaMinor = Integer.parseInt(m.group(2));
            return isaMajor >= 8 ? (isaMajor + 4) * 1000 + isaMinor * 10 : 11000;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return how GEMM will run by default: on cuBLAS, or on the project's kernels and why */
    static String gemmDetail() {
        String version = blasVersion();
        return version != null ? "GEMM on cuBLAS " + version
                : "GEMM on the project's kernels (cuBLAS unavailable: " + blasUnavailable() + ")";
    }

    /**
     * Turns a failure to load a native library into a one-line reason, naming the system library that is
     * missing when the message says which.
     *
     * @param e the error (not modified)
     * @return "libcuda.so.1 not found: …" or the first line of the message
     */
    static String linkFailure(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        Matcher m = MISSING_LIBRARY.matcher(text);
        if (m.find()) {
            String library = m.group(1);
            if (library.startsWith("libcuda.so")) {
                return "libcuda.so.1 not found: no NVIDIA driver is installed here";
            }
            return library + " not found";
        }
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return "native library failed to load: " + e.getClass().getSimpleName() + ": "
                + (newline >= 0 ? message.substring(0, newline) : message);
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
