package org.ntk4j.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
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
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.optim.Optimizer;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ntk4j train}: trains an MLP and leaves a run folder with config, metrics, checkpoints and plots. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an MLP classifier (default: the bundled digits with the proximal NTK optimizer on the"
                + " default backend) and write a run folder:",
                "  config.json   the resolved options",
                "  metrics.csv   one row per iteration: losses, accuracies, damping, phase times",
                "  checkpoints/  iter-NNNNNN/{params.npz, optimizer.npz, checkpoint.json}",
                "  loss.png, accuracy.png, damping.png, spectrum.png (NTK eigenvalues at init and after training)",
                "  summary.json  the final figures"})
final class TrainCommand implements Callable<Integer> {

    /** The step scale proximal-ntk runs with when --opt lr is not given. */
    static final String PROXIMAL_LR = "0.5";

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
            description = "An optimizer setting, repeatable (e.g. --opt damping=1e-2 for proximal-ntk, --opt lr=1e-3"
                    + " for adam); unknown keys are rejected, naming the known ones. proximal-ntk runs with lr=0.5"
                    + " unless given: half steps generalize better from small batches than full Gauss-Newton steps.")
    Map<String, String> optimizerOptions = new LinkedHashMap<>();

    @Option(names = "--loss", paramLabel = "L", defaultValue = "mse",
            description = "Loss: mse (on one-hot targets) or xent (softmax cross-entropy). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "30",
            description = "Iteration budget (one minibatch each). Default: ${DEFAULT-VALUE}.")
    long iterations;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "0",
            description = "Budget in passes over the training set instead of --iterations (0: use --iterations)."
                    + " Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "B", defaultValue = "64",
            description = "Minibatch size. proximal-ntk solves a (B·classes)² system per iteration. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--eval-every", paramLabel = "K", defaultValue = "5",
            description = "Evaluate train and test loss and accuracy every K iterations (and at the end)."
                    + " Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--target-accuracy", paramLabel = "A", defaultValue = "0",
            description = "Stop early once the test accuracy reaches A at an evaluation (0: never). Default: ${DEFAULT-VALUE}.")
    double targetAccuracy;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0",
            description = "Write a checkpoint every K iterations (0: only at the end). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue from a checkpoint folder, or from a run folder's latest checkpoint, with the same"
                    + " data, model and optimizer options.")
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
        Loss lossFn = parseLoss();
        Split split = data.load(common.seed);
        Dataset train = split.train();
        Dataset test = split.test();
        Mlp mlp = model.build(train.dims(), train.classes());
        Optimizer<?> opt;
        if (optimizer.trim().equalsIgnoreCase(ProximalNtk.NAME)) {
            optimizerOptions.putIfAbsent("lr", PROXIMAL_LR);
        }
        try {
            opt = Optimizers.create(optimizer, OptimizerOptions.of(optimizerOptions));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--optimizer/--opt: " + e.getMessage());
        }
        long budget = epochs > 0 ? (long) epochs * ((train.size() + batchSize - 1) / batchSize) : iterations;
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        MetricsServer server = metricsPort == null ? null : MetricsServer.start(registry, metricsHost, metricsPort);
        try (Backend backend = common.createBackend()) {
            if (server != null) {
                err.println("metrics: " + server.url());
                err.flush();
            }
            RunFolder run = RunFolder.create(runDir, runsRoot, train.name().replaceAll("-train$", "") + "-" + opt.name());
            CheckpointFiles.Saved saved = resume == null ? null : CheckpointFiles.load(resume, mlp);
            if (saved != null && !saved.optimizer().equals(opt.name())) {
                throw new UsageException("--resume: the checkpoint " + saved.dir() + " was made by " + saved.optimizer()
                        + ", not " + opt.name());
            }
            run.writeJson("config.json", config(mlp, train, test, backend, opt, budget, saved));
            if (!common.quiet) {
                out.printf(Locale.ROOT, "training %s on %s (%d samples, test %d) with %s on %s%n  run folder %s%n",
                        mlp, train.name(), train.size(), test.size(), opt.name(), backend.name(), run.dir());
                out.flush();
            }
            TrainReport report = new TrainReport(run, backend, mlp, train, spectrumSamples);
            MlpParams initial = saved != null ? saved.params() : mlp.init(common.seed);
            report.spectrumAt("initialization", initial);
            TrainingMeters meters = new TrainingMeters(registry, backend.name(), opt.name(), modelTag(mlp));
            EmpiricalNtk ntk = new EmpiricalNtk(mlp).withMeterRegistry(registry);
            TrainLoop loop = new TrainLoop(mlp, train, test, new TrainLoop.Settings(budget, batchSize, evalEvery,
                    targetAccuracy, common.seed, lossFn), ntk, meters);
            long start = saved == null ? 0 : saved.iteration();
            long t0 = System.nanoTime();
            TrainLoop.Result result;
            try (MetricsCsv csv = new MetricsCsv(run.file("metrics.csv"), TrainReport.COLUMNS);
                 Progress progress = new Progress(err, "train", "it", budget - start,
                         Progress.Mode.auto(common.quiet), System::nanoTime)) {
                double[] lastTest = {Double.NaN};
                result = loop.run(backend, opt, initial, saved, start, (it, params, state) -> {
                    csv.append(TrainReport.row(it));
                    if (Double.isFinite(it.testAccuracy())) {
                        lastTest[0] = it.testAccuracy();
                    }
                    progress.update(it.iteration() - start, String.format(Locale.ROOT, "loss %.4g  test acc %.4f  λ %.3g",
                            Double.isFinite(it.trainLoss()) ? it.trainLoss() : it.batchLoss(), lastTest[0], it.damping()));
                    if (checkpointEvery > 0 && it.iteration() % checkpointEvery == 0) {
                        saveCheckpoint(run, it.iteration(), opt, mlp, params, state);
                    }
                });
                report.plots(csv);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            report.spectrumAt("after " + result.iterations() + " iterations", result.params());
            report.writeSpectrum();
            CheckpointFiles.save(run.checkpoint(result.iterations()), result.iterations(), opt.name(), result.params(),
                    result.stateScalars(), result.stateTensors());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("iterations", result.iterations());
            summary.put("seconds", seconds);
            summary.put("test_loss", result.testLoss());
            summary.put("test_accuracy", result.testAccuracy());
            summary.put("reached_target", result.reachedTarget());
            run.writeJson("summary.json", summary);
            out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4g after %d iterations in %.1f s%s%n",
                    result.testAccuracy(), result.testLoss(), result.iterations(), seconds,
                    result.reachedTarget() ? " (target reached)" : "");
            if (!common.quiet) {
                out.println("run folder: " + run.dir());
            }
            out.flush();
        } catch (RuntimeException | IOException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        if (server != null) {
            if (hold) {
                err.println("holding the metrics endpoint " + server.url() + " until interrupted (Ctrl-C)");
                err.flush();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ntk4j-metrics-stop"));
                new CountDownLatch(1).await();
            }
            server.close();
        }
        return 0;
    }

    private void saveCheckpoint(RunFolder run, long iteration, Optimizer<?> opt, Mlp mlp,
                                org.ntk4j.nn.Params params, OptimizerState state) throws IOException {
        CheckpointFiles.save(run.checkpoint(iteration), iteration, opt.name(), MlpParams.download(mlp, params), state);
    }

    private void checkOptions() {
        if (iterations < 1 || epochs < 0 || batchSize < 1 || evalEvery < 1 || checkpointEvery < 0
                || spectrumSamples < 0 || targetAccuracy < 0 || targetAccuracy > 1) {
            throw new UsageException("need --iterations ≥ 1, --epochs ≥ 0, --batch-size ≥ 1, --eval-every ≥ 1,"
                    + " --checkpoint-every ≥ 0, --spectrum-samples ≥ 0 and --target-accuracy in [0, 1]");
        }
        if (hold && metricsPort == null) {
            throw new UsageException("--hold needs --metrics-port");
        }
    }

    private Loss parseLoss() {
        try {
            return Loss.parse(loss);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--loss: " + e.getMessage());
        }
    }

    static String modelTag(Mlp mlp) {
        StringBuilder sb = new StringBuilder("mlp");
        for (int w : mlp.widths()) {
            sb.append('-').append(w);
        }
        return sb.append('-').append(mlp.activation().toString().toLowerCase(Locale.ROOT)).toString();
    }

    private Map<String, Object> config(Mlp mlp, Dataset train, Dataset test, Backend backend, Optimizer<?> opt,
                                       long budget, CheckpointFiles.Saved saved) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", "train");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("spec", data.data);
        d.put("train", train.toString());
        d.put("test", test.toString());
        d.put("test_fraction", data.testFraction);
        d.put("standardize", data.standardize);
        d.put("limit", data.limit);
        c.put("data", d);
        Map<String, Object> m = model.describe();
        m.put("widths", toList(mlp.widths()));
        m.put("parameters", mlp.parameterCount());
        c.put("model", m);
        c.put("loss", loss);
        c.put("optimizer", opt.name());
        c.put("optimizer_options", new LinkedHashMap<>(optimizerOptions));
        c.put("optimizer_resolved", opt.toString());
        c.put("iterations", budget);
        c.put("batch_size", batchSize);
        c.put("eval_every", evalEvery);
        c.put("target_accuracy", targetAccuracy);
        c.put("checkpoint_every", checkpointEvery);
        c.put("seed", common.seed);
        c.put("backend", backend.name());
        c.put("resumed_from", saved == null ? null : saved.dir().toString());
        c.put("resumed_at_iteration", saved == null ? null : saved.iteration());
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
