package org.ntk4j.backend.nd4j;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.factory.Nd4j;
import org.ntk4j.backend.Availability;

/**
 * Loads ND4J's native CPU backend once per JVM and remembers the outcome. Everything that touches ND4J
 * for the first time goes through {@link #status()}, so a missing or foreign native library becomes an
 * {@link Availability} with its cause instead of an error thrown out of a static initializer.
 */
final class Nd4jRuntime {

    /** The slf4j-simple property that sets the level of ND4J's loggers. */
    static final String SIMPLE_LOGGER_ND4J_LEVEL = "org.slf4j.simpleLogger.log.org.nd4j";

    private static Availability status;

    private Nd4jRuntime() {
    }

    /**
     * Loads ND4J on the first call (a few seconds), then answers at once. Never throws.
     *
     * @return whether nd4j-native is usable here, with what was found or why not
     */
    static synchronized Availability status() {
        if (status == null) {
            status = load();
        }
        return status;
    }

    private static Availability load() {
        quietStartupLogging();
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        try {
            String backend = Nd4j.getBackend().getClass().getName();
            if (!backend.endsWith(".CpuBackend")) {
                return Availability.unavailable("ND4J's active backend is " + backend
                        + ", not nd4j-native's CpuBackend");
            }
            // periodic System.gc() calls are only needed by code that leaves arrays to the collector
            Nd4j.getMemoryManager().togglePeriodicGc(false);
            Loader.load(openblas.class);
            String version = Nd4j.class.getPackage().getImplementationVersion();
            return Availability.available("ND4J " + (version == null ? "" : version + " ")
                    + "nd4j-native on " + Loader.getPlatform() + ", " + Nd4j.factory().blas().getBlasVendor()
                    + " with " + Nd4j.factory().blas().getMaxThreads() + " threads, F64 and F32");
        } catch (Throwable t) {
            return Availability.unavailable("ND4J's native CPU library did not load on " + platform + ": "
                    + Nd4jBackendProvider.rootCause(t) + " (nd4j-native needs its platform jar, e.g. classifier linux-x86_64, and "
                    + "org.bytedeco:openblas for the same platform on the classpath)");
        }
    }

    /**
     * Unless the application chose otherwise, puts ND4J's loggers at WARN for slf4j-simple, so that its
     * INFO start-up banner does not appear. Other SLF4J bindings ignore the property.
     */
    private static void quietStartupLogging() {
        try {
            if (System.getProperty(SIMPLE_LOGGER_ND4J_LEVEL) == null) {
                System.setProperty(SIMPLE_LOGGER_ND4J_LEVEL, "warn");
            }
        } catch (SecurityException ignored) {
            // a security manager forbids it: ND4J then logs at the binding's default level
        }
    }
}
