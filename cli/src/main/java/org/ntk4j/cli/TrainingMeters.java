package org.ntk4j.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ntk4j.optim.Phase;

/**
 * The training meters of DESIGN §7 on a registry: the iteration timer (backend, optimizer, model), the phase
 * timer (backend, optimizer, phase), loss and accuracy gauges per split and the damping gauge.
 */
final class TrainingMeters {

    private final Timer iteration;
    private final Map<Phase, Timer> phases = new EnumMap<>(Phase.class);
    private final AtomicLong trainLoss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong testLoss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong trainAccuracy = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong testAccuracy = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong damping = new AtomicLong(Double.doubleToLongBits(Double.NaN));

    /**
     * @param registry where the meters go (modified: meters are registered)
     * @param backend the backend's name
     * @param optimizer the optimizer's name
     * @param model a short description of the model
     */
    TrainingMeters(MeterRegistry registry, String backend, String optimizer, String model) {
        iteration = Timer.builder("ntk4j.training.iteration").description("one training iteration")
                .tag("backend", backend).tag("optimizer", optimizer).tag("model", model).register(registry);
        for (Phase p : Phase.values()) {
            phases.put(p, Timer.builder("ntk4j.training.phase").description("time in one phase of an iteration")
                    .tag("backend", backend).tag("optimizer", optimizer).tag("phase", p.tag()).register(registry));
        }
        gauge(registry, "ntk4j.training.loss", "split", "train", trainLoss);
        gauge(registry, "ntk4j.training.loss", "split", "test", testLoss);
        gauge(registry, "ntk4j.training.accuracy", "split", "train", trainAccuracy);
        gauge(registry, "ntk4j.training.accuracy", "split", "test", testAccuracy);
        Gauge.builder("ntk4j.training.damping", damping, v -> Double.longBitsToDouble(v.get()))
                .description("the proximal NTK optimizer's damping λ").register(registry);
    }

    private static void gauge(MeterRegistry r, String name, String tag, String value, AtomicLong holder) {
        Gauge.builder(name, holder, v -> Double.longBitsToDouble(v.get())).tag(tag, value).register(r);
    }

    void iteration(long nanos) {
        iteration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void phase(Phase p, long nanos) {
        phases.get(p).record(nanos, TimeUnit.NANOSECONDS);
    }

    void evaluation(double trLoss, double trAcc, double teLoss, double teAcc) {
        trainLoss.set(Double.doubleToLongBits(trLoss));
        trainAccuracy.set(Double.doubleToLongBits(trAcc));
        testLoss.set(Double.doubleToLongBits(teLoss));
        testAccuracy.set(Double.doubleToLongBits(teAcc));
    }

    void damping(double lambda) {
        damping.set(Double.doubleToLongBits(lambda));
    }
}
