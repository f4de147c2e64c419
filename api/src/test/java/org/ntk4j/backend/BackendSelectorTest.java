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
    static class TestProvider implements BackendProvider {
        private final String name;
        private final int priority;
        private final Supplier<Availability> probe;
        final List<BackendOptions> created = new ArrayList<>();
        RuntimeException createFailure;
        Error createError;

        TestProvider(String name, int priority, Supplier<Availability> probe) {
            this.name = name;
            this.priority = priority;
            this.probe = probe;
        }

        /** @return this provider, made to throw from create although its probe says available */
        TestProvider failingCreate(RuntimeException e) {
            createFailure = e;
            return this;
        }

        /** @return this provider, made to throw an error from create although its probe says available */
        TestProvider failingCreate(Error e) {
            createError = e;
            return this;
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
            if (createFailure != null) {
                throw createFailure;
            }
            if (createError != null) {
                throw createError;
            }
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
        return new BackendSelector(providers, UNSET, UNSET, new java.util.concurrent.ConcurrentHashMap<>(), line -> { });
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

    @Test
    @DisplayName("a probe that throws an AssertionError or any other Error counts as unavailable, never escaping")
    void probeThrowingError() {
        TestProvider asserting = new TestProvider("asserting", 500, () -> {
            throw new AssertionError("probe assertion");
        });
        TestProvider initFailing = new TestProvider("initfailing", 400, () -> {
            throw new ExceptionInInitializerError(new IllegalStateException("static state"));
        });
        BackendSelector s = selector(List.of(asserting, initFailing, TestProvider.available("ejml", 100)));
        List<ProviderStatus> report = s.report();
        assertEquals(List.of("asserting", "initfailing", "ejml"), report.stream().map(ProviderStatus::name).toList());
        assertFalse(report.get(0).availability().available());
        assertTrue(report.get(0).availability().detail().contains("probe assertion"), report.get(0).toString());
        assertTrue(report.get(1).availability().detail().contains("static state"), report.get(1).toString());
        assertTrue(report.get(2).selected());
        assertEquals("ejml", select(s));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create("asserting", BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("AssertionError: probe assertion"), e.getMessage());
        assertTrue(e.getMessage().contains("available: ejml"), e.getMessage());
    }

    @Test
    @DisplayName("a JVM error (out of memory) from a probe is not swallowed")
    void probeVirtualMachineError() {
        TestProvider oom = new TestProvider("oom", 500, () -> {
            throw new OutOfMemoryError("probe ran out");
        });
        assertThrows(OutOfMemoryError.class, () -> selector(List.of(oom)).report());
    }

    @Test
    @DisplayName("when the top provider's create throws although its probe said available, the next one is used and the report says why")
    void createFailsFallsBack() {
        TestProvider cuda = TestProvider.available("cuda", 300)
                .failingCreate(new IllegalStateException("cudaMalloc failed: out of device memory"));
        TestProvider nd4j = TestProvider.available("nd4j", 200).failingCreate(new UnsatisfiedLinkError("no jnind4j"));
        TestProvider ejml = TestProvider.available("ejml", 100);
        List<String> warnings = new ArrayList<>();
        BackendSelector s = new BackendSelector(List.of(cuda, nd4j, ejml), UNSET, UNSET,
                new java.util.concurrent.ConcurrentHashMap<>(), warnings::add);
        assertEquals(List.of(true, false, false), s.report().stream().map(ProviderStatus::selected).toList());
        assertEquals("ejml", select(s));
        assertEquals(1, cuda.created.size());
        assertEquals(1, nd4j.created.size());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'cuda'")
                && warnings.get(0).contains("out of device memory"), warnings.toString());

        List<ProviderStatus> report = s.report();
        assertEquals(List.of(false, false, true), report.stream().map(ProviderStatus::selected).toList());
        assertFalse(report.get(0).availability().available());
        assertTrue(report.get(0).toString().contains("failed to start")
                && report.get(0).toString().contains("out of device memory"), report.get(0).toString());
        assertTrue(report.get(1).toString().contains("no jnind4j"), report.get(1).toString());

        assertEquals("ejml", select(s));
        assertEquals(1, cuda.created.size(), "a backend that failed to start is not retried by automatic selection");

        BackendUnavailableException explicit = assertThrows(BackendUnavailableException.class,
                () -> s.create("cuda", BackendOptions.defaults()));
        assertTrue(explicit.getMessage().contains("'cuda' failed to start")
                && explicit.getMessage().contains("out of device memory")
                && explicit.getMessage().contains("available: ejml"), explicit.getMessage());
        assertTrue(explicit.getCause() instanceof IllegalStateException, String.valueOf(explicit.getCause()));
    }

    @Test
    @DisplayName("when every available provider fails to start, the message gives each failure and keeps the first as cause")
    void everyCreateFails() {
        IllegalStateException first = new IllegalStateException("device lost");
        BackendSelector s = selector(List.of(TestProvider.available("cuda", 300).failingCreate(first),
                TestProvider.available("ejml", 100).failingCreate(new BackendUnavailableException("heap too small")),
                TestProvider.unavailable("nd4j", 200, "libopenblas not found")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create(BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("cuda: failed to start: java.lang.IllegalStateException: device lost"),
                e.getMessage());
        assertTrue(e.getMessage().contains("nd4j: libopenblas not found"), e.getMessage());
        assertTrue(e.getMessage().contains("heap too small"), e.getMessage());
        assertEquals(first, e.getCause());
    }

    @Test
    @DisplayName("an explicit choice that later starts clears its earlier failure")
    void explicitRetryClearsFailure() {
        TestProvider flaky = TestProvider.available("flaky", 300).failingCreate(new IllegalStateException("busy"));
        BackendSelector s = selector(List.of(flaky, TestProvider.available("ejml", 100)));
        assertEquals("ejml", select(s));
        assertFalse(s.report().get(0).availability().available());
        flaky.createFailure = null;
        assertEquals("flaky", s.create("flaky", BackendOptions.defaults()).name());
        assertTrue(s.report().get(0).selected());
        assertEquals("flaky", select(s));
    }

    @Test
    @DisplayName("names match case-insensitively in one place, and providers keep their spelling for display")
    void mixedCaseNames() {
        TestProvider acme = TestProvider.available("Acme", 150);
        BackendSelector s = selector(List.of(acme, TestProvider.available("ejml", 100)));
        assertEquals("Acme", s.create("Acme", BackendOptions.defaults()).name());
        assertEquals("Acme", s.create(" acme ", BackendOptions.defaults()).name());
        assertEquals("Acme", s.create("ACME", BackendOptions.defaults()).name());
        assertEquals("Acme", s.report().get(0).name());
        assertEquals("Acme", select(new BackendSelector(List.of(TestProvider.available("ejml", 100), acme),
                lookup(BackendSelector.PROPERTY, "AcMe"), UNSET)));
        assertTrue(new BackendSelector(List.of(TestProvider.available("ejml", 100), acme),
                lookup(BackendSelector.PROPERTY, "ACME"), UNSET).report().get(0).selected());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> s.create("Acne", BackendOptions.defaults()));
        assertTrue(e.getMessage().startsWith("unknown ntk4j backend 'Acne'; available: Acme, ejml"), e.getMessage());
        TestProvider down = TestProvider.unavailable("Down", 500, "no device");
        BackendUnavailableException u = assertThrows(BackendUnavailableException.class,
                () -> selector(List.of(down, acme)).create("down", BackendOptions.defaults()));
        assertTrue(u.getMessage().startsWith("ntk4j backend 'Down' is unavailable: no device"), u.getMessage());
        assertEquals("acme", BackendSelector.key(" ACME "));
    }

    @Test
    @DisplayName("a provider whose name() or priority() throws, or has no name, is listed unavailable under its class name")
    void brokenNameOrPriority() {
        BackendProvider badName = new TestProvider("x", 900, () -> Availability.available("fine")) {
            @Override
            public String name() {
                throw new IllegalStateException("name not configured");
            }
        };
        BackendProvider noName = new TestProvider(" ", 800, () -> Availability.available("fine"));
        BackendSelector s = selector(List.of(badName, noName, TestProvider.available("ejml", 100)));
        assertEquals("ejml", select(s));
        List<ProviderStatus> report = s.report();
        assertEquals(3, report.size());
        ProviderStatus bad = report.stream().filter(p -> p.name().equals(badName.getClass().getName())).findFirst()
                .orElseThrow(() -> new AssertionError(report.toString()));
        assertFalse(bad.availability().available());
        assertTrue(bad.availability().detail().contains("name not configured"), bad.toString());
        assertTrue(report.stream().anyMatch(p -> p.availability().detail().contains("no name")), report.toString());
    }
}
