package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private static Http send(String method, String url) throws Exception {
        return Http.send(method, url);
    }

    @Test
    @DisplayName("serves GET /metrics in the text format with histogram buckets; 404 elsewhere, 405 for other methods")
    void endpoint() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        Timer t = Timer.builder("ntk4j.training.iteration").tag("backend", "ejml").tag("optimizer", "sgd")
                .register(registry);
        t.record(Duration.ofMillis(12));
        try (MetricsServer server = MetricsServer.start(registry, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + server.port();
            assertEquals(base + "/metrics", server.url());
            Http ok = send("GET", base + "/metrics");
            assertEquals(200, ok.status());
            assertTrue(ok.contentType().startsWith("text/plain"));
            String body = ok.body();
            assertTrue(body.contains("ntk4j_training_iteration_seconds_count{backend=\"ejml\",optimizer=\"sgd\"} 1"), body);
            assertTrue(body.contains("ntk4j_training_iteration_seconds_bucket{backend=\"ejml\",optimizer=\"sgd\",le="),
                    "histogram buckets are published: " + body);
            assertEquals(404, send("GET", base + "/").status());
            assertEquals(404, send("GET", base + "/metricsx").status());
            Http post = send("POST", base + "/metrics");
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.allow());
            assertEquals(405, send("DELETE", base + "/metrics").status());
        }
    }

    @Test
    @DisplayName("a port in use fails with the address in the message")
    void portInUse() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        try (MetricsServer first = MetricsServer.start(registry, "127.0.0.1", 0)) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> MetricsServer.start(registry, "127.0.0.1", first.port()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
        }
    }

    @Test
    @DisplayName("a half-sent request held open does not block another client's scrape")
    void halfOpenRequest() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        registry.counter("ntk4j.test.scrapes").increment();
        try (MetricsServer server = MetricsServer.start(registry, "127.0.0.1", 0);
             java.net.Socket slow = new java.net.Socket("127.0.0.1", server.port())) {
            java.io.OutputStream o = slow.getOutputStream();
            o.write("GET /metr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            o.flush();
            Thread.sleep(200); // the server has accepted the connection and waits for the rest of the line
            long t0 = System.nanoTime();
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(server.url()).toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(3000);
            assertEquals(200, c.getResponseCode());
            String body = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            c.disconnect();
            assertTrue(body.contains("ntk4j_test_scrapes_total 1"), body);
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the scrape waited for the half-sent request");
            assertTrue(slow.isConnected() && !slow.isClosed(), "the slow connection is still open");
        }
    }

    @Test
    @DisplayName("a port out of range or an unknown host is a usage error naming the option")
    void badAddress() {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        Exception port = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> MetricsServer.start(registry, "127.0.0.1", 70000));
        assertTrue(port.getMessage().startsWith("--metrics-port must be in [0, 65535]"), port.getMessage());
        Exception host = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> MetricsServer.start(registry, "no-such-host.invalid", 0));
        assertTrue(host.getMessage().startsWith("--metrics-host no-such-host.invalid"), host.getMessage());
    }
}
