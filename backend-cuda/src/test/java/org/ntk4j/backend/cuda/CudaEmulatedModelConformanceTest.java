package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.tck.model.ModelConformanceKit;

/**
 * The model conformance kit (layers, generic eNTK, model objective, layered training) on the CUDA backend with its
 * kernels run on the CPU by {@link EmulatedDevice}. Skipped where g++ is missing.
 */
@DisplayName("CUDA backend model conformance with the kernels emulated on the CPU")
class CudaEmulatedModelConformanceTest extends ModelConformanceKit {

    @Override
    protected Backend createBackend() {
        return CudaEmulatedConformanceTest.emulated();
    }
}
