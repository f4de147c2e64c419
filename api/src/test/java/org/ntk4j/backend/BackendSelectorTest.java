package org.ntk4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The selection rules of {@link BackendSelector}, with test-only providers and explicit property/env lookups. */
class BackendSelectorTest {

    /** A provider whose backend only knows its name; it records which options it was created with. */
    static final class TestProvider implements BackendProvider {
        private final String name;
        private final int priority;
        private final Supplier<Availability> probe;
        final List<BackendOptions> created = new ArrayList<>();

        TestProvider(String name, int priority, Supplier<Availability> probe) {
            this.name = name;
            this.priority = priority;
            this.probe = probe;
        }

        static TestProvider available(String name, int priority) {
            return new TestProvider(name, priority, () -> Availability.available("test backend " + name));
        }

        static TestProvider unavailable(String name, int priority, String reason) {
            return new TestProvider(name, priority, () -> Availability.unavailable(reason));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability probe() {
            return probe.get();
        }

        @Override
        public Backend create(BackendOptions options) {
            created.add(options);
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "name": return name;
                        case "toString": return "test backend " + name;
                        case "close": return null;
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
        }
    }

    private static final UnaryOperator<String> UNSET = key -> null;

    private static UnaryOperator<String> lookup(String key, String value) {
        return Map.of(key, value)::get;
    }

    private static BackendSelector selector(List<BackendProvider> providers) {
        return new BackendSelector(providers, UNSET, UNSET);
    }

    private static String select(BackendSelector s) {
        return s.create(BackendOptions.defaults()).name();
    }

    @Test
    @DisplayName("the available provider with the highest priority wins")
    void highestPriorityWins() {
        assertEquals("cuda", select(selector(List.of(TestProvider.available("ejml", 100),
                TestProvider.available("cuda", 300), TestProvider.available("nd4j", 200)))));
    }

    @Test
    @DisplayName("an unavailable provider is passed over, whatever its priority")
    void unavailableSkipped() {
        assertEquals("nd4j", select(selector(List.of(TestProvider.available("ejml", 100),
                TestProvider.unavailable("cuda", 300, "libcuda.so.1 not found"), TestProvider.available("nd4j", 200)))));
    }

    @Test
    @DisplayName("a tie in priority goes to the first name alphabetically, regardless of list order")
    void tieByName() {
        BackendProvider a = TestProvider.available("alpha", 150);
        BackendProvider b = TestProvider.available("beta", 150);
        BackendProvider low = TestProvider.available("aaa", 10);
        assertEquals("alpha", select(selector(List.of(a, b, low))));
        assertEquals("alpha", select(selector(List.of(b, a, low))));
        assertEquals("alpha", select(selector(List.of(low, b, a))));
        assertEquals(List.of("alpha", "beta", "aaa"),
                selector(List.of(low, b, a)).providers().stream().map(BackendProvider::name).toList());
    }

    @Test
    @DisplayName("the system property beats the environment variable, and both beat priority")
    void propertyBeatsEnvironment() {
        List<BackendProvider> ps = List.of(TestProvider.available("ejml", 100), TestProvider.available("nd4j", 200),
                TestProvider.available("cuda", 300));
        BackendSelector s = new BackendSelector(ps, lookup(BackendSelector.PROPERTY, "ejml"),
                lookup(BackendSelector.ENVIRONMENT, "nd4j"));
        assertEquals("ejml", s.requestedName());
        assertEquals("ejml", select(s));
    }

    @Test
    @DisplayName("the environment variable is used when the property is unset or blank, case-insensitively")
    void environmentWhenNoProperty() {
        List<BackendProvider> ps = List.of(TestProvider.available("ejml", 100), TestProvider.available("nd4j", 200),
                TestProvider.available("cuda", 300));
        assertEquals("nd4j", select(new BackendSelector(ps, UNSET, lookup(BackendSelector.ENVIRONMENT, "ND4J"))));
        assertEquals("nd4j", select(new BackendSelector(ps, lookup(BackendSelector.PROPERTY, "  "),
                lookup(BackendSelector.ENVIRONMENT, " nd4j "))));
        assertEquals("cuda", select(new BackendSelector(ps, UNSET, lookup(BackendSelector.ENVIRONMENT, ""))));
    }

