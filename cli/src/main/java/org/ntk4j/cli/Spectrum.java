package org.ntk4j.cli;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/** Eigenvalues of a symmetric kernel matrix, for the spectrum plot. */
final class Spectrum {

    private Spectrum() {
    }

    /**
     * @param backend the backend to decompose on
     * @param kernel a row-major n×n symmetric matrix (not modified)
     * @param n its size
     * @return its eigenvalues in ascending order
     */
    static double[] eigenvalues(Backend backend, double[] kernel, int n) {
        try (TensorScope scope = backend.scope()) {
            Tensor k = backend.fromHost(kernel, n, n, DType.F64);
            try (SymmetricEigen e = backend.symmetricEigen(k)) {
                return backend.toHost(e.values());
            }
        }
    }
}
