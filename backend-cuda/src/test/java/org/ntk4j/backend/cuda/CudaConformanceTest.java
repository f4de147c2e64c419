package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.BackendConformanceKit;

/**
 * The whole conformance kit on a GPU, for F32 and F64, with the backend created as users get it (cuBLAS for
 * GEMM where libcublas loads, else the project's kernel). Skipped with the probe's reason without a device.
 */
@RequiresCudaDevice
@DisplayName("CUDA backend conformance on a GPU")
class CudaConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend createBackend() {
        return new CudaBackendProvider().create(BackendOptions.defaults());
    }
}
