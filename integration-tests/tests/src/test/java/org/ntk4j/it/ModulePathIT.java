package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    @DisplayName("no backend on the module path: exit 1 with a message that says which artifacts to add")
    void noBackendFailsSayingWhichArtifactsToAdd() {
        ChildResult child = Probes.onModulePath(Classpaths.of("none")).run();
        Probes.assertFailedSaying(child, "no ntk4j backend found", "org.ntk4j:ntk4j-backend-ejml",
                "org.ntk4j:ntk4j-backend-nd4j", "org.ntk4j:ntk4j-backend-cuda");
    }
}
