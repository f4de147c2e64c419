package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.ntk4j.backend.Backend;

/**
 * {@link LibraryAgreementChecks} with the kernels emulated on the CPU, on small problems: the eNTK of 12 digits
 * through 64-16-16-10 and 3 proximal-ntk steps. Skipped where g++ is missing.
 */
@DisplayName("The library on the CUDA backend with emulated kernels agrees with EJML")
class CudaEmulatedLibraryAgreementTest extends LibraryAgreementChecks {

    @Override
    Backend newBackend() {
        return CudaEmulatedConformanceTest.emulated();
    }

    @Override
    int kernelSamples() {
        return 12;
    }

    @Override
    int kernelWidth() {
        return 16;
    }

    @Override
    int iterations() {
        return 3;
    }
}
