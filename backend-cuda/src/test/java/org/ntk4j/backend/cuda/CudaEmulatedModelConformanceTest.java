package org.ntk4j.backend.cuda;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.ntk4j.backend.Backend;
import org.ntk4j.tck.model.GenericNtkConformance;
import org.ntk4j.tck.model.LayerForwardConformance;
import org.ntk4j.tck.model.LayerGradientConformance;
import org.ntk4j.tck.model.UserActivationConformance;

/**
 * The model conformance kit on the CUDA backend with its kernels run on the CPU by {@link EmulatedDevice}: layer
 * forward passes, gradients and Jacobian rows, the generic eNTK, and user activations (on the generic host path).
 * The objective and training groups (many
 * optimizer steps and whole training runs) are left to ejml, nd4j and the GPU run
 * ({@code CudaDeviceModelConformanceTest}): through the emulator's pipe, one launch at a time, they take over ten
 * minutes. Skipped where g++ is missing.
 */
@DisplayName("CUDA backend model conformance with the kernels emulated on the CPU")
class CudaEmulatedModelConformanceTest {

    @Nested
    class Forward extends LayerForwardConformance {
        @Override protected Backend createBackend() { return CudaEmulatedConformanceTest.emulated(); }
    }

    @Nested
    class Gradients extends LayerGradientConformance {
        @Override protected Backend createBackend() { return CudaEmulatedConformanceTest.emulated(); }
    }

    @Nested
    class Kernel extends GenericNtkConformance {
        @Override protected Backend createBackend() { return CudaEmulatedConformanceTest.emulated(); }
    }

    /** User activations, which the CUDA backend does not accelerate: the generic host path. */
    @Nested
    class UserActivations extends UserActivationConformance {
        @Override protected Backend createBackend() { return CudaEmulatedConformanceTest.emulated(); }
    }

}
