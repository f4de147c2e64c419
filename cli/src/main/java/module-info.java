/**
 * The {@code ntk4j} command: train, kernel, predict, backends and bench, with run folders (config, metrics
 * CSV, checkpoints, plots) and a Prometheus endpoint.
 */
module org.ntk4j.cli {
    requires org.ntk4j.api;
    requires info.picocli;
    requires org.knowm.xchart;
    requires java.desktop;
    requires jdk.httpserver;
    requires java.logging;
    requires jdk.unsupported;
    requires micrometer.registry.prometheus;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.exporter.httpserver;

    opens org.ntk4j.cli to info.picocli;

    uses org.ntk4j.backend.BackendProvider;
}
