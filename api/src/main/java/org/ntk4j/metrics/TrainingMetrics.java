package org.ntk4j.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ntk4j.optim.Phase;

/**
 * The training meters of ntk4j as a Micrometer {@link MeterBinder}; exactly these, with these tags:
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code ntk4j.training.iteration}</td><td>Timer, one sample per iteration</td><td>backend, optimizer, model</td></tr>
 *   <tr><td>{@code ntk4j.training.phase}</td><td>Timer, one sample per iteration and phase that ran</td>
 *       <td>backend, optimizer, phase = forward, kernel, solve, backward, update, eval</td></tr>
 *   <tr><td>{@code ntk4j.training.loss}</td><td>Gauge</td><td>split = train, test</td></tr>
 *   <tr><td>{@code ntk4j.training.accuracy}</td><td>Gauge</td><td>split = train, test</td></tr>
 *   <tr><td>{@code ntk4j.training.damping}</td><td>Gauge (proximal-ntk's λ)</td><td>none</td></tr>
 *   <tr><td>{@code ntk4j.kernel.compute}</td><td>Timer</td><td>backend, kind = empirical, analytic</td></tr>
 *   <tr><td>{@code ntk4j.backend.flops}</td><td>Counter</td><td>backend, op</td></tr>
 * </table>
 *
 * <p>Gauges read NaN until a value is set. The binder never turns percentiles or histograms on: what a
 * timer publishes is the registry's choice. To chart quantiles (for example p99 iteration time in Grafana with
 * {@code histogram_quantile(0.99, rate(ntk4j_training_iteration_seconds_bucket[1m]))}), the application — the
 * CLI's {@code --metrics-port} does — adds {@link #percentileHistograms()} to its registry before binding:
 * {@code registry.config().meterFilter(TrainingMetrics.percentileHistograms())}. Without it a Prometheus scrape
 * has {@code _count}, {@code _sum} and {@code _max} per timer, enough for mean iteration time.
 *
 * <p>The {@code record…} and {@code set…} methods may be called from any thread.
 */
public final class TrainingMetrics implements MeterBinder {

    /** The {@code split} tag value of the training split. */
    public static final String TRAIN = "train";
    /** The {@code split} tag value of the test split. */
    public static final String TEST = "test";

    private final String backend;
    private final String optimizer;
    private final String model;
    private final Value trainLoss = new Value();
    private final Value testLoss = new Value();
    private final Value trainAccuracy = new Value();
    private final Value testAccuracy = new Value();
    private final Value damping = new Value();
    private final Map<String, Counter> flops = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile Timer iteration;
    private volatile Map<Phase, Timer> phases;
    private volatile Map<String, Timer> kernels;

    /**
     * @param backend the backend's name (tag {@code backend})
     * @param optimizer the optimizer's name (tag {@code optimizer})
     * @param model a short description of the model (tag {@code model}, e.g. {@code mlp-64-256-256-10})
     */
    public TrainingMetrics(String backend, String optimizer, String model) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Binds to {@link Metrics#globalRegistry}, the library's default registry.
     *
     * @return this binder
     */
    public TrainingMetrics bindToGlobalRegistry() {
        bindTo(Metrics.globalRegistry);
        return this;
    }

    /**
     * Registers every meter. Call once, before recording; recording before binding is ignored.
     *
     * @param r the registry (modified: meters are added)
     */
    @Override
    public void bindTo(MeterRegistry r) {
        Timer it = Timer.builder("ntk4j.training.iteration").description("wall time of one training iteration")
                .tag("backend", backend).tag("optimizer", optimizer).tag("model", model).register(r);
        Map<Phase, Timer> ph = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            ph.put(p, Timer.builder("ntk4j.training.phase").description("time spent in one phase of an iteration")
                    .tag("backend", backend).tag("optimizer", optimizer).tag("phase", p.tag()).register(r));
        }
        Map<String, Timer> k = new ConcurrentHashMap<>();
        for (String kind : new String[] {"empirical", "analytic"}) {
            k.put(kind, Timer.builder("ntk4j.kernel.compute").description("time to compute a kernel matrix")
                    .tag("backend", backend).tag("kind", kind).register(r));
        }
        gauge(r, "ntk4j.training.loss", "loss on a split", "split", TRAIN, trainLoss);
        gauge(r, "ntk4j.training.loss", "loss on a split", "split", TEST, testLoss);
        gauge(r, "ntk4j.training.accuracy", "classification accuracy on a split", "split", TRAIN, trainAccuracy);
        gauge(r, "ntk4j.training.accuracy", "classification accuracy on a split", "split", TEST, testAccuracy);
        Gauge.builder("ntk4j.training.damping", damping, Value::get)
                .description("the proximal optimizer's damping").strongReference(true).register(r);
        this.registry = r;
        this.iteration = it;
        this.phases = ph;
        this.kernels = k;
    }

