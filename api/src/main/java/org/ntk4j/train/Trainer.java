package org.ntk4j.train;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Optimizer;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.Phase;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Trains an {@link Mlp} classifier on a {@link Split} as a {@link TrainingConfig} says: seeded shuffled batches,
 * an optimizer found by name, evaluation every k iterations, early stop at a target test accuracy, checkpoints,
 * listeners and metrics.
 *
 * <pre>{@code
 * try (Backend backend = Backends.create()) {
 *     TrainingResult r = new Trainer(backend, TrainingConfig.defaults()).train(Digits.standardSplit());
 * }
 * }</pre>
 *
 * <p>Every iteration: gather the batch, ask the optimizer for an update (it queries an {@link MlpObjective}),
 * apply it, evaluate if due, tell the listeners and the {@link TrainingMetrics} (iteration and phase timers,
 * loss, accuracy and damping gauges), write a checkpoint if due. A batch loss that is NaN or infinite stops
 * training ({@link TrainingResult.Stop#DIVERGED}) with a message naming the iteration and the last good
 * checkpoint, which is never overwritten by a diverged state. Resuming from a checkpoint continues the exact
 * same trajectory as an uninterrupted run (same batches, same state, same floating-point operations).
 *
 * <p>Targets are one-hot rows. Accuracy is the fraction of samples whose largest output is at the label.
 */
public final class Trainer {

    private final Backend backend;
    private final TrainingConfig config;
    private final MeterRegistry registry;
    private final List<TrainingListener> listeners;

    /**
     * A trainer reporting to {@link Metrics#globalRegistry}.
     *
     * @param backend where to compute (not closed by the trainer)
     * @param config the configuration
     */
    public Trainer(Backend backend, TrainingConfig config) {
        this(backend, config, Metrics.globalRegistry, List.of());
    }

    private Trainer(Backend backend, TrainingConfig config, MeterRegistry registry, List<TrainingListener> listeners) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listeners = List.copyOf(listeners);
    }

    /**
     * @param r the registry the meters are bound to (its clock times the phases)
     * @return a copy reporting there
     */
    public Trainer withRegistry(MeterRegistry r) {
        return new Trainer(backend, config, r, listeners);
    }

    /**
     * @param l a listener to add
     * @return a copy that also tells {@code l}
     */
    public Trainer withListener(TrainingListener l) {
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(Objects.requireNonNull(l, "listener"));
        return new Trainer(backend, config, registry, all);
    }

    /** @return the configuration */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains from freshly initialized parameters.
     *
     * @param split the training and test data (not modified)
     * @return how training ended
     */
    public TrainingResult train(Split split) {
        return run(split, null);
    }

    /**
     * Continues from a checkpoint written by a run with the same configuration.
     *
     * @param checkpoint the checkpoint file
     * @param split the same data as the run that wrote it (not modified)
     * @return how training ended
     * @throws UncheckedIOException if the checkpoint cannot be read
     * @throws IllegalArgumentException if it does not fit this configuration (optimizer, parameter shapes)
     */
    public TrainingResult resume(Path checkpoint, Split split) {
        Checkpoint c;
        try {
            c = Checkpoint.read(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("reading checkpoint " + checkpoint, e);
        }
        return run(split, c);
    }

    private TrainingResult run(Split split, Checkpoint from) {
        Dataset train = split.train();
        Dataset test = split.test();
        if (train.dims() != test.dims() || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train and test splits differ: " + train + " vs " + test);
        }
        Mlp mlp = config.mlp(train.dims(), train.classes());
        Optimizer<?> optimizer = Optimizers.create(config.optimizer(), config.optimizerOptions());
        if (from != null && !from.optimizer().equals(optimizer.name())) {
            throw new IllegalArgumentException("the checkpoint was written by optimizer '" + from.optimizer()
                    + "', this configuration uses '" + optimizer.name() + "'");
        }
        TrainingMetrics metrics = new TrainingMetrics(backend.name(), optimizer.name(), modelTag(mlp));
        metrics.bindTo(registry);
        try (TensorScope scope = backend.scope()) {
            Data data = new Data(backend, train, test);
            return loop(optimizer, mlp, data, metrics, from);
        }
    }

    private static String modelTag(Mlp mlp) {
        StringBuilder sb = new StringBuilder("mlp");
        for (int w : mlp.widths()) {
            sb.append('-').append(w);
        }
        return sb.toString();
    }

    private <S extends OptimizerState> TrainingResult loop(Optimizer<S> optimizer, Mlp mlp, Data data,
                                                           TrainingMetrics metrics, Checkpoint from) {
        Clock clock = registry.config().clock();
        long start = clock.monotonicTime();
        EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(registry);
        Params params;
        S state;
        BatchSchedule schedule;
        long iteration;
        if (from == null) {
            params = mlp.init(config.initSeed()).upload(backend, DType.F64);
            state = optimizer.init(params);
            schedule = new BatchSchedule(data.trainSize(), config.batchSize(), config.shuffleSeed(), 0, 0);
            iteration = 0;
        } else {
            params = from.params(mlp, backend, DType.F64);
            state = optimizer.restore(from.stateScalars(), from.stateTensors(backend, DType.F64), params);
            schedule = new BatchSchedule(data.trainSize(), config.batchSize(), from.shuffleSeed(), from.epoch(),
                    from.batch());
            iteration = from.iteration();
        }
        long checkpointIteration = from == null ? -1 : from.iteration();
        Evaluation last = Evaluation.NONE;
        long toTarget = -1;
        long nanosToTarget = -1;
        PhaseTimes times = new PhaseTimes(clock);
        TrainingResult.Stop stop = TrainingResult.Stop.BUDGET_EXHAUSTED;
        String message = null;
        Params previous = null;
        while (iteration < config.maxIterations()) {
            long t0 = clock.monotonicTime();
            times.reset();
            long epoch = schedule.epoch();
            int[] rows = schedule.next();
            Update<S> update;
            double batchLoss;
            Params next;
            try (TensorScope scope = backend.scope()) {
                Tensor xb = backend.gatherRows(data.xTrain, rows);
                Tensor yb = backend.gatherRows(data.yTrain, rows);
                MlpObjective objective = new MlpObjective(mlp, config.loss(), xb, yb, ntk, times, metrics);
                update = optimizer.update(objective, state, params);
                batchLoss = objective.firstLoss();
                Params p = params;
                next = times.time(Phase.UPDATE, () -> Optimizers.applyUpdates(p, update.updates()));
                next.keepIn(scope);
                for (Tensor t : update.state().tensors()) {
                    scope.keep(t);
                }
            }
            double size = Double.isFinite(batchLoss) ? next.normSquared() : Double.NaN;
            if (!Double.isFinite(batchLoss) || !Double.isFinite(size)) {
                next.close();
                update.state().close();
                stop = TrainingResult.Stop.DIVERGED;
                message = "training diverged at iteration " + (iteration + 1) + ": "
                        + (Double.isFinite(batchLoss) ? "the updated parameters are not finite"
                        : "the batch loss is " + batchLoss) + "; "
                        + (checkpointIteration >= 0 && config.checkpoint() != null
                        ? "the last good checkpoint is " + config.checkpoint() + " (iteration " + checkpointIteration + ")"
                        : "no checkpoint was written");
                break;
            }
            iteration++;
            if (previous != null) {
                previous.close();
            }
            previous = params;
            params = next;
            state.close();
            state = update.state();
            Evaluation eval = Evaluation.NONE;
            if (iteration % config.evalEvery() == 0 || iteration == config.maxIterations()) {
                Params p = params;
                eval = times.time(Phase.EVAL, () -> Evaluation.of(mlp, p, config.loss(), data));
                last = eval;
            }
            long nanos = clock.monotonicTime() - t0;
            Map<Phase, Long> phases = times.snapshot();
            record(metrics, nanos, phases, batchLoss, eval, state.damping());
            IterationEvent event = new IterationEvent(iteration, epoch, batchLoss, eval.trainLoss, eval.trainAccuracy,
                    eval.testLoss, eval.testAccuracy, state.damping(), nanos, phases);
            for (TrainingListener l : listeners) {
                l.onIteration(event);
            }
            boolean reached = !Double.isNaN(config.targetAccuracy()) && eval.testAccuracy >= config.targetAccuracy();
            if (reached && toTarget < 0) {
                toTarget = iteration;
                nanosToTarget = clock.monotonicTime() - start;
            }
            boolean due = config.checkpoint() != null && config.checkpointEvery() > 0
                    && iteration % config.checkpointEvery() == 0;
            if (due) {
                writeCheckpoint(optimizer.name(), iteration, schedule, params, state);
                checkpointIteration = iteration;
            }
            if (reached) {
                stop = TrainingResult.Stop.TARGET_REACHED;
                break;
            }
        }
        if (stop != TrainingResult.Stop.DIVERGED && config.checkpoint() != null && checkpointIteration != iteration) {
            writeCheckpoint(optimizer.name(), iteration, schedule, params, state);
        }
        if (message == null) {
            message = stop == TrainingResult.Stop.TARGET_REACHED
                    ? "reached test accuracy " + last.testAccuracy + " ≥ " + config.targetAccuracy() + " at iteration "
                    + toTarget
                    : "used the budget of " + config.maxIterations() + " iterations; test accuracy " + last.testAccuracy;
        }
        MlpParams host = MlpParams.download(mlp, params);
        TrainingResult result = new TrainingResult(stop, message, iteration, toTarget, nanosToTarget,
                clock.monotonicTime() - start, last.testAccuracy, last.testLoss, last.trainAccuracy, last.trainLoss,
                host);
        params.close();
        state.close();
        if (previous != null) {
            previous.close();
        }
        for (TrainingListener l : listeners) {
            l.onFinish(result);
        }
        return result;
    }

    private static void record(TrainingMetrics metrics, long nanos, Map<Phase, Long> phases, double batchLoss,
                               Evaluation eval, double damping) {
        metrics.recordIteration(nanos);
        phases.forEach(metrics::recordPhase);
        if (eval.evaluated()) {
            metrics.setLoss(TrainingMetrics.TRAIN, eval.trainLoss);
            metrics.setLoss(TrainingMetrics.TEST, eval.testLoss);
            metrics.setAccuracy(TrainingMetrics.TRAIN, eval.trainAccuracy);
            metrics.setAccuracy(TrainingMetrics.TEST, eval.testAccuracy);
        } else {
            metrics.setLoss(TrainingMetrics.TRAIN, batchLoss);
        }
        metrics.setDamping(damping);
    }

    private void writeCheckpoint(String optimizer, long iteration, BatchSchedule schedule, Params params,
                                 OptimizerState state) {
        try {
            Checkpoint.of(optimizer, iteration, schedule, config.shuffleSeed(), params, state).write(config.checkpoint());
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + config.checkpoint() + " at iteration " + iteration, e);
        }
    }
}
