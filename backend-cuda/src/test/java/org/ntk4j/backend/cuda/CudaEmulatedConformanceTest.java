package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.ntk4j.backend.Backend;
import org.ntk4j.tck.ActivationConformance;
import org.ntk4j.tck.CompositeConformance;
import org.ntk4j.tck.DualConformance;
import org.ntk4j.tck.ElementwiseConformance;
import org.ntk4j.tck.GemmConformance;
import org.ntk4j.tck.LinearAlgebraConformance;
import org.ntk4j.tck.TriangleConformance;
import org.ntk4j.tck.MemoryConformance;
import org.ntk4j.tck.ScopeConformance;
import org.ntk4j.tck.WindowConformance;

/**
 * Every group of the conformance kit on the CUDA backend with its kernels run on the CPU by
 * {@link EmulatedDevice} (F32 and F64). The groups are nested one by one so that their reports do not share
 * names with the GPU run's. Skipped where g++ is missing.
 */
@DisplayName("CUDA backend conformance with the kernels emulated on the CPU")
class CudaEmulatedConformanceTest {

    static Backend emulated() {
        String failure = EmulatedDevice.build();
        assumeTrue(failure == null, failure);
        MemoryLedger ledger = new MemoryLedger();
        return new CudaBackend(new EmulatedDevice(ledger), ledger, null, "CPU emulation of the kernels");
    }

    @Nested
    class Memory extends MemoryConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Gemm extends GemmConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Elementwise extends ElementwiseConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Duals extends DualConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class LinearAlgebra extends LinearAlgebraConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Triangles extends TriangleConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Composites extends CompositeConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Windows extends WindowConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }

    @Nested
    class Scopes extends ScopeConformance {
        @Override protected Backend createBackend() { return emulated(); }
    }
}
