package org.ntk4j.backend.ejml;

import org.ejml.data.DMatrixRMaj;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.tensor.DType;

/** A tensor of the EJML backend: an F64 {@link DMatrixRMaj} on the Java heap. */
final class EjmlTensor extends AbstractTensor {

    private DMatrixRMaj matrix;

    EjmlTensor(EjmlBackend backend, ScopeStack scopes, DMatrixRMaj matrix) {
        super(backend, scopes, matrix.numRows, matrix.numCols, DType.F64);
        this.matrix = matrix;
    }

    /** @return the backing matrix; callers have checked that the tensor is open */
    DMatrixRMaj matrix() {
        return matrix;
    }

    /** @return the backing row-major array */
    double[] data() {
        return matrix.data;
    }

    @Override
    protected void release() {
        matrix = null;
    }
}
