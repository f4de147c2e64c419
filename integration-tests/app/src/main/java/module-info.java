/**
 * A small application that uses ntk4j the way a user's program does: it asks {@code Backends} for a backend
 * (found by the API's {@code uses} clause on the module path, or META-INF/services on the classpath) and
 * computes a kernel with it. The integration tests run it in child JVMs.
 */
module org.ntk4j.it.app {
    requires org.ntk4j.api;

    exports org.ntk4j.it.app;
}
