package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Json;

/**
 * A real Prometheus server scrapes a running {@code ntk4j train --metrics-port P --hold}; the test asks
 * Prometheus' HTTP API that the iteration counter holds the number of iterations trained and carries the backend
 * and optimizer labels, and that every query of the shipped Grafana dashboard is accepted by Prometheus.
 *
 * <p>Needs the {@code prometheus} binary (Debian package {@code prometheus}; or set {@code PROMETHEUS_BIN}).
 * Without it the test is skipped with that reason — except under {@code CI=true}, where it fails.
 */
class PrometheusRoundTripTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ITERATIONS = 150;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    @DisplayName("Prometheus scrapes ntk4j train and sees the iteration count with backend and optimizer labels")
    void roundTrip() throws Exception {
        Path prometheus = findPrometheus();
        int metricsPort = freePort();
        int prometheusPort = freePort();
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: ntk4j
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(metricsPort));
        Process prom = null;
        Process train = null;
        try {
            prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
            String api = "http://127.0.0.1:" + prometheusPort;
            waitFor("Prometheus ready", () -> httpOk(api + "/-/ready"), prom, tmp.resolve("prometheus.log"));

            List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Djava.awt.headless=true", "-Xmx512m", "-cp",
                    System.getProperty("java.class.path"), Ntk4j.class.getName(), "train", "--quiet", "--backend", "ejml",
                    "--metrics-port", String.valueOf(metricsPort), "--hold", "--run-dir", tmp.resolve("run").toString()));
            cmd.addAll(TrainCommandTest.SHORT_RUN);
            cmd.addAll(List.of("--iterations", String.valueOf(ITERATIONS)));
            train = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("train.log").toFile()).start();

            // Training may end before the first scrape (150 iterations take under a second on an idle machine), so
            // the test does not wait to see intermediate values: --hold keeps the endpoint up, and Prometheus must
            // end up holding the exact number of iterations, labelled with the backend and optimizer.
            Process t = train;
            waitFor("training to finish", () -> Files.readString(tmp.resolve("train.log")).contains("test accuracy")
                    ? Boolean.TRUE : null, t, tmp.resolve("train.log"));
            Map<String, Object> series = waitFor("the iteration counter to reach " + ITERATIONS + " in Prometheus",
                    () -> firstSeries(api, "ntk4j_training_iteration_seconds_count", v -> v == ITERATIONS), t,
                    tmp.resolve("train.log"));
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) series.get("metric");
            assertEquals("ejml", labels.get("backend"), labels.toString());
            assertEquals("proximal-ntk", labels.get("optimizer"), labels.toString());
            waitFor("the final test accuracy in Prometheus", () -> firstSeries(api,
                    "ntk4j_training_accuracy{split=\"test\"}", v -> v > 0), t, tmp.resolve("train.log"));
            assertTrue(train.isAlive(), "--hold keeps the process (and endpoint) up after training");
            for (String expr : DashboardQueries.expressions()) {
                String q = expr.replace("$__rate_interval", "30s").replace("=~\"$job\"", "=~\".*\"")
                        .replace("=~\"$backend\"", "=~\".*\"").replace("=~\"$optimizer\"", "=~\".*\"");
                Map<String, Object> r = query(api, q);
                assertEquals("success", r.get("status"), "dashboard query failed: " + q + " → " + r);
            }
        } finally {
            stop(train);
            stop(prom);
        }
    }

    private static Path findPrometheus() {
        String env = System.getenv("PROMETHEUS_BIN");
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("/usr/bin/prometheus"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "prometheus"));
            }
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String reason = "the prometheus binary is not installed (apt-get install prometheus, or set PROMETHEUS_BIN)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; under CI=true this test must run");
        }
        Assumptions.abort(reason);
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Boolean httpOk(String url) {
        try {
            return Http.get(url).status() == 200 ? Boolean.TRUE : null;
        } catch (IOException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> query(String api, String promql) throws IOException {
        Http r = Http.get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return (Map<String, Object>) Json.parse(r.body(), "Prometheus response to " + promql);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSeries(String api, String promql, java.util.function.DoublePredicate ok) {
        try {
            Map<String, Object> r = query(api, promql);
            Map<String, Object> data = (Map<String, Object>) r.get("data");
            if (data == null) {
                return null;
            }
            for (Object o : (List<Object>) data.get("result")) {
                Map<String, Object> s = (Map<String, Object>) o;
                double v = Double.parseDouble(String.valueOf(((List<Object>) s.get("value")).get(1)));
                if (ok.test(v)) {
                    return s;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Something polled until it answers non-null. */
    interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T waitFor(String what, Probe<T> probe, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (!process.isAlive()) {
                fail("waiting for " + what + ": the process exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            Thread.sleep(250);
        }
        fail("gave up after " + WAIT.toSeconds() + " s waiting for " + what + "; log:\n" + Files.readString(log));
        return null;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The PromQL expressions of the shipped Grafana dashboard. */
    static final class DashboardQueries {
        private static final Pattern EXPR = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

        static List<String> expressions() throws IOException {
            Path dashboard = Path.of("..", "docs", "grafana", "ntk4j-training.json");
            String text = Files.readString(dashboard);
            List<String> out = new ArrayList<>();
            Matcher m = EXPR.matcher(text);
            while (m.find()) {
                out.add((String) Json.parse("\"" + m.group(1) + "\"", dashboard.toString()));
            }
            assertTrue(out.size() >= 8, "dashboard expressions found: " + out);
            return out;
        }
    }
}
