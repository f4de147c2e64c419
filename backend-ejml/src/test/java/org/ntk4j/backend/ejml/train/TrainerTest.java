package org.ntk4j.backend.ejml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Digits;
import org.ntk4j.data.Split;
import org.ntk4j.io.NpyArray;
import org.ntk4j.nn.Loss;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.train.Checkpoint;
import org.ntk4j.train.IterationEvent;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingResult;

/** The training loop on EJML: resume bit for bit, divergence, early stopping, listeners. */
class TrainerTest {

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

    private static TrainingConfig small(String optimizer, OptimizerOptions o) {
        return TrainingConfig.defaults().withHidden(24).withBatchSize(16).withOptimizer(optimizer, o)
                .withTargetAccuracy(Double.NaN).withEvalEvery(5).withSeeds(3, 4);
    }

    private Trainer trainer(TrainingConfig c, List<IterationEvent> events) {
        return new Trainer(backend, c).withRegistry(new SimpleMeterRegistry()).withListener(events::add);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"adam", "momentum", "proximal-ntk"})
    @DisplayName("stopping at a checkpoint and resuming gives bit for bit the parameters of an uninterrupted run")
    void resumeIsBitForBit(String optimizer, @TempDir Path dir) {
        OptimizerOptions o = optimizer.equals("proximal-ntk") ? OptimizerOptions.defaults()
                : OptimizerOptions.of("lr", 0.01).with(optimizer.equals("momentum") ? "nesterov" : "b1",
                optimizer.equals("momentum") ? "true" : "0.9");
        // gradient methods on batches of 256: 6 per epoch (1,438 samples), so the checkpoint at 7 sits inside the
        // second epoch; proximal-ntk on batches of 16 to keep its kernel small
        TrainingConfig c = small(optimizer, o).withMaxIterations(13)
                .withBatchSize(optimizer.equals("proximal-ntk") ? 16 : 256);
        List<IterationEvent> whole = new ArrayList<>();
        TrainingResult uninterrupted = trainer(c, whole).train(split);

        Path file = dir.resolve("run.npz");
        List<IterationEvent> first = new ArrayList<>();
        trainer(c.withMaxIterations(7).withCheckpoint(file, 0), first).train(split);
        List<IterationEvent> second = new ArrayList<>();
        TrainingResult resumed = trainer(c, second).resume(file, split);

        assertEquals(13, resumed.iterations());
        assertEquals(6, second.size());
        assertEquals(8, second.get(0).iteration());
        for (int i = 0; i < 6; i++) {
            assertEquals(whole.get(7 + i).batchLoss(), second.get(i).batchLoss(), 0, "batch loss of iteration " + (8 + i));
            assertEquals(whole.get(7 + i).damping(), second.get(i).damping(), 0);
        }
        assertArrayEquals(uninterrupted.params().flatten(), resumed.params().flatten(), 0, "bit-for-bit parameters");
        assertEquals(uninterrupted.testAccuracy(), resumed.testAccuracy(), 0);
    }

    @Test
    @DisplayName("a diverging run stops with a clear message and leaves the last good checkpoint intact")
    void divergenceKeepsLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ckpt.npz");
        TrainingConfig c = small("sgd", OptimizerOptions.of("lr", 1e6)).withMaxIterations(100).withCheckpoint(file, 1);
        List<IterationEvent> events = new ArrayList<>();
        TrainingResult r = trainer(c, events).train(split);
        assertEquals(TrainingResult.Stop.DIVERGED, r.stop());
        assertTrue(r.message().startsWith("training diverged at iteration " + (r.iterations() + 1)), r.message());
        assertTrue(r.iterations() >= 1, "the first steps are finite, so a checkpoint exists");
        assertTrue(r.message().contains(file.toString()) && r.message().contains("(iteration " + r.iterations() + ")"),
                r.message());
        Checkpoint k = Checkpoint.read(file);
        assertEquals(r.iterations(), k.iteration());
        for (NpyArray a : k.params().values()) {
            for (double v : a.toDoubles()) {
                assertTrue(Double.isFinite(v));
            }
        }
        for (double v : r.params().flatten()) {
            assertTrue(Double.isFinite(v), "the result holds the last finite parameters");
        }
        assertEquals(r.iterations(), events.size());
    }

    @Test
    @DisplayName("the default run (proximal-ntk, batch 128) reaches 0.97 test accuracy on digits within 12 iterations")
    void proximalReachesTarget() {
        TrainingConfig c = TrainingConfig.defaults().withMaxIterations(12);
        List<IterationEvent> events = new ArrayList<>();
        TrainingResult r = trainer(c, events).train(split);
        assertEquals(TrainingResult.Stop.TARGET_REACHED, r.stop(), r.message());
        assertTrue(r.testAccuracy() >= 0.97);
        assertEquals(r.iterations(), r.iterationsToTarget());
        assertEquals(r.iterations(), events.size());
        for (int i = 0; i + 1 < events.size(); i++) {
            assertTrue(events.get(i).testAccuracy() < 0.97, "stopped at the first iteration on target");
        }
    }

    @Test
    @DisplayName("listeners hear every iteration with its phases; evaluation only every k iterations")
    void listenersAndEvaluationInterval() {
        List<IterationEvent> events = new ArrayList<>();
        TrainingResult r = trainer(small("adam", OptimizerOptions.of("lr", 0.01)).withMaxIterations(12), events)
                .train(split);
        assertEquals(12, events.size());
        for (IterationEvent e : events) {
            assertEquals(e.iteration() % 5 == 0 || e.iteration() == 12, e.evaluated(), "iteration " + e.iteration());
            assertTrue(Double.isFinite(e.batchLoss()));
            assertFalse(e.phases().isEmpty());
        }
        assertEquals(events.get(11).testAccuracy(), r.testAccuracy(), 0);
        assertEquals(TrainingResult.Stop.BUDGET_EXHAUSTED, r.stop());
    }

    @Test
    @DisplayName("a checkpoint of another optimizer, or a missing file, is refused with a message naming it")
    void badCheckpoints(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("adam.npz");
        trainer(small("adam", OptimizerOptions.defaults()).withMaxIterations(2).withCheckpoint(file, 0),
                new ArrayList<>()).train(split);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(small("sgd", OptimizerOptions.defaults()), new ArrayList<>()).resume(file, split));
        assertTrue(e.getMessage().contains("adam") && e.getMessage().contains("sgd"), e.getMessage());
        Path junk = dir.resolve("junk.npz");
        Files.writeString(junk, "not a zip");
        Exception x = assertThrows(Exception.class,
                () -> trainer(small("adam", OptimizerOptions.defaults()), new ArrayList<>()).resume(junk, split));
        assertTrue(String.valueOf(x.getMessage()).contains("junk.npz"), x.getMessage());
    }

    @Test
    @DisplayName("different shuffle seeds give different runs; the same seeds the same run")
    void seeds() {
        TrainingConfig c = small("sgd", OptimizerOptions.of("lr", 0.1)).withMaxIterations(3).withLoss(Loss.SOFTMAX_CROSS_ENTROPY);
        double[] a = trainer(c, new ArrayList<>()).train(split).params().flatten();
        double[] b = trainer(c, new ArrayList<>()).train(split).params().flatten();
        double[] d = trainer(c.withSeeds(3, 99), new ArrayList<>()).train(split).params().flatten();
        assertArrayEquals(a, b, 0);
        assertNotEquals(a[0] + a[a.length - 1], d[0] + d[d.length - 1]);
    }
}
