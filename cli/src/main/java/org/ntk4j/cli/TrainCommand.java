package org.ntk4j.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.nn.Loss;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.train.Checkpoint;
import org.ntk4j.train.IterationEvent;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingListener;
import org.ntk4j.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ntk4j train}: trains an MLP or a {@code --model} and leaves a run folder with config, metrics, checkpoints
 * and plots.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier (an MLP, or any --model) and write a run folder. The defaults are the library's"
                + " TrainingConfig.defaults(): the bundled digits, an MLP 64-256-256-10 (ReLU, NTK parameterization),"
                + " proximal-ntk on batches of 128 until 0.97 test accuracy, on the default backend. The run folder:",
                "- config.json: the resolved options;",
                "- metrics.csv: one row per iteration: losses, accuracies, damping, phase times;",
                "- checkpoint.npz: parameters, optimizer state, batch position (--resume continues from it);",
                "- loss.png, accuracy.png, damping.png, spectrum.png (NTK eigenvalues before and after);",
                "- summary.json: the final figures (stop: target_reached, budget_exhausted, diverged, interrupted).",
                "Ctrl-C (SIGINT) or SIGTERM ends the current iteration, writes the checkpoint and summary, exits 130."})
final class TrainCommand implements Callable<Integer> {

    /** The checkpoint file in a run folder. */
    static final String CHECKPOINT = "checkpoint.npz";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "proximal-ntk",
            description = "Optimizer: proximal-ntk, adam, momentum, sgd, or any on the classpath."
                    + " Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
            description = "An optimizer setting, repeatable (e.g. --opt damping=1e-2 --opt lr=0.5 for proximal-ntk,"
                    + " --opt lr=1e-3 for adam); unknown keys are rejected, naming the known ones.")
    Map<String, String> optimizerOptions = new LinkedHashMap<>();

    @Option(names = "--loss", paramLabel = "L", defaultValue = "mse",
            description = "Loss: mse (on one-hot targets) or xent (softmax cross-entropy). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200",
            description = "Iteration budget (one minibatch each). Default: ${DEFAULT-VALUE}.")
    long iterations;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "0",
            description = "Budget in passes over the training set instead of --iterations (0: use --iterations)."
                    + " Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "B", defaultValue = "128",
            description = "Minibatch size. proximal-ntk solves a (B·classes)² system per iteration. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--eval-every", paramLabel = "K", defaultValue = "1",
            description = "Evaluate train and test loss and accuracy every K iterations (and at the end)."
                    + " Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--target-accuracy", paramLabel = "A", defaultValue = "0.97",
            description = "Stop early once the test accuracy reaches A at an evaluation (0: never). Default: ${DEFAULT-VALUE}.")
    double targetAccuracy;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0",
            description = "Replace the run's checkpoint.npz every K iterations (0: only at the end)."
                    + " Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "PATH",
            description = "Continue from a checkpoint (.npz, or a run folder with checkpoint.npz) with the same data,"
                    + " model, optimizer, batch size and seed (others are refused); the trajectory is the one an"
                    + " uninterrupted run takes. With --run-dir the same folder, its metrics.csv is continued.")
    Path resume;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "The run folder; one that holds files needs --overwrite or --resume of it. Default:"
                    + " RUNS/<date-time>-<data>-<optimizer>.")
    Path runDir;

    @Option(names = "--overwrite", description = "Replace the run in an existing --run-dir (without it, a folder"
            + " that holds files is refused, unless --resume continues the run in it).")
    boolean overwrite;

    @Option(names = "--runs", paramLabel = "RUNS", defaultValue = "runs",
            description = "Where new run folders go. Default: ${DEFAULT-VALUE}.")
    Path runsRoot;

    @Option(names = "--spectrum-samples", paramLabel = "N", defaultValue = "256",
            description = "Training samples in the kernel spectrum plot (0: no plot). Default: ${DEFAULT-VALUE}.")
    int spectrumSamples;

    @Option(names = "--metrics-port", paramLabel = "P",
            description = "Serve Prometheus metrics at http://HOST:P/metrics while training (0: a free port)."
                    + " Default: off.")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint listens on. Default: ${DEFAULT-VALUE}.")
    String metricsHost;

    @Option(names = "--hold", description = "Keep the metrics endpoint up after training until interrupted (Ctrl-C),"
            + " so that a last scrape sees the end.")
    boolean hold;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // everything that can be checked is checked before the run folder exists
        checkOptions();
        common.check();
        Path checkpoint = resume == null ? null
                : Files.isDirectory(resume) ? resume.resolve(CHECKPOINT) : resume;
        if (checkpoint != null && !Files.isRegularFile(checkpoint)) {
            throw new UsageException("--resume " + resume + ": no checkpoint there (expected a .npz file or a run"
                    + " folder with " + CHECKPOINT + ")");
        }
        RunFolder.Reuse reuse = overwrite ? RunFolder.Reuse.OVERWRITE
                : continuesInPlace(checkpoint) ? RunFolder.Reuse.CONTINUE : RunFolder.Reuse.NONE;
        RunFolder.check(runDir, reuse);
        Split split = data.load(common.seed);
        Dataset train = split.train();
        if (train.dims() != split.test().dims()) {
            throw new IllegalArgumentException("the test data has " + split.test().dims() + " features, the"
                    + " training data " + train.dims());
        }
        if (!java.util.Arrays.equals(train.sampleShape(), split.test().sampleShape())) {
            throw new IllegalArgumentException("the test samples have shape "
                    + java.util.Arrays.toString(split.test().sampleShape()) + ", the training samples "
                    + java.util.Arrays.toString(train.sampleShape()));
        }
        Network net = model.network(train);
        model.checkHeap(net, 6);
        String optName;
        try {
            optName = Optimizers.create(optimizer, OptimizerOptions.of(optimizerOptions)).name();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--optimizer/--opt: " + e.getMessage());
        }
        Checkpoint from = checkpoint == null ? null : Checkpoint.read(checkpoint);
        if (from != null) {
            try {
                Trainer.checkResumable(config(train, net), from, split);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--resume " + resume + ": " + e.getMessage() + "; a resumed run takes the"
                        + " data, model, optimizer, batch size and seed of the run it continues");
            }
        }
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        try (Backend backend = common.createBackend();
             MetricsServer server = metricsPort == null ? null : MetricsServer.start(registry, metricsHost, metricsPort);
             RunFolder run = RunFolder.open(runDir, runsRoot, train.name().replaceAll("-train$", "") + "-" + optName,
                     reuse)) {
            if (server != null) {
                err.println("metrics: " + server.url());
                err.flush();
            }
            TrainingConfig config = config(train, net).withCheckpoint(run.file(CHECKPOINT), checkpointEvery);
            run.writeJson("config.json", describe(config, net, split, backend));
            if (!common.quiet) {
                out.printf(Locale.ROOT, "training %s on %s (%d samples, test %d) with %s on %s%n  run folder %s%n",
                        net, train.name(), train.size(), split.test().size(), optName, backend.name(), run.dir());
                out.flush();
            }
            TrainReport report = new TrainReport(run, backend, net, train, spectrumSamples);
            optional(err, "the spectrum at the start", () -> report.spectrumAt(
                    from == null ? "initialization" : "at the checkpoint",
                    from == null ? net.init(config.initSeed()) : net.load(checkpoint)));
            TrainingResult result;
            MetricsCsv csv = new MetricsCsv(run.file("metrics.csv"), TrainReport.COLUMNS,
                    reuse == RunFolder.Reuse.CONTINUE ? from.iteration() : -1);
            try (csv; Interruption interruption = Interruption.install();
                 Progress progress = new Progress(err, "train", "it", config.maxIterations(),
                         targetAccuracy > 0, Progress.Mode.auto(common.quiet), System::nanoTime)) {
                TrainingListener listener = reporter(csv, progress, run);
                Trainer trainer = new Trainer(backend, config).withRegistry(registry).withListener(listener)
                        .withListener(report.clock()).withStopSignal(interruption::requested);
                result = from == null ? trainer.train(split) : trainer.resume(from, split);
                run.writeJson("summary.json", summary(result, report.trainSecondsToTarget(result)));
                if (result.stop() == TrainingResult.Stop.INTERRUPTED) {
                    progress.close();
                    err.println("train: interrupted after iteration " + result.iterations() + "; wrote " + CHECKPOINT
                            + " and summary.json in " + run.dir() + " (--resume " + run.dir() + " continues)");
                    err.flush();
                    return Interruption.EXIT_CODE;
                }
            }
            optional(err, "the loss, accuracy and damping plots", () -> report.plots(csv));
            if (result.stop() == TrainingResult.Stop.DIVERGED) {
                throw new IllegalStateException(result.message() + " (run folder " + run.dir() + ")");
            }
            optional(err, "the spectrum plot", () -> {
                report.spectrumAt("after " + result.iterations() + " iterations", result.params());
                report.writeSpectrum();
            });
            out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4g after %d iterations in %.1f s%s%n",
                    result.testAccuracy(), result.testLoss(), result.iterations(), result.nanos() / 1e9,
                    result.stop() == TrainingResult.Stop.TARGET_REACHED ? " (target reached)" : "");
            if (!common.quiet) {
                out.println("run folder: " + run.dir());
            }
            out.flush();
            if (server != null && hold) {
                holdUntilInterrupted(server, err);
            }
        }
        return 0;
    }

    /** @return whether the resumed checkpoint lies in the run folder being written: the run continues in place */
    private boolean continuesInPlace(Path checkpoint) throws IOException {
        if (checkpoint == null || runDir == null || runDir.toString().isBlank() || !Files.isDirectory(runDir)) {
            return false;
        }
        Path parent = checkpoint.toAbsolutePath().getParent();
        return parent != null && Files.isSameFile(parent, runDir);
    }

    /** Work whose failure loses nothing already written: a failure is one warning line, not the end of the run. */
    private interface Optional {
        void run() throws IOException;
    }

    private static void optional(PrintWriter err, String what, Optional work) {
        try {
            work.run();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            err.println("train: warning: skipped " + what + ": " + Failures.oneLine(e));
            err.flush();
        }
    }

    /** @return a listener that writes each iteration's CSV row and updates the progress display */
    private static TrainingListener reporter(MetricsCsv csv, Progress progress, RunFolder run) {
        return new TrainingListener() {
            private double lastTest = Double.NaN;

            @Override
            public void onIteration(IterationEvent e) {
                try {
                    csv.append(TrainReport.row(e));
                } catch (IOException ex) {
                    throw new UncheckedIOException(run.file("metrics.csv") + ": " + ex.getMessage(), ex);
                }
                if (e.evaluated()) {
                    lastTest = e.testAccuracy();
                }
                progress.update(e.iteration(), String.format(Locale.ROOT, "loss %.4g  test acc %s  λ %.3g",
                        e.batchLoss(), Double.isNaN(lastTest) ? "-" : String.format(Locale.ROOT, "%.4f", lastTest),
                        e.damping()));
            }
        };
    }

    /** Blocks until the JVM is interrupted (Ctrl-C, SIGTERM); the endpoint is closed on the way out. */
    private static void holdUntilInterrupted(MetricsServer server, PrintWriter err) throws InterruptedException {
        err.println("holding the metrics endpoint " + server.url() + " until interrupted (Ctrl-C)");
        err.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ntk4j-metrics-stop"));
        new CountDownLatch(1).await();
    }

    private TrainingConfig config(Dataset train, Network net) {
        try {
            TrainingConfig c = TrainingConfig.defaults().withDataset(data.data).withModel(net.architecture())
                    .withLoss(parseLoss()).withOptimizer(optimizer, OptimizerOptions.of(optimizerOptions))
                    .withBatchSize(batchSize).withEvalEvery(evalEvery)
                    .withTargetAccuracy(targetAccuracy > 0 ? targetAccuracy : Double.NaN)
                    .withSeeds(common.seed, common.seed);
            return epochs > 0 ? c.withEpochs(epochs, train.size()) : c.withMaxIterations(iterations);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Map<String, Object> summary(TrainingResult r, Double trainSecondsToTarget) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("stop", r.stop().name().toLowerCase(Locale.ROOT));
        s.put("message", r.message());
        s.put("iterations", r.iterations());
        s.put("seconds", r.nanos() / 1e9);
        s.put("iterations_to_target", r.iterationsToTarget());
        s.put("seconds_to_target", r.nanosToTarget() < 0 ? null : r.nanosToTarget() / 1e9);
        s.put("train_seconds_to_target", trainSecondsToTarget);
        s.put("test_accuracy", r.testAccuracy());
        s.put("test_loss", r.testLoss());
        s.put("train_accuracy", r.trainAccuracy());
        s.put("train_loss", r.trainLoss());
        return s;
    }

    private void checkOptions() {
        atLeast("--iterations", iterations, 1);
        atLeast("--epochs", epochs, 0);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--eval-every", evalEvery, 1);
        atLeast("--checkpoint-every", checkpointEvery, 0);
        atLeast("--spectrum-samples", spectrumSamples, 0);
        if (!(targetAccuracy >= 0 && targetAccuracy <= 1)) {
            throw new UsageException("--target-accuracy must be in [0, 1] (0 for none), got " + targetAccuracy);
        }
        if (hold && metricsPort == null) {
            throw new UsageException("--hold needs --metrics-port");
        }
        if (metricsPort != null) {
            MetricsServer.check(metricsHost, metricsPort);
        }
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UsageException(option + " must be ≥ " + min + ", got " + value);
        }
    }

    private Loss parseLoss() {
        try {
            return Loss.parse(loss);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--loss: " + e.getMessage());
        }
    }

    private Map<String, Object> describe(TrainingConfig config, Network net, Split split, Backend backend) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", "train");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("spec", data.data);
        d.put("train", split.train().toString());
        d.put("test", split.test().toString());
        d.put("test_data", data.testData == null ? null : data.testData.toString());
        d.put("test_fraction", data.testFraction);
        d.put("standardize", data.standardize);
        d.put("limit", data.limit);
        c.put("data", d);
        Map<String, Object> m = model.describe();
        if (net.isMlp()) {
            m.put("widths", toList(net.mlp().widths()));
        } else {
            m.put("layers", net.model().toString());
            m.put("input_shape", toList(net.model().inputShape().dims()));
        }
        m.put("parameters", net.parameterCount());
        c.put("model", m);
        c.put("loss", config.loss().name().toLowerCase(Locale.ROOT));
        c.put("optimizer", config.optimizer().name());
        c.put("optimizer_options", new LinkedHashMap<>(optimizerOptions));
        c.put("iterations", config.maxIterations());
        c.put("batch_size", config.batchSize());
        c.put("eval_every", config.evalEvery());
        c.put("target_accuracy", targetAccuracy > 0 ? targetAccuracy : null);
        c.put("checkpoint", CHECKPOINT);
        c.put("checkpoint_every", checkpointEvery);
        c.put("seed", common.seed);
        c.put("backend", backend.name());
        c.put("resumed_from", resume == null ? null : resume.toString());
        c.put("java", System.getProperty("java.version"));
        return c;
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }
}
