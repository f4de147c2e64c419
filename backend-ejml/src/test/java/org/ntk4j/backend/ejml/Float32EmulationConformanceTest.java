package org.ntk4j.backend.ejml;

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
 * Runs every group of the kit against an F32-only backend (EJML with every result rounded to float), so that the
 * kit's F32 paths and its handling of a backend that lists only F32 are exercised in this build. The groups are
 * nested here one by one, as a backend would pick groups, so that their reports do not share names with the
 * EJML run's.
 */
@DisplayName("conformance kit on an F32-only backend (float32 emulation)")
class Float32EmulationConformanceTest {

    @Nested
    class Memory extends MemoryConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Gemm extends GemmConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Elementwise extends ElementwiseConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Duals extends DualConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class LinearAlgebra extends LinearAlgebraConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Triangles extends TriangleConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Composites extends CompositeConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Windows extends WindowConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }

    @Nested
    class Scopes extends ScopeConformance {
        @Override protected Backend createBackend() { return new Float32Emulation(); }
    }
}
