package com.example.ntk4j.simple;

import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.tensor.DType;

/** A tensor of the simple backend: a row-major {@code double[]} on the Java heap. */
final class SimpleTensor extends AbstractTensor {

    private double[] data;

    /**
     * @param backend the owner
     * @param scopes the owner's scope stack, which adopts the new tensor
     * @param rows rows, ≥ 1
     * @param cols columns, ≥ 1
     * @param data row-major values, length rows·cols (kept, not copied)
     */
    SimpleTensor(SimpleBackend backend, ScopeStack scopes, int rows, int cols, double[] data) {
        super(backend, scopes, rows, cols, DType.F64);
        this.data = data;
    }

    /** @return the backing array; callers have checked that the tensor is open */
    double[] data() {
        return data;
    }

    @Override
    protected void release() {
        data = null;
    }
}
