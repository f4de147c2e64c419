/**
 * The ntk4j backend conformance kit (TCK): abstract JUnit 5 classes that a backend's test extends in a few
 * lines to prove every primitive of {@code org.ntk4j.backend.Backend} against plain-Java references; and the model
 * conformance kit ({@code org.ntk4j.tck.model}), which runs the layers, the generic eNTK, the model objective and
 * layered training on a backend.
 */
module org.ntk4j.tck {
    requires transitive org.ntk4j.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports org.ntk4j.tck;
    exports org.ntk4j.tck.model;

    opens org.ntk4j.tck to org.junit.platform.commons;
    opens org.ntk4j.tck.model to org.junit.platform.commons;
}
