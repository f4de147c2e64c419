package org.ntk4j.backend.cuda;

import jcuda.driver.CUdeviceptr;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.tensor.DType;

/**
 * A tensor of the CUDA backend: a row-major rows×cols block of device memory, float or double. Closing it
 * (directly or through its scope) frees the device memory.
 */
final class CudaTensor extends AbstractTensor {

    private final CudaBackend owner;
    private final CUdeviceptr pointer;
    private final long bytes;

    /**
     * @param owner the backend
     * @param scopes the backend's scope stack (modified: the tensor joins the innermost scope)
     * @param rows the number of rows
     * @param cols the number of columns
     * @param dtype the element type
     * @param pointer freshly allocated device memory of {@code bytes} bytes, now owned by this tensor
     * @param bytes its size
     */
    CudaTensor(CudaBackend owner, ScopeStack scopes, int rows, int cols, DType dtype, CUdeviceptr pointer, long bytes) {
        super(owner, scopes, rows, cols, dtype);
        this.owner = owner;
        this.pointer = pointer;
        this.bytes = bytes;
    }

    /** @return the device memory; callers have checked that the tensor is open */
    CUdeviceptr pointer() {
        return pointer;
    }

    /** @return the size of the device memory in bytes */
    long bytes() {
        return bytes;
    }

    /**
     * @param row a row index
     * @param col a column index
     * @return a pointer to element (row, col)
     */
    CUdeviceptr at(int row, int col) {
        return pointer.withByteOffset(((long) row * cols() + col) * dtype().bytes());
    }

    @Override
    protected void release() {
        owner.free(this);
    }
}
