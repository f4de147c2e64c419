/**
 * A third-party ntk4j backend: pure Java, F64, plain loops. Registered with {@code provides} here and in
 * {@code META-INF/services} for classpath users.
 */
module com.example.ntk4j.simple {
    requires org.ntk4j.api;

    provides org.ntk4j.backend.BackendProvider with com.example.ntk4j.simple.SimpleBackendProvider;
}
