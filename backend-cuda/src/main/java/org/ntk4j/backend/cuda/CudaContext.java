package org.ntk4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.ntk4j.backend.BackendUnavailableException;
import org.ntk4j.tensor.DType;

/**
 * The native side of the CUDA backend: the device's primary context, the PTX modules, device memory and
 * kernel launches, all through JCuda's driver API (which needs only the driver's {@code libcuda.so.1}).
 * Every method makes the context current on the calling thread first, so the backend may move between
 * threads (used by one at a time). Driver errors surface as {@code jcuda.CudaException}.
 */
final class CudaContext implements Device {

    /** Where the PTX modules are, on the classpath. */
    static final String PTX_FOLDER = "/org/ntk4j/backend/cuda/ptx/";

    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final boolean synchronous;
    private final MemoryLedger ledger;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<DType, Map<Kernel, CUfunction>> functions = new EnumMap<>(DType.class);
    private boolean closed;

    /**
     * Retains the primary context of a device and loads the PTX modules (the driver JIT-compiles them for
     * the device; the first load on a new GPU takes a moment, later ones hit the driver's cache).
     *
     * @param ordinal the device number
     * @param synchronous whether to wait for every kernel, so that an error names the kernel that caused it
     * @param ledger the memory ledger (modified by every allocation and free)
     */
    CudaContext(int ordinal, boolean synchronous, MemoryLedger ledger) {
        this.ordinal = ordinal;
        this.synchronous = synchronous;
        this.ledger = ledger;
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = new int[1];
        cuDeviceGetCount(count);
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new BackendUnavailableException("CUDA device " + ordinal + " does not exist: " + count[0]
                    + " device(s) found");
        }
        cuDeviceGet(device, ordinal);
        cuDevicePrimaryCtxRetain(context, device);
        try {
            cuCtxSetCurrent(context);
            for (Kernel k : Kernel.values()) {
                CUmodule module = modules.computeIfAbsent(k.module(), CudaContext::loadModule);
                for (DType dtype : DType.values()) {
                    CUfunction f = new CUfunction();
                    cuModuleGetFunction(f, module, k.symbol(dtype));
                    functions.computeIfAbsent(dtype, d -> new EnumMap<>(Kernel.class)).put(k, f);
                }
            }
        } catch (RuntimeException e) {
            for (CUmodule m : modules.values()) {
                cuModuleUnload(m);
            }
            cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    private static CUmodule loadModule(String name) {
        String resource = PTX_FOLDER + name + ".ptx";
        byte[] ptx;
        try (InputStream in = CudaContext.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + resource + " is missing from the jar");
            }
            ptx = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PTX resource " + resource, e);
        }
        byte[] terminated = Arrays.copyOf(ptx, ptx.length + 1); // cuModuleLoadData wants a C string
        CUmodule module = new CUmodule();
        try {
            cuModuleLoadData(module, terminated);
        } catch (CudaException e) {
            int required = CudaProbe.requiredDriverVersion();
            throw new IllegalStateException("the driver could not load the PTX module " + name + ": " + e.getMessage()
                    + " (it needs a driver for CUDA " + required / 1000 + "." + (required % 1000) / 10 + " or newer)", e);
        }
        return module;
    }

    /** @return the device number */
    int ordinal() {
        return ordinal;
    }

    /** @return the device handle */
    CUdevice device() {
        return device;
    }

    @Override
    public void enter() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        cuCtxSetCurrent(context);
    }

    @Override
    public CUdeviceptr alloc(long bytes) {
        enter();
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, bytes);
        ledger.allocated(bytes);
        return p;
    }

    @Override
    public void free(CUdeviceptr p, long bytes) {
        if (closed) {
            return; // the context and everything in it are gone already
        }
        cuCtxSetCurrent(context);
        cuCtxSynchronize(); // kernels queued before may still use the memory (cuMemFree waits too; this says so)
        cuMemFree(p);
        ledger.freed(bytes);
    }

    @Override
    public void zero(CUdeviceptr p, long bytes) {
        enter();
        cuMemsetD8(p, (byte) 0, bytes);
    }

    @Override
    public void upload(CUdeviceptr dst, double[] src) {
        enter();
        cuMemcpyHtoD(dst, Pointer.to(src), 8L * src.length);
    }

    @Override
    public void upload(CUdeviceptr dst, float[] src) {
        enter();
        cuMemcpyHtoD(dst, Pointer.to(src), 4L * src.length);
    }

    @Override
    public void upload(CUdeviceptr dst, int[] src) {
        enter();
        cuMemcpyHtoD(dst, Pointer.to(src), 4L * src.length);
    }

    @Override
    public void download(double[] dst, CUdeviceptr src) {
        enter();
        cuMemcpyDtoH(Pointer.to(dst), src, 8L * dst.length);
    }

    @Override
    public void download(float[] dst, CUdeviceptr src) {
        enter();
        cuMemcpyDtoH(Pointer.to(dst), src, 4L * dst.length);
    }

    @Override
    public void download(int[] dst, CUdeviceptr src) {
        enter();
        cuMemcpyDtoH(Pointer.to(dst), src, 4L * dst.length);
    }

    @Override
    public void copy(CUdeviceptr dst, CUdeviceptr src, long bytes) {
        enter();
        cuMemcpyDtoD(dst, src, bytes);
    }

    @Override
    public void launch(Kernel kernel, DType dtype, int gridX, int gridY, int blockX, int blockY, Object... args) {
        enter();
        Pointer params = Pointer.to(parameters(kernel, args));
        cuLaunchKernel(functions.get(dtype).get(kernel), gridX, gridY, 1, blockX, blockY, 1, 0, null, params, null);
        if (synchronous) {
            cuCtxSynchronize();
        }
    }

    /**
     * Checks arguments against a kernel's signature and wraps them as the driver wants them.
     *
     * @param kernel the kernel
     * @param args the arguments (not modified)
     * @return one pointer per argument
     * @throws IllegalArgumentException if the count or a type does not match the signature
     */
    static Pointer[] parameters(Kernel kernel, Object... args) {
        String sig = kernel.signature();
        if (args.length != sig.length()) {
            throw new IllegalArgumentException(kernel + " takes " + sig.length() + " arguments (" + sig + "), got "
                    + args.length);
        }
        Pointer[] out = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            char want = sig.charAt(i);
            if (want == 'P' && a instanceof CUdeviceptr) {
                out[i] = Pointer.to((CUdeviceptr) a);
            } else if (want == 'I' && a instanceof Integer) {
                out[i] = Pointer.to(new int[] {(Integer) a});
            } else if (want == 'J' && a instanceof Long) {
                out[i] = Pointer.to(new long[] {(Long) a});
            } else if (want == 'D' && a instanceof Double) {
                out[i] = Pointer.to(new double[] {(Double) a});
            } else {
                throw new IllegalArgumentException(kernel + " argument " + i + " must be of kind '" + want + "' ("
                        + sig + "), got " + (a == null ? "null" : a.getClass().getSimpleName()));
            }
        }
        return out;
    }

    /** Waits for queued work, unloads the modules and releases the primary context; free all memory first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        cuCtxSetCurrent(context);
        try {
            cuCtxSynchronize();
            for (CUmodule m : modules.values()) {
                cuModuleUnload(m);
            }
        } finally {
            modules.clear();
            closed = true;
            cuDevicePrimaryCtxRelease(device);
        }
    }

    @Override
    public String toString() {
        return "CudaContext[device " + ordinal + "]";
    }
}
