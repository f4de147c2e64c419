package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend selection in child JVMs whose classpath holds different backend jars. */
@DisplayName("Backend selection on the classpath")
class ClasspathSelectionIT {

    /** The CUDA driver's variable that lists the visible devices; an invalid index hides them all. */
    private static final String HIDE_GPUS = "CUDA_VISIBLE_DEVICES";
    private static final String NO_GPU = "-1";

    @Test
    @DisplayName("api + ejml: ejml is selected, reported, and computes the kernel")
    void ejmlAloneIsSelectedAndComputesTheKernel() {
        ChildResult child = Probes.onClasspath(Classpaths.of("ejml")).run();
        Probes.assertComputedWith(child, "ejml");
        assertEquals("", child.value("module"), () -> "the API should be in the unnamed module\n" + child);
        assertTrue(child.reportLine("ejml").startsWith("*"), () -> "ejml not marked selected\n" + child);
    }

    @Test
    @DisplayName("api + ejml with -Dntk4j.backend=ejml: ejml")
    void propertyNamingEjmlSelectsEjml() {
        ChildResult child = Probes.onClasspath(Classpaths.of("ejml")).systemProperty("ntk4j.backend", "ejml").run();
        Probes.assertComputedWith(child, "ejml");
    }

    @Test
    @DisplayName("api + ejml + nd4j: nd4j (priority 200) is selected over ejml (100)")
    void nd4jIsPreferredOverEjml() {
        ChildResult child = Probes.onClasspath(Classpaths.of("nd4j")).run();
        Probes.assertComputedWith(child, "nd4j");
        String ejml = child.reportLine("ejml");
        assertTrue(ejml != null && ejml.startsWith(" ") && ejml.contains("available"),
                () -> "ejml should be listed, available and not selected\n" + child);
    }

    @Test
    @DisplayName("api + ejml + nd4j with -Dntk4j.backend=ejml: ejml")
    void propertyNamingEjmlSelectsEjmlOverNd4j() {
        ChildResult child = Probes.onClasspath(Classpaths.of("nd4j")).systemProperty("ntk4j.backend", "ejml").run();
        Probes.assertComputedWith(child, "ejml");
    }

    @Test
    @DisplayName("api + ejml + nd4j + cuda without a GPU: nd4j, and the report says why cuda was skipped")
    void withoutAGpuCudaIsSkippedWithItsReasonAndNd4jIsSelected() {
        ChildResult child = Probes.onClasspath(Classpaths.of("cuda")).env(HIDE_GPUS, NO_GPU).run();
        Probes.assertComputedWith(child, "nd4j");
        Probes.assertReportedUnavailable(child, "cuda");
    }

    @Test
    @DisplayName("api + ejml + nd4j + cuda with -Dntk4j.backend=ejml: ejml")
    void propertyNamingEjmlSelectsEjmlOverNd4jAndCuda() {
        ChildResult child = Probes.onClasspath(Classpaths.of("cuda")).systemProperty("ntk4j.backend", "ejml").run();
        Probes.assertComputedWith(child, "ejml");
    }

    @Test
    @DisplayName("NTK4J_BACKEND=cuda without a GPU: exit 1 with cuda's reason and the available backends named")
    void environmentNamingCudaWithoutAGpuFailsWithTheReasonAndTheAvailableBackends() {
        ChildResult probe = Probes.onClasspath(Classpaths.of("cuda")).env(HIDE_GPUS, NO_GPU).run();
        String reason = Probes.assertReportedUnavailable(probe, "cuda");
        ChildResult child = Probes.onClasspath(Classpaths.of("cuda")).env(HIDE_GPUS, NO_GPU)
                .env("NTK4J_BACKEND", "cuda").run();
        Probes.assertFailedSaying(child, "'cuda' is unavailable", reason, "available: nd4j, ejml");
    }

    @Test
    @DisplayName("api + ejml + nd4j + cuda where a GPU is present: cuda (skipped, with cuda's reason, elsewhere)")
    void withAGpuCudaIsSelected() {
        ChildResult child = Probes.onClasspath(Classpaths.of("cuda")).run();
        String line = child.reportLine("cuda");
        assertTrue(line != null, () -> "no report line for cuda\n" + child);
        assumeTrue(!line.contains("unavailable"), () -> "no usable GPU here: " + line.trim());
        Probes.assertComputedWith(child, "cuda");
    }

    @Test
    @DisplayName("the system property wins over NTK4J_BACKEND")
    void propertyWinsOverEnvironment() {
        ChildResult child = Probes.onClasspath(Classpaths.of("ejml"))
                .systemProperty("ntk4j.backend", "EJML").env("NTK4J_BACKEND", "no-such-backend").run();
        Probes.assertComputedWith(child, "ejml");
    }

    @Test
    @DisplayName("NTK4J_BACKEND naming a backend that is not there: exit 1, naming it and the available ones")
    void environmentNamingAMissingBackendFailsNamingTheAvailableOnes() {
        ChildResult child = Probes.onClasspath(Classpaths.of("ejml")).env("NTK4J_BACKEND", "cuda").run();
        Probes.assertFailedSaying(child, "'cuda'", "available: ejml");
    }

    @Test
    @DisplayName("no backend at all: exit 1 with a message that says which artifacts to add")
    void noBackendFailsSayingWhichArtifactsToAdd() {
        ChildResult child = Probes.onClasspath(Classpaths.of("none")).run();
        Probes.assertFailedSaying(child, "no ntk4j backend found", "add one of", "org.ntk4j:ntk4j-backend-ejml",
                "org.ntk4j:ntk4j-backend-nd4j", "org.ntk4j:ntk4j-backend-cuda");
        assertEquals(List.of(), child.values("report"), () -> "providers were reported\n" + child);
    }

    @Test
    @DisplayName("api + ejml + a services file naming a missing class: ejml is selected, the broken entry reported with its cause")
    void brokenServicesEntryDoesNotStopSelection(@TempDir Path dir) throws IOException {
        String missing = "com.example.ntk4j.broken.MissingProvider";
        Path services = dir.resolve("META-INF/services/org.ntk4j.backend.BackendProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, missing + "\n");
        List<Path> classpath = new ArrayList<>();
        classpath.add(dir);
        classpath.addAll(Classpaths.of("ejml"));
        ChildResult child = Probes.onClasspath(classpath).run();
        Probes.assertComputedWith(child, "ejml");
        String reason = Probes.assertReportedUnavailable(child, missing);
        assertTrue(reason.contains("could not be loaded") && reason.contains("not found"),
                () -> "the broken entry's reason\n" + child);
        ChildResult named = Probes.onClasspath(classpath).systemProperty("ntk4j.backend", "EJML").run();
        Probes.assertComputedWith(named, "ejml");
    }
}