    @Test
    @DisplayName("an explicit name given to create wins over property and environment, and gets the options")
    void explicitName() {
        TestProvider ejml = TestProvider.available("ejml", 100);
        BackendSelector s = new BackendSelector(List.of(ejml, TestProvider.available("nd4j", 200)),
                lookup(BackendSelector.PROPERTY, "nd4j"), UNSET);
        BackendOptions options = BackendOptions.defaults().withThreads(3);
        assertEquals("ejml", s.create("EJML", options).name());
        assertEquals(List.of(options), ejml.created);
    }

    @Test
    @DisplayName("an unknown explicit name fails, listing the available backends")
    void unknownName() {
        BackendSelector s = selector(List.of(TestProvider.available("ejml", 100), TestProvider.available("nd4j", 200),
                TestProvider.unavailable("cuda", 300, "no CUDA device")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create("opencl", BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("opencl"), e.getMessage());
        assertTrue(e.getMessage().contains("available: nd4j, ejml"), e.getMessage());
        assertFalse(e.getMessage().contains("cuda"), e.getMessage());
    }

    @Test
    @DisplayName("an unavailable explicit choice fails with the probe's reason and the available backends, never a fallback")
    void unavailableExplicit() {
        BackendSelector s = new BackendSelector(List.of(TestProvider.available("ejml", 100),
                TestProvider.unavailable("cuda", 300, "libcuda.so.1 not found")),
                lookup(BackendSelector.PROPERTY, "cuda"), UNSET);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("'cuda' is unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("libcuda.so.1 not found"), e.getMessage());
        assertTrue(e.getMessage().contains("available: ejml"), e.getMessage());
    }

    @Test
    @DisplayName("a probe that throws counts as unavailable, with the exception as its reason")
    void throwingProbe() {
        TestProvider broken = new TestProvider("broken", 500, () -> {
            throw new UnsatisfiedLinkError("no libbroken in java.library.path");
        });
        BackendSelector s = selector(List.of(broken, TestProvider.available("ejml", 100)));
        assertEquals("ejml", select(s));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create("broken", BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("probe failed"), e.getMessage());
        assertTrue(e.getMessage().contains("no libbroken in java.library.path"), e.getMessage());
        List<ProviderStatus> report = s.report();
        assertFalse(report.get(0).availability().available());
        assertTrue(report.get(0).availability().detail().contains("no libbroken"), report.get(0).toString());
        TestProvider nullProbe = new TestProvider("silent", 500, () -> null);
        assertFalse(selector(List.of(nullProbe)).report().get(0).availability().available());
    }

    @Test
    @DisplayName("with no providers at all, the message names the backend artifacts to add")
    void noProviders() {
        BackendSelector s = selector(List.of());
        for (Runnable call : List.<Runnable>of(() -> s.create(BackendOptions.defaults()),
                () -> s.create("ejml", BackendOptions.defaults()))) {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, call::run);
            assertTrue(e.getMessage().contains("org.ntk4j:ntk4j-backend-ejml"), e.getMessage());
            assertTrue(e.getMessage().contains("ntk4j-backend-nd4j"), e.getMessage());
        }
    }

    @Test
    @DisplayName("with providers but none available, the message gives each one's reason")
    void noneAvailable() {
        BackendSelector s = selector(List.of(TestProvider.unavailable("cuda", 300, "no CUDA device"),
                TestProvider.unavailable("nd4j", 200, "libopenblas not found")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("cuda: no CUDA device"), e.getMessage());
        assertTrue(e.getMessage().contains("nd4j: libopenblas not found"), e.getMessage());
    }

    @Test
    @DisplayName("report lists every provider, most preferred first, marking the one selection picks")
    void report() {
        List<BackendProvider> ps = List.of(TestProvider.available("ejml", 100),
                TestProvider.unavailable("cuda", 300, "no CUDA device"), TestProvider.available("nd4j", 200));
        List<ProviderStatus> auto = selector(ps).report();
        assertEquals(List.of("cuda", "nd4j", "ejml"), auto.stream().map(ProviderStatus::name).toList());
        assertEquals(List.of(false, true, false), auto.stream().map(ProviderStatus::selected).toList());
        assertTrue(auto.get(0).toString().contains("unavailable") && auto.get(0).toString().contains("no CUDA device"),
                auto.get(0).toString());
        assertTrue(auto.get(1).toString().startsWith("*"), auto.get(1).toString());
        List<ProviderStatus> requested = new BackendSelector(ps, lookup(BackendSelector.PROPERTY, "ejml"), UNSET)
                .report();
        assertEquals(List.of(false, false, true), requested.stream().map(ProviderStatus::selected).toList());
    }
}
