package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Device memory accounting")
class MemoryLedgerTest {

    @Test
    @DisplayName("reports the bytes held through the ntk4j.backend.memory.used gauge, tagged backend=cuda")
    void gauge() {
        MemoryLedger ledger = new MemoryLedger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ledger.bind(registry);
        Gauge g = registry.get("ntk4j.backend.memory.used").tag("backend", "cuda").gauge();
        assertEquals(0, g.value());
        ledger.allocated(4096);
        ledger.allocated(100);
        assertEquals(4196, g.value());
        ledger.freed(4096);
        assertEquals(100, g.value());
        assertEquals(4196, ledger.peak());
        assertEquals(1, ledger.allocations());
        assertEquals("bytes", g.getId().getBaseUnit());
    }

    @Test
    @DisplayName("checks kernel arguments against the kernel's signature before launching")
    void launchArguments() {
        CUdeviceptr p = new CUdeviceptr();
        assertEquals(6, CudaContext.parameters(Kernel.AXPBY, 10L, 2.0, p, 3.0, p, p).length);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> CudaContext.parameters(Kernel.AXPBY, 10L, 2.0, p));
        assertTrue(count.getMessage().contains("takes 6 arguments"), count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> CudaContext.parameters(Kernel.AXPBY, 10, 2.0, p, 3.0, p, p));
        assertTrue(type.getMessage().contains("argument 0 must be of kind 'J'"), type.getMessage());
    }
}
