/**
 * The ntk4j backend conformance kit (TCK): abstract JUnit 5 classes that a backend's test extends in a few
 * lines to prove every primitive of {@code org.ntk4j.backend.Backend} against plain-Java references.
 */
module org.ntk4j.tck {
    requires transitive org.ntk4j.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports org.ntk4j.tck;

    opens org.ntk4j.tck to org.junit.platform.commons;
}
