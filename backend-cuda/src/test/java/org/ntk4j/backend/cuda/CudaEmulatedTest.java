package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.DisplayName;

/**
 * {@link CudaBackendChecks} with the kernels run on the CPU by {@link EmulatedDevice}: the backend's logic and
 * the kernels' CUDA C, checked on machines without a GPU. Skipped where g++ is missing.
 */
@DisplayName("The CUDA backend with its kernels emulated on the CPU")
class CudaEmulatedTest extends CudaBackendChecks {

    @Override
    CudaBackend newBackend() {
        String failure = EmulatedDevice.build();
        assumeTrue(failure == null, failure);
        MemoryLedger ledger = new MemoryLedger();
        return new CudaBackend(new EmulatedDevice(ledger), ledger, null, "CPU emulation of the kernels");
    }
}
