package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.tck.model.ModelConformanceKit;

/**
 * The whole model conformance kit (layers, generic eNTK, model objective, layered training) on a GPU. Skipped with
 * the probe's reason without a device.
 */
@RequiresCudaDevice
@DisplayName("CUDA backend model conformance on a GPU")
class CudaDeviceModelConformanceTest extends ModelConformanceKit {

    @Override
    protected Backend createBackend() {
        return new CudaBackendProvider().create(BackendOptions.defaults());
    }
}
