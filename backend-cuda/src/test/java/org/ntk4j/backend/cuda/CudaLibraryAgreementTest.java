package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;

/** {@link LibraryAgreementChecks} on a GPU: the eNTK of 512 digits through 64-512-512-10, 20 proximal-ntk steps. */
@RequiresCudaDevice
@DisplayName("The library on a GPU agrees with EJML")
class CudaLibraryAgreementTest extends LibraryAgreementChecks {

    @Override
    Backend newBackend() {
        return new CudaBackendProvider().create(BackendOptions.defaults());
    }

    @Override
    int kernelSamples() {
        return 512;
    }

    @Override
    int kernelWidth() {
        return 512;
    }

    @Override
    int iterations() {
        return 20;
    }
}
