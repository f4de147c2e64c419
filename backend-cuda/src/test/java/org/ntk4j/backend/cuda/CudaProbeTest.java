package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Availability;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.BackendUnavailableException;

@DisplayName("The CUDA provider's probe")
class CudaProbeTest {

    /** Whether the dynamic linker can find libcuda.so.1 here, judged without JCuda. */
    static boolean libcudaPresent() throws Exception {
        List<String> dirs = new ArrayList<>(List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64",
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib/wsl/lib", "/usr/local/cuda/lib64",
                "/usr/local/nvidia/lib64", "/usr/lib/nvidia"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(File.pathSeparator)));
        }
        for (String d : dirs) {
            if (!d.isEmpty() && Files.exists(Path.of(d, "libcuda.so.1"))) {
                return true;
            }
        }
        Process p = new ProcessBuilder("sh", "-c", "ldconfig -p 2>/dev/null || /sbin/ldconfig -p").start();
        String cache = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return cache.contains("libcuda.so.1 ");
    }

    @Test
    @DisplayName("says libcuda.so.1 is not found on a machine without the NVIDIA driver")
    void reportsMissingDriver() throws Exception {
        assumeFalse(libcudaPresent(), "libcuda.so.1 is installed here");
        Availability a = new CudaBackendProvider().probe();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("libcuda.so.1 not found"), a.detail());
    }

    @Test
    @DisplayName("never throws, and gives the same answer twice")
    void isStable() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Availability first = provider.probe();
        assertSame(first, provider.probe());
        assertFalse(first.detail().isBlank());
    }

    @Test
    @DisplayName("makes create fail with the probe's reason when unavailable")
    void createFailsWithReason() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Availability a = provider.probe();
        assumeFalse(a.available(), "a CUDA device is available here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> provider.create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains(a.detail()), e.getMessage());
    }

    @Test
    @DisplayName("names the missing library in a native load failure")
    void parsesLinkErrors() {
        UnsatisfiedLinkError driver = new UnsatisfiedLinkError("Error while loading native library "
                + "\"JCudaDriver-12.6.0-linux-x86_64\"\n---(start of nested stack traces)---\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: "
                + "cannot open shared object file: No such file or directory\n");
        assertEquals("libcuda.so.1 not found: no NVIDIA driver is installed here", CudaProbe.linkFailure(driver));
        UnsatisfiedLinkError blas = new UnsatisfiedLinkError("/tmp/libJCublas2-12.6.0-linux-x86_64.so: "
                + "libcublas.so.12: cannot open shared object file: No such file or directory");
        assertEquals("libcublas.so.12 not found", CudaProbe.linkFailure(blas));
        NoClassDefFoundError other = new NoClassDefFoundError("Could not initialize class X\nmore");
        assertEquals("native library failed to load: NoClassDefFoundError: Could not initialize class X",
                CudaProbe.linkFailure(other));
    }

    @Test
    @DisplayName("has the name cuda and priority 300")
    void identity() {
        CudaBackendProvider provider = new CudaBackendProvider();
        assertEquals("cuda", provider.name());
        assertEquals(300, provider.priority());
    }
}
