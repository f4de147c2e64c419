package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendProvider;
import org.ntk4j.backend.BackendSelector;
import org.ntk4j.backend.BackendUnavailableException;
import org.ntk4j.backend.ProviderStatus;
import org.ntk4j.backend.ejml.EjmlBackendProvider;

@DisplayName("Backend selection with the CUDA provider")
class CudaSelectionTest {

    private static BackendSelector selector(String property) {
        return new BackendSelector(List.of(new CudaBackendProvider(), new EjmlBackendProvider()),
                key -> BackendSelector.PROPERTY.equals(key) ? property : null, key -> null);
    }

    @Test
    @DisplayName("finds the provider through ServiceLoader")
    void serviceLoader() {
        List<String> names = ServiceLoader.load(BackendProvider.class).stream().map(p -> p.get().name())
                .collect(Collectors.toList());
        assertTrue(names.contains("cuda"), names.toString());
    }

    @Test
    @DisplayName("falls through to ejml without a device, and the report names the reason")
    void fallsThrough() {
        Availability cuda = new CudaBackendProvider().probe();
        assumeFalse(cuda.available(), "a CUDA device is available here");
        BackendSelector selector = selector(null);
        try (Backend backend = selector.create(BackendOptions.defaults())) {
            assertEquals("ejml", backend.name());
        }
        List<ProviderStatus> report = selector.report();
        assertEquals("cuda", report.get(0).name());
        assertFalse(report.get(0).availability().available());
        assertFalse(report.get(0).selected());
        assertEquals(cuda.detail(), report.get(0).availability().detail());
        assertTrue(report.get(0).toString().contains(cuda.detail()));
        assertEquals("ejml", report.get(1).name());
        assertTrue(report.get(1).selected());
    }

    @Test
    @DisplayName("picks cuda first where a device is present")
    void prefersCuda() {
        assumeFalse(!new CudaBackendProvider().probe().available(), "no CUDA device here");
        try (Backend backend = selector(null).create(BackendOptions.defaults())) {
            assertEquals("cuda", backend.name());
        }
    }

    @Test
    @DisplayName("fails with the reason, never falling back, when cuda is asked for by name and is unavailable")
    void explicitChoiceFails() {
        Availability cuda = new CudaBackendProvider().probe();
        assumeFalse(cuda.available(), "a CUDA device is available here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> selector("cuda").create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains(cuda.detail()), e.getMessage());
        assertTrue(e.getMessage().contains("available: ejml"), e.getMessage());
    }
}
