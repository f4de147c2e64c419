package org.ntk4j.backend.cuda;

import jcuda.driver.CUdeviceptr;
import org.ntk4j.tensor.DType;

/**
 * What {@link CudaBackend} needs from a GPU: device memory, copies and kernel launches. {@link CudaContext}
 * implements it on the CUDA driver; keeping it an interface lets the backend's logic run against other
 * executors of the same kernels (the tests run the kernels' CUDA C on the CPU through one).
 *
 * <p>Work is queued in order; the downloads wait for everything queued before them.
 */
interface Device extends AutoCloseable {

    /** Makes the device usable on the calling thread; fails if it is closed. */
    void enter();

    /**
     * @param bytes the size, &gt; 0
     * @return new uninitialized device memory, counted in the ledger
     */
    CUdeviceptr alloc(long bytes);

    /**
     * @param p memory from {@link #alloc} (not usable afterwards)
     * @param bytes its size
     */
    void free(CUdeviceptr p, long bytes);

    /**
     * @param p device memory, modified
     * @param bytes how many bytes to set to zero
     */
    void zero(CUdeviceptr p, long bytes);

    /**
     * @param dst device memory, modified: the first {@code src.length} doubles
     * @param src host data (not modified)
     */
    void upload(CUdeviceptr dst, double[] src);

    /**
     * @param dst device memory, modified: the first {@code src.length} floats
     * @param src host data (not modified)
     */
    void upload(CUdeviceptr dst, float[] src);

    /**
     * @param dst device memory, modified: the first {@code src.length} ints
     * @param src host data (not modified)
     */
    void upload(CUdeviceptr dst, int[] src);

    /**
     * @param dst host array, modified: filled from the device
     * @param src device memory (not modified)
     */
    void download(double[] dst, CUdeviceptr src);

    /**
     * @param dst host array, modified: filled from the device
     * @param src device memory (not modified)
     */
    void download(float[] dst, CUdeviceptr src);

    /**
     * @param dst host array, modified: filled from the device
     * @param src device memory (not modified)
     */
    void download(int[] dst, CUdeviceptr src);

    /**
     * @param dst device memory, modified
     * @param src device memory (not modified; must not overlap dst)
     * @param bytes the number of bytes
     */
    void copy(CUdeviceptr dst, CUdeviceptr src, long bytes);

    /**
     * Queues a kernel.
     *
     * @param kernel the kernel
     * @param dtype the element type, which picks its f32 or f64 version
     * @param gridX blocks along x, ≥ 1
     * @param gridY blocks along y, 1 to 65535
     * @param blockX threads per block along x
     * @param blockY threads per block along y
     * @param args the arguments, matching the kernel's signature: {@link CUdeviceptr}, {@link Integer},
     *     {@link Long} or {@link Double} (not modified)
     */
    void launch(Kernel kernel, DType dtype, int gridX, int gridY, int blockX, int blockY, Object... args);

    /** Releases the device; free all memory first. Idempotent. */
    @Override
    void close();
}
