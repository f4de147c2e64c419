package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

/** Launching {@code org.ntk4j.it.app.KernelProbe} in a child JVM and checking what it printed. */
final class Probes {

    /** The probe's main class. */
    static final String MAIN = "org.ntk4j.it.app.KernelProbe";
    /** The probe's module and main class, for {@code java -m}. */
    static final String MODULE = "org.ntk4j.it.app/" + MAIN;

    private static final KernelReference REFERENCE = KernelReference.forProbe();

    private Probes() {
    }

    /**
     * @param classpath the child's classpath (not modified)
     * @return a child that runs the probe from the classpath
     */
    static ChildJvm onClasspath(List<Path> classpath) {
        return new ChildJvm().classpath(classpath).mainClass(MAIN);
    }

    /**
     * @param modulePath the child's module path (not modified)
     * @return a child that runs the probe as a named module ({@code java -p … -m …})
     */
    static ChildJvm onModulePath(List<Path> modulePath) {
        return new ChildJvm().modulePath(modulePath).module(MODULE);
    }

    /**
     * Asserts that the child exited 0, reported and used {@code backend}, and computed the right kernels.
     *
     * @param child the result (not modified)
     * @param backend the backend it must have selected
     */
    static void assertComputedWith(ChildResult child, String backend) {
        assertFalse(child.timedOut(), () -> "timed out\n" + child);
        assertEquals(0, child.exitCode(), () -> "exit status\n" + child);
        assertEquals(backend, child.value("selected"), () -> "selected backend\n" + child);
        String line = child.reportLine(backend);
        assertNotNull(line, () -> "no report line for " + backend + "\n" + child);
        assertTrue(line.contains("available") && !line.contains("unavailable"),
                () -> backend + " not reported available\n" + child);
        REFERENCE.assertMatches(child);
    }

    /**
     * Asserts that the child reported a provider as unavailable, with a reason.
     *
     * @param child the result (not modified)
     * @param backend the provider's name
     * @return the reason it gave
     */
    static String assertReportedUnavailable(ChildResult child, String backend) {
        String line = child.reportLine(backend);
        assertNotNull(line, () -> "no report line for " + backend + "\n" + child);
        int at = line.indexOf("unavailable");
        assertTrue(at > 0, () -> backend + " not reported unavailable\n" + child);
        String reason = line.substring(at + "unavailable".length()).trim();
        assertFalse(reason.isEmpty(), () -> backend + " reported unavailable without a reason\n" + child);
        assertFalse(line.startsWith("*"), () -> backend + " marked selected although unavailable\n" + child);
        return reason;
    }

    /**
     * Asserts that the child exited 1 with an {@code error: } line on standard error that contains every
     * fragment, and computed nothing.
     *
     * @param child the result (not modified)
     * @param fragments what the message must say
     */
    static void assertFailedSaying(ChildResult child, String... fragments) {
        assertFalse(child.timedOut(), () -> "timed out\n" + child);
        assertEquals(1, child.exitCode(), () -> "exit status\n" + child);
        String error = child.stderr().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(null);
        assertNotNull(error, () -> "no 'error: ' message\n" + child);
        for (String f : fragments) {
            assertTrue(error.contains(f), () -> "the error does not say '" + f + "'\n" + child);
        }
        assertEquals(null, child.value("selected"), () -> "a backend was selected\n" + child);
        assertEquals(null, child.value("ntk"), () -> "a kernel was computed\n" + child);
    }
}
