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
import org.ntk4j.nn.Mlp;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.train.IterationEvent;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingListener;
import org.ntk4j.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ntk4j train}: trains an MLP and leaves a run folder with config, metrics, checkpoints and plots. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an MLP classifier and write a run folder. The defaults are the library's"
                + " TrainingConfig.defaults(): the bundled digits, an MLP 64-256-256-10 (ReLU, NTK parameterization),"
                + " proximal-ntk on batches of 128 until 0.97 test accuracy, on the default backend. The run folder:",
                "- config.json: the resolved options;",
                "- metrics.csv: one row per iteration: losses, accuracies, damping, phase times;",
                "- checkpoint.npz: parameters, optimizer state, batch position (--resume continues from it);",
                "- loss.png, accuracy.png, damping.png, spectrum.png (NTK eigenvalues before and after);",
                "- summary.json: the final figures."})
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
                    + " model, optimizer, batch size and seed; the trajectory is the one an uninterrupted run takes.")
    Path resume;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "The run folder. Default: RUNS/<date-time>-<data>-<optimizer>.")
    Path runDir;

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
        checkOptions();
        if (common.backend != null) {
            CommonOptions.checkKnown("--backend", common.backend);
        }
        Split split = data.load(common.seed);
        Dataset train = split.train();
        Mlp mlp = model.build(train.dims(), train.classes());
        String optName;
        try {
            optName = Optimizers.create(optimizer, OptimizerOptions.of(optimizerOptions)).name();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--optimizer/--opt: " + e.getMessage());
        }
        Path checkpoint = resume == null ? null
                : Files.isDirectory(resume) ? resume.resolve(CHECKPOINT) : resume;
        if (checkpoint != null && !Files.isRegularFile(checkpoint)) {
            throw new UsageException("--resume " + resume + ": no checkpoint there (expected a .npz file or a run"
                    + " folder with " + CHECKPOINT + ")");
        }
        RunFolder run = RunFolder.create(runDir, runsRoot, train.name().replaceAll("-train$", "") + "-" + optName);
        TrainingConfig config = config(train, run);
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        MetricsServer server = metricsPort == null ? null : MetricsServer.start(registry, metricsHost, metricsPort);
        try (Backend backend = common.createBackend()) {
            if (server != null) {
                err.println("metrics: " + server.url());
                err.flush();
            }
            run.writeJson("config.json", describe(config, mlp, split, backend));
            if (!common.quiet) {
                out.printf(Locale.ROOT, "training %s on %s (%d samples, test %d) with %s on %s%n  run folder %s%n",
                        mlp, train.name(), train.size(), split.test().size(), optName, backend.name(), run.dir());
                out.flush();
            }
            TrainReport report = new TrainReport(run, backend, mlp, train, spectrumSamples);
            report.spectrumAt(checkpoint == null ? "initialization" : "at the checkpoint",
                    checkpoint == null ? mlp.init(config.initSeed()) : ParamsFiles.load(checkpoint, mlp));
            TrainingResult result;
            try (MetricsCsv csv = new MetricsCsv(run.file("metrics.csv"), TrainReport.COLUMNS);
                 Progress progress = new Progress(err, "train", "it", config.maxIterations(),
                         targetAccuracy > 0, Progress.Mode.auto(common.quiet), System::nanoTime)) {
                TrainingListener listener = reporter(csv, progress, run);
                Trainer trainer = new Trainer(backend, config).withRegistry(registry).withListener(listener)
                        .withListener(report.clock());
                result = checkpoint == null ? trainer.train(split) : trainer.resume(checkpoint, split);
                report.plots(csv);
            }
            report.spectrumAt("after " + result.iterations() + " iterations", result.params());
            report.writeSpectrum();
            run.writeJson("summary.json", summary(result, report.trainSecondsToTarget(result)));
            if (result.stop() == TrainingResult.Stop.DIVERGED) {
                throw new IllegalStateException(result.message() + " (run folder " + run.dir() + ")");
            }
            out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4g after %d iterations in %.1f s%s%n",
                    result.testAccuracy(), result.testLoss(), result.iterations(), result.nanos() / 1e9,
                    result.stop() == TrainingResult.Stop.TARGET_REACHED ? " (target reached)" : "");
            if (!common.quiet) {
                out.println("run folder: " + run.dir());
            }
            out.flush();
        } catch (RuntimeException | IOException e) {
            if (server != null) {
                server.close();
            }
            run.deleteIfEmpty(); // a backend that could not start leaves no empty run folder behind
            throw e;
        }
        if (server != null) {
            if (hold) {
                holdUntilInterrupted(server, err);
            }
            server.close();
        }
        return 0;
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

    private TrainingConfig config(Dataset train, RunFolder run) {
        try {
            TrainingConfig c = TrainingConfig.defaults().withDataset(data.data).withHidden(model.hiddenWidths())
                    .withNetwork(model.activation(), model.parameterization(), model.sigmaW, model.sigmaB)
                    .withLoss(parseLoss()).withOptimizer(optimizer, OptimizerOptions.of(optimizerOptions))
                    .withBatchSize(batchSize).withEvalEvery(evalEvery)
                    .withTargetAccuracy(targetAccuracy > 0 ? targetAccuracy : Double.NaN)
                    .withSeeds(common.seed, common.seed)
                    .withCheckpoint(run.file(CHECKPOINT), checkpointEvery);
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

    private Map<String, Object> describe(TrainingConfig config, Mlp mlp, Split split, Backend backend) {
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
        m.put("widths", toList(mlp.widths()));
        m.put("parameters", mlp.parameterCount());
        c.put("model", m);
        c.put("loss", config.loss().name().toLowerCase(Locale.ROOT));
        c.put("optimizer", config.optimizer());
        c.put("optimizer_options", config.optimizerOptions().asMap());
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
