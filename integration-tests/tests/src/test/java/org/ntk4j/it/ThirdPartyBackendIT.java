package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The third-party backend ({@code com.example.ntk4j.simple}) found by ServiceLoader in child JVMs. */
@DisplayName("A third-party backend")
class ThirdPartyBackendIT {

    @Test
    @DisplayName("alone on the classpath it is found through META-INF/services and computes the kernel")
    void aloneOnTheClasspathItIsSelected() {
        ChildResult child = Probes.onClasspath(Classpaths.of("simple")).run();
        Probes.assertComputedWith(child, "simple");
    }

    @Test
    @DisplayName("beside ejml it is listed but ejml (higher priority) is selected")
    void besideEjmlTheHigherPriorityWins() {
        ChildResult child = Probes.onClasspath(Classpaths.union(Classpaths.of("simple"), Classpaths.of("ejml"))).run();
        Probes.assertComputedWith(child, "ejml");
        assertNotNull(child.reportLine("simple"), () -> "simple not reported\n" + child);
    }

    @Test
    @DisplayName("beside ejml on the classpath it is selected by name with -Dntk4j.backend=simple")
    void selectedByNameOnTheClasspath() {
        ChildResult child = Probes.onClasspath(Classpaths.union(Classpaths.of("ejml"), Classpaths.of("simple")))
                .systemProperty("ntk4j.backend", "simple").run();
        Probes.assertComputedWith(child, "simple");
    }

    @Test
    @DisplayName("beside ejml on the module path it is selected by name with NTK4J_BACKEND=simple")
    void selectedByNameOnTheModulePath() {
        ChildResult child = Probes.onModulePath(Classpaths.union(Classpaths.of("ejml"), Classpaths.of("simple")))
                .env("NTK4J_BACKEND", "simple").run();
        Probes.assertComputedWith(child, "simple");
        assertEquals("com.example.ntk4j.simple", child.value("backend.module"),
                () -> "the backend is not the named module com.example.ntk4j.simple\n" + child);
    }
}
