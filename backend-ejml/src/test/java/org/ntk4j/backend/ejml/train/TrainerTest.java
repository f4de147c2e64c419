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
        // a non-finite batch loss stops before its step (iterations + 1); an evaluation after it (iterations)
        assertTrue(r.message().startsWith("training diverged at iteration " + (r.iterations() + 1) + ":")
                || r.message().startsWith("training diverged at iteration " + r.iterations() + ":"), r.message());
        assertEquals(r.iterations(), events.size());
        lastCheckpointIsGood(r, events, file);
    }

    @Test
    @DisplayName("adam with lr 1000 blows up without NaN: the loss far above its initial value stops the run")
    void blowUpWithoutNaN(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ckpt.npz");
        TrainingConfig c = small("adam", OptimizerOptions.of("lr", 1000)).withMaxIterations(40)
                .withCheckpoint(file, 1);
        List<IterationEvent> events = new ArrayList<>();
        TrainingResult r = trainer(c, events).train(split);
        assertEquals(TrainingResult.Stop.DIVERGED, r.stop(), r.message());
        assertTrue(r.message().contains("times the initial"), r.message());
        for (IterationEvent e : events) {
            assertTrue(Double.isFinite(e.batchLoss()), "caught before any loss is infinite");
        }
        assertTrue(r.iterations() < 40, "caught at an evaluation, not at the end of the budget");
        lastCheckpointIsGood(r, events, file);
        TrainingResult off = trainer(c.withDivergence(Double.POSITIVE_INFINITY, 0).withCheckpoint(null, 0)
                .withMaxIterations(r.iterations() + 2), new ArrayList<>()).train(split);
        assertTrue(off.stop() != TrainingResult.Stop.DIVERGED || off.message().contains("is NaN")
                || off.message().contains("Infinity") || off.message().contains("not finite"),
                "with the tests off only non-finite values stop it: " + off.message());
    }

    /**
     * The checkpoint left behind holds parameters whose training loss was evaluated and passed the watch: finite
     * and at most 1000 times the first batch loss.
     */
    private static void lastCheckpointIsGood(TrainingResult r, List<IterationEvent> events, Path file)
            throws IOException {
        if (!Files.exists(file)) {
            assertTrue(r.message().endsWith("no checkpoint was written"), r.message());
            return;
        }
        Checkpoint k = Checkpoint.read(file);
        assertTrue(r.message().contains(file.toString()) && r.message().contains("(iteration " + k.iteration() + ")"),
                r.message());
        IterationEvent at = events.get((int) k.iteration() - 1);
        assertTrue(at.evaluated(), "the checkpoint's parameters were evaluated");
        assertTrue(at.trainLoss() <= 1e3 * events.get(0).batchLoss(), "the checkpoint is not a diverged state: loss "
                + at.trainLoss() + " vs initial " + events.get(0).batchLoss());
        assertEquals(events.get(0).batchLoss(), k.referenceLoss(), 0.0, "the reference travels with the checkpoint");
        for (NpyArray a : k.params().values()) {
            for (double v : a.toDoubles()) {
                assertTrue(Double.isFinite(v));
            }
        }
    }

    @Test
    @DisplayName("a stop signal ends training after a whole iteration, with a checkpoint to resume from")
    void stopSignal(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ckpt.npz");
        List<IterationEvent> events = new ArrayList<>();
        TrainingConfig c = small("adam", OptimizerOptions.of("lr", 0.01)).withMaxIterations(50).withCheckpoint(file, 0);
        TrainingResult r = trainer(c, events).withStopSignal(() -> events.size() >= 3).train(split);
        assertEquals(TrainingResult.Stop.INTERRUPTED, r.stop());
        assertEquals(3, r.iterations());
        assertEquals(3, Checkpoint.read(file).iteration());
        assertTrue(r.message().startsWith("interrupted after iteration 3"), r.message());
    }

    @Test
    @DisplayName("resuming with another batch size, seed or training set is refused, naming the difference")
    void resumeMismatch(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ckpt.npz");
        TrainingConfig c = small("adam", OptimizerOptions.of("lr", 0.01)).withMaxIterations(2).withCheckpoint(file, 0);
        trainer(c, new ArrayList<>()).train(split);
        Checkpoint k = Checkpoint.read(file);
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> Trainer.checkResumable(c.withBatchSize(32), k, split));
        assertEquals("the checkpoint was written with batch size 16, this configuration uses 32", b.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(backend, c.withSeeds(3, 5)).resume(file, split));
        assertEquals("the checkpoint was written with shuffling seed 4, this configuration uses 5", s.getMessage());
        Split fewer = new Split(split.train().subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "ten"), split.test());
        assertThrows(IllegalArgumentException.class, () -> Trainer.checkResumable(c, k, fewer));
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> Trainer.checkResumable(c.withHidden(25), k, split));
        assertTrue(w.getMessage().startsWith("the checkpoint's parameter W0 is 64×24"), w.getMessage());
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