    private static void gauge(MeterRegistry r, String name, String description, String tag, String value, Value v) {
        Gauge.builder(name, v, Value::get).description(description).tag(tag, value).strongReference(true).register(r);
    }

    /**
     * A filter that makes every ntk4j timer publish a percentile histogram (buckets), for quantiles on a
     * dashboard. Opt-in: add it to the registry's config before binding.
     *
     * @return the filter
     */
    public static MeterFilter percentileHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(io.micrometer.core.instrument.Meter.Id id,
                                                         DistributionStatisticConfig config) {
                if (id.getName().startsWith("ntk4j.")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }

    /**
     * @param nanos the wall time of one iteration
     */
    public void recordIteration(long nanos) {
        Timer t = iteration;
        if (t != null) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * @param phase the phase
     * @param nanos the time spent in it during one iteration
     */
    public void recordPhase(Phase phase, long nanos) {
        Map<Phase, Timer> p = phases;
        if (p != null) {
            p.get(phase).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Records a kernel computation made outside a kernel class that reports by itself.
     *
     * @param kind {@code empirical} or {@code analytic}
     * @param nanos its duration
     */
    public void recordKernel(String kind, long nanos) {
        Map<String, Timer> k = kernels;
        if (k == null) {
            return;
        }
        Timer t = k.get(kind);
        if (t == null) {
            throw new IllegalArgumentException("kernel kind must be empirical or analytic, got '" + kind + "'");
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * @param op the operation ({@code solve.cholesky}, {@code solve.lu}, …)
     * @param count floating-point operations done
     */
    public void addFlops(String op, double count) {
        MeterRegistry r = registry;
        if (r != null) {
            flops.computeIfAbsent(op, o -> Counter.builder("ntk4j.backend.flops")
                    .description("floating-point operations in matrix products and solves")
                    .tag("backend", backend).tag("op", o).register(r)).increment(count);
        }
    }

    /**
     * @param split {@link #TRAIN} or {@link #TEST}
     * @param value the loss
     */
    public void setLoss(String split, double value) {
        (TRAIN.equals(split) ? trainLoss : testLoss(split)).set(value);
    }

    /**
     * @param split {@link #TRAIN} or {@link #TEST}
     * @param value the accuracy in [0, 1]
     */
    public void setAccuracy(String split, double value) {
        (TRAIN.equals(split) ? trainAccuracy : testAccuracy(split)).set(value);
    }

    /**
     * @param value the damping λ
     */
    public void setDamping(double value) {
        damping.set(value);
    }

    private Value testLoss(String split) {
        requireTest(split);
        return testLoss;
    }

    private Value testAccuracy(String split) {
        requireTest(split);
        return testAccuracy;
    }

    private static void requireTest(String split) {
        if (!TEST.equals(split)) {
            throw new IllegalArgumentException("split must be train or test, got '" + split + "'");
        }
    }

    /** A double a gauge reads. */
    private static final class Value {
        private volatile double v = Double.NaN;

        double get() {
            return v;
        }

        void set(double value) {
            v = value;
        }
    }
}
