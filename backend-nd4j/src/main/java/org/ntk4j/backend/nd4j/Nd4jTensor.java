package org.ntk4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.tensor.DType;

/**
 * A tensor of the ND4J backend: a contiguous, row-major ({@code 'c'} order) rank-2 {@link INDArray} of
 * doubles or floats in off-heap memory, never a view and never attached to a workspace. Closing the
 * tensor frees that memory at once.
 */
final class Nd4jTensor extends AbstractTensor {

    private INDArray array;

    /**
     * @param backend the owning backend
     * @param scopes the backend's scope stack
     * @param array a detached, contiguous c-order rank-2 array that the tensor takes over (modified by
     *     later operations, freed on close)
     * @param dtype the element type matching the array's data type
     */
    Nd4jTensor(Nd4jBackend backend, ScopeStack scopes, INDArray array, DType dtype) {
        super(backend, scopes, (int) array.rows(), (int) array.columns(), dtype);
        this.array = array;
    }

    /** @return the backing array; callers have checked that the tensor is open */
    INDArray array() {
        return array;
    }

    @Override
    protected void release() {
        INDArray a = array;
        array = null;
        Nd4jMemory.free(a);
    }
}
