package org.ntk4j.cli;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@code GET /metrics} (and {@code HEAD}) in the Prometheus formats from a {@link PrometheusMeterRegistry},
 * with the Prometheus client's HTTP server ({@code prometheus-metrics-exporter-httpserver}) on one address
 * (loopback by default). That server reads each request on a thread of a small pool and gives up on a request
 * that is not complete within a minute, so a slow or half-sent request does not hold up other scrapes. Any other
 * path answers 404, any other method on {@code /metrics} 405.
 */
final class MetricsServer implements AutoCloseable {

    /** The one path served. */
    static final String PATH = "/metrics";

    /**
     * The exporter logs a scraper that hangs up early (a Prometheus scrape timeout) as SEVERE with a stack trace on
     * standard error; the scraper already knows, and the training output must stay clean. Held here so that the
     * setting is not garbage-collected with the logger.
     */
    private static final Logger EXPORTER_LOG = quiet("io.prometheus.metrics.exporter.httpserver");

    private final HTTPServer server;
    private final InetAddress address;

    private MetricsServer(HTTPServer server, InetAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * A Prometheus registry whose ntk4j timers publish histogram buckets (1 ms to 2 min), so that a dashboard
     * can compute quantiles with {@code histogram_quantile} across scrapes and instances.
     *
     * @return the registry
     */
    static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("ntk4j.")) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                            .maximumExpectedValue((double) Duration.ofMinutes(2).toNanos())
                            .build()
                            .merge(config);
                }
                return config;
            }
        });
        return registry;
    }

    /**
     * Checks the endpoint's options without binding anything.
     *
     * @param host the address to bind, e.g. 127.0.0.1
     * @param port the port, 0 to 65535 (0: a free one)
     * @return the resolved address
     * @throws UsageException naming {@code --metrics-host} or {@code --metrics-port}
     */
    static InetAddress check(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new UsageException("--metrics-port must be in [0, 65535] (0: a free port), got " + port);
        }
        if (host == null || host.isBlank()) {
            throw new UsageException("--metrics-host must name an address, e.g. 127.0.0.1");
        }
        try {
            return InetAddress.getByName(host.trim());
        } catch (UnknownHostException e) {
            throw new UsageException("--metrics-host " + host + ": unknown host");
        }
    }

    /**
     * @param registry the registry to scrape (read on every request)
     * @param host the address to bind, e.g. 127.0.0.1
     * @param port the port, or 0 for a free one
     * @return the running server
     * @throws UsageException if the host or port is not a valid address
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    static MetricsServer start(PrometheusMeterRegistry registry, String host, int port) throws IOException {
        InetAddress address = check(host, port);
        try {
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(address)
                    .port(port)
                    .registry(registry.getPrometheusRegistry())
                    .metricsHandlerPath(PATH)
                    .registerHealthHandler(false)
                    .defaultHandler(exchange -> {
                        try (exchange) {
                            exchange.sendResponseHeaders(404, -1);
                        }
                    })
                    .authenticator(new OnlyMetrics())
                    .buildAndStart();
            return new MetricsServer(server, address);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot serve metrics on " + host + ":" + port + ": " + Failures.oneLine(e), e);
        }
    }

    /**
     * Lets only {@code GET} and {@code HEAD} of exactly {@code /metrics} through to the library's handlers: the
     * JDK server matches contexts by prefix, and the scrape handler answers every method.
     */
    private static final class OnlyMetrics extends Authenticator {
        private static final HttpPrincipal SCRAPER = new HttpPrincipal("scraper", "ntk4j");

        @Override
        public Result authenticate(HttpExchange exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                return new Failure(404);
            }
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                return new Failure(405);
            }
            return new Success(SCRAPER);
        }
    }

    private static Logger quiet(String name) {
        Logger log = Logger.getLogger(name);
        log.setLevel(Level.OFF);
        return log;
    }

    /** @return the bound port */
    int port() {
        return server.getPort();
    }

    /** @return the URL of the endpoint */
    String url() {
        String host = address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + PATH;
    }

    /** Stops serving, at once. */
    @Override
    public void close() {
        server.close();
    }
}
