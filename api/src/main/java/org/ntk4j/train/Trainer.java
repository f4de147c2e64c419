package org.ntk4j.train;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.io.NpyArray;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.nn.HostParams;
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
 * Trains a classifier (an MLP or any layered model, {@link TrainingConfig#model()}) on a {@link Split} as a
 * {@link TrainingConfig} says: seeded shuffled batches, the configured optimizer, evaluation every k iterations, early stop at a target test accuracy, checkpoints,
 * listeners and metrics.
 *
 * <pre>{@code
 * try (Backend backend = Backends.create()) {
 *     TrainingResult r = new Trainer(backend, TrainingConfig.defaults()).train(Digits.standardSplit());
 * }
 * }</pre>
 *
 * <p>Every iteration: gather the batch, ask the optimizer for an update (it queries an {@link MlpObjective} or a
 * {@link ModelObjective}),
 * apply it, evaluate if due, tell the listeners and the {@link TrainingMetrics} (iteration and phase timers;
 * gauges: training loss = this iteration's batch loss, test loss and both accuracies = the latest evaluation,
 * damping), write a checkpoint if due. A loss that blows up (a batch loss that is NaN or infinite; an evaluated
 * training loss that is, or is far above the first batch loss, or rises evaluation after evaluation: see
 * {@link TrainingConfig#withDivergence}) stops training ({@link TrainingResult.Stop#DIVERGED}) with a message
 * naming the iteration and the last good checkpoint. Parameters are checkpointed only after their training loss
 * has been evaluated (an evaluation is added where a checkpoint falls between evaluations) and has passed that
 * test, so a diverged state is never saved as the last good one. (A single batch loss is not held to the ratio:
 * it can spike for an iteration on a batch unlike the ones before, and recover.) A stop signal ({@link #withStopSignal}) ends training after
 * the current iteration ({@link TrainingResult.Stop#INTERRUPTED}), with a checkpoint. Resuming from a checkpoint continues the exact
 * same trajectory as an uninterrupted run (same batches, same state, same floating-point operations).
 *
 * <p>Targets are one-hot rows. Accuracy is the fraction of samples whose largest output is at the label.
 */
public final class Trainer {

    private final Backend backend;
    private final TrainingConfig config;
    private final MeterRegistry registry;
    private final List<TrainingListener> listeners;
    private final BooleanSupplier stopSignal;

    /**
     * A trainer reporting to {@link Metrics#globalRegistry}.
     *
     * @param backend where to compute (not closed by the trainer)
     * @param config the configuration
     */
    public Trainer(Backend backend, TrainingConfig config) {
        this(backend, config, Metrics.globalRegistry, List.of(), () -> false);
    }

    private Trainer(Backend backend, TrainingConfig config, MeterRegistry registry, List<TrainingListener> listeners,
                    BooleanSupplier stopSignal) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listeners = List.copyOf(listeners);
        this.stopSignal = Objects.requireNonNull(stopSignal, "stop signal");
    }

    /**
     * @param r the registry the meters are bound to (its clock times the phases)
     * @return a copy reporting there
     */
    public Trainer withRegistry(MeterRegistry r) {
        return new Trainer(backend, config, r, listeners, stopSignal);
    }

    /**
     * @param signal asked before every iteration (from the training thread); once it answers {@code true},
     *               training stops with {@link TrainingResult.Stop#INTERRUPTED} and writes its checkpoint
     * @return a copy that stops when asked
     */
    public Trainer withStopSignal(BooleanSupplier signal) {
        return new Trainer(backend, config, registry, listeners, signal);
    }

    /**
     * @param l a listener to add
     * @return a copy that also tells {@code l}
     */
    public Trainer withListener(TrainingListener l) {
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(Objects.requireNonNull(l, "listener"));
        return new Trainer(backend, config, registry, all, stopSignal);
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
     * @throws IllegalArgumentException if it does not fit this configuration (see {@link #checkResumable(TrainingConfig, Checkpoint, Split)})
     */
    public TrainingResult resume(Path checkpoint, Split split) {
        Checkpoint c;
        try {
            c = Checkpoint.read(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("reading checkpoint " + checkpoint, e);
        }
        return resume(c, split);
    }

    /**
     * Continues from a checkpoint written by a run with the same configuration.
     *
     * @param checkpoint the checkpoint (not modified)
     * @param split the same data as the run that wrote it (not modified)
     * @return how training ended
     * @throws IllegalArgumentException if it does not fit this configuration (see {@link #checkResumable(TrainingConfig, Checkpoint, Split)})
     */
    public TrainingResult resume(Checkpoint checkpoint, Split split) {
        return run(split, Objects.requireNonNull(checkpoint, "checkpoint"));
    }

    /**
     * Checks, without computing anything, that a checkpoint continues this configuration's trajectory: the same
     * optimizer, batch size, shuffling seed and training set size (the last three where the checkpoint records
     * them), and parameters of this network's names and shapes ({@code W0}, … for an MLP, {@code 0/W}, … for a
     * layered model).
     *
     * @param config the configuration of the run that continues
     * @param checkpoint the checkpoint (not modified)
     * @param split the data (not modified)
     * @throws IllegalArgumentException naming the first difference
     */
    public static void checkResumable(TrainingConfig config, Checkpoint checkpoint, Split split) {
        checkSplit(split);
        String optimizer = config.optimizer().name();
        if (!checkpoint.optimizer().equals(optimizer)) {
            throw new IllegalArgumentException("the checkpoint was written by optimizer '" + checkpoint.optimizer()
                    + "', this configuration uses '" + optimizer + "'");
        }
        differs("batch size", checkpoint.batchSize(), config.batchSize());
        if (checkpoint.shuffleSeed() != config.shuffleSeed()) {
            throw new IllegalArgumentException("the checkpoint was written with shuffling seed "
                    + checkpoint.shuffleSeed() + ", this configuration uses " + config.shuffleSeed());
        }
        differs("training set size", checkpoint.trainSize(), split.train().size());
        TrainedNetwork net = TrainedNetwork.of(config.model(), split.train(), null);
        List<String> names = net.names();
        List<int[]> shapes = net.shapes();
        for (int i = 0; i < names.size(); i++) {
            NpyArray a = checkpoint.params().get(names.get(i));
            int[] s = shapes.get(i);
            if (a == null || a.rows() != s[0] || a.cols() != s[1]) {
                throw new IllegalArgumentException("the checkpoint's parameter " + names.get(i) + " is "
                        + (a == null ? "missing" : a.rows() + "×" + a.cols()) + "; " + net + " needs " + s[0] + "×"
                        + s[1]);
            }
        }
    }

    private static void differs(String what, int recorded, int now) {
        if (recorded > 0 && recorded != now) {
            throw new IllegalArgumentException("the checkpoint was written with " + what + " " + recorded
                    + ", this configuration uses " + now);
        }
    }

    private static void checkSplit(Split split) {
        Dataset train = split.train();
        Dataset test = split.test();
        if (train.dims() != test.dims() || train.classes() != test.classes()
                || !Arrays.equals(train.sampleShape(), test.sampleShape())) {
            throw new IllegalArgumentException("train and test splits differ: " + train + " vs " + test);
        }
    }

    private TrainingResult run(Split split, Checkpoint from) {
        if (from != null) {
            checkResumable(config, from, split);
        }
        checkSplit(split);
        Dataset train = split.train();
        Dataset test = split.test();
        TrainedNetwork net = TrainedNetwork.of(config.model(), train, registry);
        Optimizer<?> optimizer = config.optimizer();
        TrainingMetrics metrics = new TrainingMetrics(backend.name(), optimizer.name(), net.tag());
        metrics.bindTo(registry);
        try (TensorScope scope = backend.scope()) {
            Data data = new Data(backend, train, test);
            return loop(optimizer, net, data, metrics, from);
        }
    }

    private <S extends OptimizerState> TrainingResult loop(Optimizer<S> optimizer, TrainedNetwork net, Data data,
                                                           TrainingMetrics metrics, Checkpoint from) {
        Clock clock = registry.config().clock();
        long start = clock.monotonicTime();
        Params params;
        S state;
        BatchSchedule schedule;
        long iteration;
        if (from == null) {
            params = net.init(config.initSeed(), backend);
            state = optimizer.init(params);
            schedule = new BatchSchedule(data.trainSize(), config.batchSize(), config.shuffleSeed(), 0, 0);
            iteration = 0;
        } else {
            params = from.params(net.names(), backend, DType.F64);
            state = optimizer.restore(from.stateScalars(), from.stateTensors(backend, DType.F64), params);
            schedule = new BatchSchedule(data.trainSize(), config.batchSize(), from.shuffleSeed(), from.epoch(),
                    from.batch());
            iteration = from.iteration();
        }
        DivergenceWatch watch = new DivergenceWatch(config.divergenceFactor(), config.divergenceRising(),
                from == null ? Double.NaN : from.referenceLoss());
        long checkpointIteration = from == null ? -1 : from.iteration();
        Evaluation last = Evaluation.NONE;
        long toTarget = -1;
        long nanosToTarget = -1;
        PhaseTimes times = new PhaseTimes(clock);
        TrainingResult.Stop stop = TrainingResult.Stop.BUDGET_EXHAUSTED;
        String diverged = null;
        long divergedAt = -1;
        long lastEvaluated = -1;
        while (iteration < config.maxIterations()) {
            if (stopSignal.getAsBoolean()) {
                stop = TrainingResult.Stop.INTERRUPTED;
                break;
            }
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
                BatchObjective objective = net.objective(config.loss(), xb, yb, times, metrics);
                update = optimizer.update(objective, state, params);
                batchLoss = objective.firstLoss();
                Params p = params;
                next = times.time(Phase.UPDATE, () -> Optimizers.applyUpdates(p, update.updates()));
                next.keepIn(scope);
                for (Tensor t : update.state().tensors()) {
                    scope.keep(t);
                }
            }
            diverged = watch.batchLoss(batchLoss);
            if (diverged == null && !Double.isFinite(next.normSquared())) {
                diverged = "the updated parameters are not finite";
            }
            if (diverged != null) {
                next.close();
                update.state().close();
                divergedAt = iteration + 1;
                break;
            }
            iteration++;
            params.close(); // the update and the new state are new objects (Update's contract): nothing refers to it
            params = next;
            state.close();
            state = update.state();
            Evaluation eval = Evaluation.NONE;
            boolean due = config.checkpoint() != null && config.checkpointEvery() > 0
                    && iteration % config.checkpointEvery() == 0;
            if (due || iteration % config.evalEvery() == 0 || iteration == config.maxIterations()) {
                Params p = params;
                eval = times.time(Phase.EVAL, () -> Evaluation.of(net, p, config.loss(), data));
                last = eval;
                lastEvaluated = iteration;
                diverged = watch.evaluation(eval.trainLoss);
            }
            long nanos = clock.monotonicTime() - t0;
            Map<Phase, Long> phases = times.snapshot();
            record(metrics, nanos, phases, batchLoss, eval, state.damping());
            IterationEvent event = new IterationEvent(iteration, epoch, batchLoss, eval.trainLoss, eval.trainAccuracy,
                    eval.testLoss, eval.testAccuracy, state.damping(), nanos, phases);
            for (TrainingListener l : listeners) {
                l.onIteration(event);
            }
            if (diverged != null) {
                divergedAt = iteration;
                break;
            }
            boolean reached = !Double.isNaN(config.targetAccuracy()) && eval.testAccuracy >= config.targetAccuracy();
            if (reached && toTarget < 0) {
                toTarget = iteration;
                nanosToTarget = clock.monotonicTime() - start;
            }
            if (due) {
                write(checkpoint(optimizer.name(), iteration, schedule, data, watch, params, state));
                checkpointIteration = iteration;
            }
            if (reached) {
                stop = TrainingResult.Stop.TARGET_REACHED;
                break;
            }
        }
        if (diverged == null && stop == TrainingResult.Stop.INTERRUPTED && config.checkpoint() != null
                && checkpointIteration != iteration && lastEvaluated != iteration) {
            Params p = params;
            last = Evaluation.of(net, p, config.loss(), data); // the checkpoint's parameters are checked too
            diverged = watch.evaluation(last.trainLoss);
            divergedAt = iteration;
        }
        String message;
        if (diverged != null) {
            stop = TrainingResult.Stop.DIVERGED;
            message = "training diverged at iteration " + divergedAt + ": " + diverged + "; "
                    + (checkpointIteration >= 0 && config.checkpoint() != null
                    ? "the last good checkpoint is " + config.checkpoint() + " (iteration " + checkpointIteration + ")"
                    : "no checkpoint was written");
        } else {
            if (config.checkpoint() != null && checkpointIteration != iteration) {
                write(checkpoint(optimizer.name(), iteration, schedule, data, watch, params, state));
            }
            message = switch (stop) {
                case TARGET_REACHED -> "reached test accuracy " + last.testAccuracy + " ≥ " + config.targetAccuracy()
                        + " at iteration " + toTarget;
                case INTERRUPTED -> "interrupted after iteration " + iteration + "; test accuracy " + last.testAccuracy;
                default -> "used the budget of " + config.maxIterations() + " iterations; test accuracy "
                        + last.testAccuracy;
            };
        }
        HostParams host = net.download(params);
        TrainingResult result = new TrainingResult(stop, message, iteration, toTarget, nanosToTarget,
                clock.monotonicTime() - start, last.testAccuracy, last.testLoss, last.trainAccuracy, last.trainLoss,
                host);
        params.close();
        state.close();
        for (TrainingListener l : listeners) {
            l.onFinish(result);
        }
        return result;
    }

    private static void record(TrainingMetrics metrics, long nanos, Map<Phase, Long> phases, double batchLoss,
                               Evaluation eval, double damping) {
        metrics.recordIteration(nanos);
        phases.forEach(metrics::recordPhase);
        metrics.setLoss(TrainingMetrics.TRAIN, batchLoss);
        if (eval.evaluated()) {
            metrics.setLoss(TrainingMetrics.TEST, eval.testLoss);
            metrics.setAccuracy(TrainingMetrics.TRAIN, eval.trainAccuracy);
            metrics.setAccuracy(TrainingMetrics.TEST, eval.testAccuracy);
        }
        metrics.setDamping(damping);
    }

    private Checkpoint checkpoint(String optimizer, long iteration, BatchSchedule schedule, Data data,
                                  DivergenceWatch watch, Params params, OptimizerState state) {
        return Checkpoint.of(optimizer, iteration, schedule, config.shuffleSeed(), config.batchSize(),
                data.trainSize(), watch.reference(), params, state);
    }

    private void write(Checkpoint c) {
        try {
            c.write(config.checkpoint());
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + config.checkpoint() + " at iteration "
                    + c.iteration(), e);
        }
    }
}
