package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.ProviderStatus;

/** The note printed when the automatic backend choice falls back past unavailable backends. */
class CommonOptionsTest {

    private static final ProviderStatus CUDA_MISSING = new ProviderStatus("cuda", 300,
            Availability.unavailable("libcuda.so.1 not found"), false);

    @Test
    @DisplayName("falling back to the last backend names every one passed over with its reason")
    void fallback() {
        List<ProviderStatus> report = List.of(CUDA_MISSING,
                new ProviderStatus("nd4j", 200, Availability.unavailable("no natives for linux-arm64"), false),
                new ProviderStatus("ejml", 100, Availability.available("pure Java"), true));
        assertEquals("backend: running on ejml because cuda is unavailable (libcuda.so.1 not found); nd4j is"
                + " unavailable (no natives for linux-arm64)", CommonOptions.fallbackNote(report));
    }

    @Test
    @DisplayName("no note when a preferred backend was chosen, or when there is only one")
    void noFallback() {
        assertNull(CommonOptions.fallbackNote(List.of(CUDA_MISSING,
                new ProviderStatus("nd4j", 200, Availability.available("OpenBLAS"), true),
                new ProviderStatus("ejml", 100, Availability.available("pure Java"), false))));
        assertNull(CommonOptions.fallbackNote(List.of(
                new ProviderStatus("ejml", 100, Availability.available("pure Java"), true))));
    }
}
