package org.ntk4j.tck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
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
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Digits;
import org.ntk4j.data.Split;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.optim.Adam;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.train.Checkpoint;
import org.ntk4j.train.IterationEvent;
import org.ntk4j.train.LayerArchitecture;
import org.ntk4j.train.MlpArchitecture;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingResult;

/**
 * The training loop on layered models: a small CNN on the 8×8 digits learns with a gradient optimizer and with
 * proximal-ntk, a checkpoint resumes bit for bit, a checkpoint of another network is refused, a dense chain
 * trained as a layered model follows the MLP path's trajectory, and models with user-defined activations learn.
 */
public abstract class LayerTrainingConformance extends ModelConformanceGroup {

    /** For subclasses. */
    protected LayerTrainingConformance() {
    }


    private static Split split;

    @BeforeAll
    static void open() {
        split = Digits.standardSplit();
    }


    /** conv → relu → avgPool → residual(conv, tanh) → layerNorm → flatten → dense(classes). */
    static LayerArchitecture cnn() {
        return new LayerArchitecture("cnn", o -> Layers.serial(Layers.conv(8, 3, 3), Layers.relu(),
                Layers.avgPool(2, 2), Layers.residual(Layers.conv(8, 3, 3), Layers.activation(Activation.TANH)),
                Layers.layerNorm(), Layers.flatten(), Layers.dense(o)));
    }

    private static TrainingConfig config() {
        return TrainingConfig.defaults().withModel(cnn()).withBatchSize(32).withTargetAccuracy(Double.NaN)
                .withEvalEvery(5).withSeeds(3, 4);
    }

    private Trainer trainer(TrainingConfig c, List<IterationEvent> events) {
        return new Trainer(be, c).withRegistry(new SimpleMeterRegistry()).withListener(events::add);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "proximal-ntk"})
    @DisplayName("a conv/pool/layer-norm/residual model on 8×8 digits learns: test accuracy well above chance")
    void cnnLearns(String optimizer) {
        TrainingConfig c = config().withMaxIterations(30)
                .withOptimizer(optimizer.equals("adam") ? Adam.withLearningRate(0.03) : ProximalNtk.defaults());
        List<IterationEvent> events = new ArrayList<>();
        TrainingResult r = trainer(c, events).train(split);
        assertEquals(30, r.iterations());
        assertTrue(r.testAccuracy() > 0.5, optimizer + ": test accuracy " + r.testAccuracy() + " (chance 0.1)");
        assertTrue(events.get(29).trainLoss() < 0.7 * events.get(0).batchLoss(), optimizer + ": training loss "
                + events.get(0).batchLoss() + " → " + events.get(29).trainLoss());
        ModelParams p = assertInstanceOf(ModelParams.class, r.params());
        assertEquals(List.of("0/K", "0/b", "3/0/K", "3/0/b", "6/W", "6/b"), p.names());
    }

    @Test
    @DisplayName("a layered model's checkpoint resumes bit for bit; an MLP's checkpoint is refused, naming 0/K")
    void resumeAndRefuse(@TempDir Path dir) throws IOException {
        TrainingConfig c = config().withOptimizer(ProximalNtk.defaults()).withMaxIterations(6);
        TrainingResult whole = trainer(c, new ArrayList<>()).train(split);
        Path file = dir.resolve("cnn.npz");
        trainer(c.withMaxIterations(3).withCheckpoint(file, 0), new ArrayList<>()).train(split);
        Checkpoint k = Checkpoint.read(file);
        assertEquals(List.of("0/K", "0/b", "3/0/K", "3/0/b", "6/W", "6/b"), new ArrayList<>(k.params().keySet()));
        List<IterationEvent> rest = new ArrayList<>();
        TrainingResult resumed = trainer(c, rest).resume(file, split);
        assertEquals(3, rest.size());
        assertArrayEquals(whole.params().flatten(), resumed.params().flatten(), 0, "bit-for-bit parameters");

        Path mlpFile = dir.resolve("mlp.npz");
        TrainingConfig mlp = c.withHidden(8).withMaxIterations(1).withCheckpoint(mlpFile, 0);
        trainer(mlp, new ArrayList<>()).train(split);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.checkResumable(c, Checkpoint.read(mlpFile), split));
        assertTrue(e.getMessage().startsWith("the checkpoint's parameter 0/K is missing;"), e.getMessage());
    }

    @Test
    @DisplayName("a dense chain (flatten first) as a layered model follows the MLP's proximal-ntk trajectory (1e-8 relative)")
    void denseChainFollowsMlpPath() {
        MlpArchitecture m = new MlpArchitecture(new int[] {16}, Activation.GELU, Parameterization.NTK, 1.3, 0.1);
        LayerArchitecture chain = new LayerArchitecture("chain", o -> Layers.serial(Layers.flatten(),
                Layers.dense(16, Parameterization.NTK, 1.3, 0.1, true), Layers.activation(Activation.GELU),
                Layers.dense(o, Parameterization.NTK, 1.3, 0.1, true)));
        TrainingConfig c = TrainingConfig.defaults().withBatchSize(24).withMaxIterations(5).withEvalEvery(5)
                .withTargetAccuracy(Double.NaN).withOptimizer("proximal-ntk", OptimizerOptions.defaults());
        List<IterationEvent> a = new ArrayList<>();
        List<IterationEvent> b = new ArrayList<>();
        double[] pa = trainer(c.withModel(m), a).train(split).params().flatten();
        double[] pb = trainer(c.withModel(chain), b).train(split).params().flatten();
        double norm = 0;
        double diff = 0;
        for (int i = 0; i < pa.length; i++) {
            norm = Math.max(norm, Math.abs(pa[i]));
            diff = Math.max(diff, Math.abs(pa[i] - pb[i]));
        }
        assertTrue(diff <= 1e-8 * norm, "largest parameter difference " + diff + " of " + norm);
        for (int i = 0; i < 5; i++) {
            assertEquals(a.get(i).damping(), b.get(i).damping(), 0, "the same accepted and rejected steps");
            assertEquals(a.get(i).batchLoss(), b.get(i).batchLoss(), 1e-10 * a.get(i).batchLoss());
        }
    }

    @Test
    @DisplayName("user activations: a layered swish model (Adam) and a sine MLP (proximal-ntk) learn the 8×8 digits")
    void userActivationsLearn() {
        TrainingConfig base = TrainingConfig.defaults().withBatchSize(32).withTargetAccuracy(Double.NaN)
                .withEvalEvery(10).withSeeds(3, 4).withMaxIterations(30);
        LayerArchitecture layered = new LayerArchitecture("swish", o -> Layers.serial(Layers.flatten(),
                Layers.dense(32), Layers.activation(UserActivationConformance.SWISH), Layers.dense(o)));
        MlpArchitecture mlp = new MlpArchitecture(new int[] {32}, UserActivationConformance.SINE, Parameterization.NTK,
                1.0, 0.1);
        List<TrainingConfig> configs = List.of(base.withModel(layered).withOptimizer(Adam.withLearningRate(0.03)),
                base.withModel(mlp).withOptimizer(ProximalNtk.defaults()));
        for (TrainingConfig c : configs) {
            List<IterationEvent> events = new ArrayList<>();
            TrainingResult r = trainer(c, events).train(split);
            String what = c.model() + ": ";
            assertTrue(r.testAccuracy() > 0.5, what + "test accuracy " + r.testAccuracy() + " (chance 0.1)");
            assertTrue(events.get(29).trainLoss() < 0.7 * events.get(0).batchLoss(), what + "training loss "
                    + events.get(0).batchLoss() + " → " + events.get(29).trainLoss());
        }
    }
}
