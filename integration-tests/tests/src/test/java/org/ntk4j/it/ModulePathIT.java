package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The probe as a named module on the module path ({@code java -p … -m org.ntk4j.it.app/…}): the backend is
 * found through the API's {@code uses} clause and the backend module's {@code provides} clause.
 */
@DisplayName("Backend selection on the module path")
class ModulePathIT {

    @Test
    @DisplayName("api, ejml and a named application module on the module path: ejml through provides/uses")
    void ejmlIsFoundThroughProvidesAndUses() {
        ChildResult child = Probes.onModulePath(Classpaths.of("ejml")).run();
        Probes.assertComputedWith(child, "ejml");
        assertEquals("org.ntk4j.api", child.value("module"), () -> "the API is not a named module\n" + child);
        assertEquals("org.ntk4j.backend.ejml", child.value("backend.module"),
                () -> "the backend is not the named module org.ntk4j.backend.ejml\n" + child);
    }

    // docs/backends.md, "From a modular application": ND4J (and the backend jar) on the classpath, the ntk4j modules on
    // the module path, and --add-modules jdk.unsupported for JavaCPP's use of sun.misc.Unsafe
    @Test
    @DisplayName("a modular application with the nd4j backend and ND4J on the classpath, as docs/backends.md shows: nd4j")
    void nd4jOnTheClasspathServesAModularApplication() {
        List<Path> modules = Classpaths.of("none");
        List<Path> nd4j = Classpaths.minus(Classpaths.of("nd4j"), Classpaths.of("ejml"));
        ChildResult child = Probes.onModulePath(modules).classpath(nd4j).jvmOption("--add-modules=jdk.unsupported").run();
        Probes.assertComputedWith(child, "nd4j");
        assertEquals("org.ntk4j.api", child.value("module"), () -> "the API is not a named module\n" + child);
        assertEquals("", child.value("backend.module"), () -> "the backend should be on the classpath\n" + child);
    }

    @Test
    @DisplayName("a modular application with the nd4j backend as the automatic module org.ntk4j.backend.nd4j and ND4J"
            + " on the classpath: nd4j")
    void nd4jAsAnAutomaticModuleServesAModularApplication() {
        List<Path> nd4jAndDeps = Classpaths.minus(Classpaths.of("nd4j"), Classpaths.of("ejml"));
        Path backend = Classpaths.jar(nd4jAndDeps, "ntk4j-backend-nd4j-");
        List<Path> modules = Classpaths.union(Classpaths.of("none"), List.of(backend));
        List<Path> nd4j = Classpaths.minus(nd4jAndDeps, List.of(backend));
        ChildResult child = Probes.onModulePath(modules).classpath(nd4j).jvmOption("--add-modules=jdk.unsupported").run();
        Probes.assertComputedWith(child, "nd4j");
        assertEquals("org.ntk4j.backend.nd4j", child.value("backend.module"),
                () -> "the backend is not the automatic module org.ntk4j.backend.nd4j\n" + child);
    }

    @Test
    @DisplayName("no backend on the module path: exit 1 with a message that says which artifacts to add")
    void noBackendFailsSayingWhichArtifactsToAdd() {
        ChildResult child = Probes.onModulePath(Classpaths.of("none")).run();
        Probes.assertFailedSaying(child, "no ntk4j backend found", "org.ntk4j:ntk4j-backend-ejml",
                "org.ntk4j:ntk4j-backend-nd4j", "org.ntk4j:ntk4j-backend-cuda");
    }
}
