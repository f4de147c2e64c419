package org.ntk4j.backend.ejml.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Digits;
import org.ntk4j.data.Split;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Phase;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingResult;

/** The training meters, with a simple registry and a mock clock. */
class TrainingMetricsTest {

    private static Backend backend;
    private static Split split;

    @BeforeAll
    static void open() {
        backend = Backends.create("ejml");
        split = Digits.standardSplit();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** A mock clock that moves 1 ms forward every time it is read, so every timed region lasts at least 1 ms. */
    private static MockClock tickingClock() {
        return new MockClock() {
            @Override
            public long monotonicTime() {
                add(1, TimeUnit.MILLISECONDS);
                return super.monotonicTime();
            }
        };
    }

    @Test
    @DisplayName("the binder registers exactly the meters of the design, with their types and tags")
    void exactlyTheDesignedMeters() {
        SimpleMeterRegistry r = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
        new TrainingMetrics("ejml", "adam", "mlp-64-10").bindTo(r);
        Set<String> names = r.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("ntk4j.training.iteration", "ntk4j.training.phase", "ntk4j.training.loss",
                "ntk4j.training.accuracy", "ntk4j.training.damping", "ntk4j.kernel.compute")), names,
                "the flops counter appears with its first count");
        Timer it = r.get("ntk4j.training.iteration").tags("backend", "ejml", "optimizer", "adam", "model", "mlp-64-10").timer();
        assertNotNull(it);
        for (Phase p : Phase.values()) {
            assertNotNull(r.get("ntk4j.training.phase").tags("backend", "ejml", "optimizer", "adam", "phase", p.tag()).timer());
        }
        for (String split : new String[] {"train", "test"}) {
            assertTrue(Double.isNaN(r.get("ntk4j.training.loss").tag("split", split).gauge().value()));
            assertTrue(Double.isNaN(r.get("ntk4j.training.accuracy").tag("split", split).gauge().value()));
        }
        assertNotNull(r.get("ntk4j.kernel.compute").tags("backend", "ejml", "kind", "analytic").timer());
        for (Meter m : r.getMeters()) {
            if (m instanceof Timer t) {
                assertEquals(0, t.takeSnapshot().histogramCounts().length, "no histogram unless the registry asks");
                assertEquals(0, t.takeSnapshot().percentileValues().length, "no percentiles unless the registry asks");
            }
        }
    }

    @Test
    @DisplayName("the opt-in filter asks for histogram buckets on ntk4j timers only")
    void percentileHistogramsAreOptIn() {
        SimpleMeterRegistry r = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
        new TrainingMetrics("ejml", "sgd", "mlp").bindTo(r);
        MeterFilter f = TrainingMetrics.percentileHistograms();
        Meter.Id id = r.get("ntk4j.training.iteration").timer().getId();
        assertEquals(Boolean.TRUE, f.configure(id, DistributionStatisticConfig.DEFAULT).isPercentileHistogram());
        Meter.Id other = r.timer("http.server.requests").getId();
        assertEquals(DistributionStatisticConfig.DEFAULT, f.configure(other, DistributionStatisticConfig.DEFAULT));
    }

    @Test
    @DisplayName("training with proximal-ntk: one iteration sample per iteration, every phase recorded, gauges set")
    void proximalTraining() {
        MockClock clock = tickingClock();
        SimpleMeterRegistry r = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        TrainingConfig c = TrainingConfig.defaults().withHidden(16).withBatchSize(8).withMaxIterations(4)
                .withTargetAccuracy(Double.NaN);
        TrainingResult res = new Trainer(backend, c).withRegistry(r).train(split);
        assertEquals(4, res.iterations());
        String[] tags = {"backend", "ejml", "optimizer", "proximal-ntk"};
        Timer it = r.get("ntk4j.training.iteration").tags(tags).tag("model", "mlp-64-16-10").timer();
        assertEquals(4, it.count());
        double phaseTotal = 0;
        for (Phase p : Phase.values()) {
            Timer t = r.get("ntk4j.training.phase").tags(tags).tag("phase", p.tag()).timer();
            assertEquals(4, t.count(), p.tag());
            assertTrue(t.totalTime(TimeUnit.NANOSECONDS) > 0, p.tag());
            phaseTotal += t.totalTime(TimeUnit.NANOSECONDS);
        }
        assertTrue(it.totalTime(TimeUnit.NANOSECONDS) >= phaseTotal, "phases are parts of the iteration");
        assertEquals(res.testAccuracy(), r.get("ntk4j.training.accuracy").tag("split", "test").gauge().value());
        assertEquals(res.trainLoss(), r.get("ntk4j.training.loss").tag("split", "train").gauge().value());
        assertTrue(r.get("ntk4j.training.damping").gauge().value() > 0);
        assertEquals(4, r.get("ntk4j.kernel.compute").tags("backend", "ejml", "kind", "empirical").timer().count());
        assertTrue(r.get("ntk4j.backend.flops").tags("backend", "ejml", "op", "solve.cholesky").counter().count() > 0);
    }

    @Test
    @DisplayName("training with adam: forward, backward, update and eval are timed; kernel and solve are not")
    void adamTraining() {
        SimpleMeterRegistry r = new SimpleMeterRegistry(SimpleConfig.DEFAULT, tickingClock());
        TrainingConfig c = TrainingConfig.defaults().withHidden(16).withBatchSize(32).withMaxIterations(6)
                .withEvalEvery(3).withOptimizer("adam", OptimizerOptions.of("lr", 0.01)).withTargetAccuracy(Double.NaN);
        new Trainer(backend, c).withRegistry(r).train(split);
        String[] tags = {"backend", "ejml", "optimizer", "adam"};
        assertEquals(6, r.get("ntk4j.training.iteration").tags(tags).timer().count());
        for (Phase p : new Phase[] {Phase.FORWARD, Phase.BACKWARD, Phase.UPDATE}) {
            assertEquals(6, r.get("ntk4j.training.phase").tags(tags).tag("phase", p.tag()).timer().count(), p.tag());
        }
        assertEquals(2, r.get("ntk4j.training.phase").tags(tags).tag("phase", "eval").timer().count());
        assertEquals(0, r.get("ntk4j.training.phase").tags(tags).tag("phase", "kernel").timer().count());
        assertEquals(0, r.get("ntk4j.training.phase").tags(tags).tag("phase", "solve").timer().count());
        assertTrue(Double.isNaN(r.get("ntk4j.training.damping").gauge().value()), "adam has no damping");
    }
}
