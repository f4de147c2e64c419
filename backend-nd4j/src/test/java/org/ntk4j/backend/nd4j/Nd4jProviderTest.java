package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.Backends;
import org.ntk4j.backend.ProviderStatus;
import org.ntk4j.tensor.DType;

/**
 * The provider: found by ServiceLoader, preferred over EJML, reports a missing native library with its cause,
 * and leaves standard output alone. The platform cases run in child JVMs, whose classpath is this test's
 * minus the jars named.
 */
@DisplayName("The nd4j provider")
class Nd4jProviderTest {

    @Test
    @DisplayName("is found by ServiceLoader, available here, priority 200, and wins the default selection over ejml")
    void selection() {
        ProviderStatus nd4j = Backends.report().stream().filter(s -> s.name().equals("nd4j")).findFirst()
                .orElseThrow(() -> new AssertionError("nd4j not among " + Backends.report()));
        assertTrue(nd4j.availability().available(), nd4j.availability().detail());
        assertEquals(200, new Nd4jBackendProvider().priority());
        try (Backend b = Backends.create()) {
            assertEquals("nd4j", b.name());
            assertEquals(java.util.Set.of(DType.F64, DType.F32), b.dtypes());
        }
        try (Backend b = new Nd4jBackendProvider().create(BackendOptions.defaults().withThreads(2))) {
            assertEquals("nd4j", b.name());
        }
    }

    @Test
    @DisplayName("without nd4j-native's platform jar, probe() reports unavailable with the cause and create() refuses")
    void missingNativeJar(@TempDir Path dir) throws Exception {
        Child c = runChild(dir, List.of("nd4j-native-1.0.0-M2.1-linux-x86_64"), List.of());
        String[] f = c.stdout.strip().split("\\|", 3);
        assertEquals(1, c.stdout.strip().lines().count(), "one line only on stdout:\n" + c.stdout);
        assertEquals("false", f[0], c.stdout);
        assertEquals("refused", f[1], c.stdout);
        assertTrue(f[2].contains("did not load") && f[2].contains("classifier"), f[2]);
        assertTrue(f[2].contains("Error") || f[2].contains("Exception"), "names the cause: " + f[2]);
        assertTrue(c.stderr.isEmpty() || !c.stderr.contains("Exception in thread"), c.stderr);
    }

    @Test
    @DisplayName("without ND4J's jars at all, probe() reports unavailable instead of throwing")
    void noNd4j(@TempDir Path dir) throws Exception {
        Child c = runChild(dir, List.of("/org/nd4j/", "/org/bytedeco/"), List.of());
        String[] f = c.stdout.strip().split("\\|", 3);
        assertEquals("false", f[0], c.stdout + c.stderr);
        assertEquals("refused", f[1], c.stdout);
        assertTrue(f[2].contains("NoClassDefFoundError") || f[2].contains("ClassNotFoundException"), f[2]);
    }

    @Test
    @DisplayName("prints nothing on stdout, and with slf4j-simple ND4J's INFO start-up lines are silenced")
    void quiet(@TempDir Path dir) throws Exception {
        Child c = runChild(dir, List.of(), List.of());
        assertTrue(c.stdout.strip().startsWith("true|nd4j|"), c.stdout + c.stderr);
        assertEquals(1, c.stdout.strip().lines().count(), "one line only on stdout:\n" + c.stdout);
        assertFalse(c.stderr.contains("INFO"), "INFO lines on stderr:\n" + c.stderr);
    }

    /** Runs {@link ProbeMain} in a child JVM with this classpath minus entries containing any of the strings. */
    private static Child runChild(Path dir, List<String> without, List<String> jvmArgs)
            throws IOException, InterruptedException {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> without.stream().noneMatch(e::contains))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(ProbeMain.class.getName());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 120 s");
        }
        return new Child(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Child(String stdout, String stderr) {
    }
}
