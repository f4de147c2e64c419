package org.ntk4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Backends#load(ClassLoader)} with real {@link java.util.ServiceLoader} lookups: a class loader whose
 * services file names a working provider, a class that does not exist and a provider whose static initialiser
 * throws.
 */
class BackendsLoadingTest {

    /** A provider that works: available, priority 100. */
    public static final class Working extends BackendSelectorTest.TestProvider {
        /** For ServiceLoader. */
        public Working() {
            super("working", 100, () -> Availability.available("always"));
        }
    }

    /** A provider whose class cannot be initialised. */
    public static final class ExplodingInit extends BackendSelectorTest.TestProvider {
        static final int VALUE = explode();

        /** For ServiceLoader. */
        public ExplodingInit() {
            super("exploding", 900, () -> Availability.available("never reached"));
        }

        private static int explode() {
            throw new IllegalStateException("static initialiser of the exploding provider");
        }
    }

    /** A provider whose constructor throws. */
    public static final class ThrowingConstructor extends BackendSelectorTest.TestProvider {
        /** For ServiceLoader. */
        public ThrowingConstructor() {
            super("throwing", 800, () -> Availability.available("never reached"));
            throw new IllegalArgumentException("constructor of the throwing provider");
        }
    }

    private static ClassLoader withServices(Path dir, String... lines) throws IOException {
        Path services = dir.resolve("META-INF/services/" + BackendProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.write(services, List.of(lines));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, BackendsLoadingTest.class.getClassLoader());
    }

    @Test
    @DisplayName("a missing class, a failing static initialiser and a throwing constructor are reported; the working provider is selected")
    void brokenEntries(@TempDir Path dir) throws IOException {
        ClassLoader loader = withServices(dir, "com.example.ntk4j.MissingProvider", ExplodingInit.class.getName(),
                Working.class.getName(), ThrowingConstructor.class.getName(), ExplodingInit.class.getName());
        List<BackendProvider> found = Backends.load(loader);
        assertEquals(4, found.size(), found.toString()); // the repeated entry is read once by ServiceLoader
        BackendSelector s = new BackendSelector(found, key -> null, key -> null);
        assertEquals("working", s.create(BackendOptions.defaults()).name());
        assertEquals("working", s.create("Working", BackendOptions.defaults()).name());

        List<ProviderStatus> report = s.report();
        assertEquals(4, report.size(), report.toString());
        assertEquals(1, report.stream().filter(ProviderStatus::selected).count(), report.toString());
        assertStatus(report, "com.example.ntk4j.MissingProvider", "not found");
        assertStatus(report, ExplodingInit.class.getName(), "static initialiser of the exploding provider");
        assertStatus(report, ThrowingConstructor.class.getName(), "constructor of the throwing provider");

        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create(ExplodingInit.class.getName(), BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("could not be loaded") && e.getMessage().contains("available: working"),
                e.getMessage());
    }

    private static void assertStatus(List<ProviderStatus> report, String name, String cause) {
        ProviderStatus status = report.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + report));
        assertFalse(status.availability().available(), status.toString());
        assertFalse(status.selected(), status.toString());
        assertTrue(status.availability().detail().contains("could not be loaded"), status.toString());
        assertTrue(status.availability().detail().contains(cause), status.toString());
    }

    @Test
    @DisplayName("with only broken entries, selection fails with the reasons instead of a ServiceConfigurationError")
    void onlyBroken(@TempDir Path dir) throws IOException {
        ClassLoader loader = withServices(dir, "com.example.ntk4j.MissingProvider");
        BackendSelector s = new BackendSelector(Backends.load(loader), key -> null, key -> null);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("com.example.ntk4j.MissingProvider: could not be loaded"), e.getMessage());
    }

    @Test
    @DisplayName("an iterator that keeps failing at the same entry is abandoned after a bounded number of errors")
    void endlessFailures() {
        Iterator<BackendProvider> stuck = new Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new ServiceConfigurationError("Error reading configuration file");
            }

            @Override
            public BackendProvider next() {
                throw new NoSuchElementException();
            }
        };
        List<BackendProvider> found = Backends.load(stuck);
        assertEquals(Backends.MAX_BROKEN_ENTRIES, found.size());
        assertFalse(BackendSelector.probe(found.get(0)).available());
        assertEquals("unloadable-provider", found.get(0).name());
    }
}
