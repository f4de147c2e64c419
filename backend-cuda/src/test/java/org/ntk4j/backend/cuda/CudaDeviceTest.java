package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.BackendOptions;

/** {@link CudaBackendChecks} on a GPU, with the project's GEMM kernel and synchronous launches. */
@RequiresCudaDevice
@DisplayName("The CUDA backend on a GPU")
class CudaDeviceTest extends CudaBackendChecks {

    @Override
    CudaBackend newBackend() {
        return (CudaBackend) new CudaBackendProvider().create(BackendOptions.defaults()
                .withProperty("cuda.gemm", "kernels").withProperty("cuda.synchronous", "true"));
    }
}
