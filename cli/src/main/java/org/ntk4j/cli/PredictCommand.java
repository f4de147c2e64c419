package org.ntk4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.ModelNtk;
import org.ntk4j.kernel.HostMatrix;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Params;
import org.ntk4j.predict.AnalyticPredictor;
import org.ntk4j.predict.GradientDescentMse;
import org.ntk4j.predict.KernelRegression;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ntk4j predict}: the predictions of a network trained by gradient descent on MSE, in closed form from
 * its NTK (or NNGP), at chosen times and at t = ∞, with train and test loss and accuracy at each.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict, from a kernel and without training, what gradient descent on the MSE loss does to a"
                + " network: the outputs at training times t and at t = ∞ (kernel regression), with train and test"
                + " loss and accuracy at each time.",
                "analytic: the infinitely wide network (outputs 0 at t = 0); empirical: the linearized finite network"
                        + " at its initial (or --params) parameters, starting from its own outputs.",
                "f(t) = y + V·diag(exp(−λ·η·t/n))·Vᵀ·(f₀ − y) on the training set, as neural-tangents computes it."})
final class PredictCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    FalkonSolver solver;

    @Option(names = "--kind", paramLabel = "K", defaultValue = "analytic",
            description = "analytic (infinite width) or empirical (the MLP linearized at its parameters)."
                    + " Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--kernel", paramLabel = "K", split = ",", defaultValue = "ntk",
            description = "ntk, nngp (analytic only; at t = ∞ the Bayesian posterior mean), or nngp,ntk for both from"
                    + " one kernel computation. Default: ${DEFAULT-VALUE}.")
    List<String> kernel;

    @Option(names = "--times", paramLabel = "T", split = ",", defaultValue = "1,10,100,1000,10000,inf",
            description = "Training times t (η·t is steps × step size), comma-separated; inf for t = ∞."
                    + " Default: ${DEFAULT-VALUE}.")
    List<String> times;

    @Option(names = "--learning-rate", paramLabel = "ETA", defaultValue = "1",
            description = "Learning rate η of the gradient descent. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--diag-reg", paramLabel = "R", defaultValue = "1e-4",
            description = "Regularizer added to the kernel's diagonal, relative to its mean trace. Default: ${DEFAULT-VALUE}.")
    double diagReg;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256",
            description = "Rows of a kernel block (analytic) or tile size (empirical). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--params", paramLabel = "FILE.npz",
            description = "Parameters of an empirical kernel: a train run's checkpoint.npz or a kernel's"
                    + " FILE-params.npz (default: a fresh initialization with --seed).")
    Path params;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.npz",
            description = "Also write the predictions: times, and test outputs test_0, test_1, … (one per time;"
                    + " nngp_test_0, …, ntk_test_0, … for two kernels).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        double[] t = parseTimes();
        if (!(learningRate > 0) || !(diagReg >= 0) || batchSize < 1) {
            throw new UsageException("need --learning-rate > 0, --diag-reg ≥ 0 and --batch-size ≥ 1");
        }
        List<KernelRegression.Kernel> kernels = parseKernels();
        boolean empirical = switch (kind.toLowerCase(Locale.ROOT)) {
            case "analytic" -> false;
            case "empirical" -> true;
            default -> throw new UsageException("--kind must be analytic or empirical, got " + kind);
        };
        if (empirical && !kernels.equals(List.of(KernelRegression.Kernel.NTK))) {
            throw new UsageException("--kernel " + String.join(",", kernel) + " needs --kind analytic");
        }
        Split split = data.load(common.seed);
        if (solver.isFalkon()) {
            if (kernels.size() != 1) {
                throw new UsageException("--solver falkon takes one --kernel (ntk or nngp), got " + String.join(",", kernel));
            }
            return solver.run(stdout, err, common, split, model, empirical,
                    kernels.get(0) == KernelRegression.Kernel.NNGP, params, out);
        }
        Dataset train = split.train();
        Dataset test = split.test();
        int n = train.size();
        int m = test.size();
        int o = train.classes();
        List<AnalyticPredictor.Output> outputs = new ArrayList<>();
        AnalyticPredictor.Phases phases = null;
        String what;
        long t0 = System.nanoTime();
        try (Backend backend = common.createBackend(); TensorScope scope = backend.scope()) {
            Tensor xTrain = backend.fromHost(train.features(), n, train.dims(), DType.F64);
            Tensor xTest = backend.fromHost(test.features(), m, test.dims(), DType.F64);
            Tensor yTrain = backend.fromHost(train.oneHot(), n, o, DType.F64);
            if (empirical) {
                Network net = model.network(train);
                what = "empirical NTK of " + net;
                empirical(backend, net, xTrain, yTrain, xTest, t, outputs);
            } else {
                AnalyticNtk a = model.analytic(train, batchSize, err, common.quiet);
                what = "analytic " + kernels.stream().map(k -> k.name()).collect(Collectors.joining(" and ")) + " of "
                        + a;
                try (Progress bar = new Progress(err, "kernel", "rows", (long) n + m, Progress.Mode.auto(common.quiet),
                        System::nanoTime)) {
                    AnalyticPredictor.Result r = new AnalyticPredictor(a, learningRate, diagReg, batchSize)
                            .predict(backend, xTrain, yTrain, xTest, kernels, t, (d, total) -> bar.update(d, ""));
                    outputs.addAll(r.outputs());
                    phases = r.phases();
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        stdout.printf(Locale.ROOT, "%s, η=%s, diag_reg=%s; %s: %d training and %d test samples (%.1f s)%n", what,
                learningRate, diagReg, train.name().replaceAll("-train$", ""), n, m, seconds);
        if (phases != null && common.verbose) {
            double d = train.dims();
            stdout.printf(Locale.ROOT, "phases: train kernel %.2f s (%.1f GFLOP/s of GEMM), solve %.2f s, test kernel"
                    + " %.2f s (%.1f GFLOP/s), test products %.2f s%n", phases.trainKernelNanos() / 1e9,
                    2.0 * n * n * d / phases.trainKernelNanos(), phases.solveNanos() / 1e9,
                    phases.testKernelNanos() / 1e9, 2.0 * m * n * d / phases.testKernelNanos(),
                    phases.testProductNanos() / 1e9);
        }
        Map<String, NpyArray> saved = new LinkedHashMap<>();
        saved.put("times", NpyArray.ofDoubles(t, t.length));
        KernelRegression.Kernel current = null;
        int index = 0;
        for (AnalyticPredictor.Output r : outputs) {
            if (r.kernel() != current) {
                current = r.kernel();
                index = 0;
                if (kernels.size() > 1) {
                    stdout.println(current.name() + ":");
                }
                stdout.printf(Locale.ROOT, "%12s %12s %10s %12s %10s%n", "t", "train loss", "train acc", "test loss",
                        "test acc");
            }
            stdout.printf(Locale.ROOT, "%12s %12.6g %10.4f %12.6g %10.4f%n",
                    Double.isInfinite(r.t()) ? "inf" : java.math.BigDecimal.valueOf(r.t()).stripTrailingZeros()
                            .toPlainString(), mse(r.train(), train), accuracy(r.train(), train), mse(r.test(), test),
                    accuracy(r.test(), test));
            String prefix = kernels.size() > 1 ? current.name().toLowerCase(Locale.ROOT) + "_" : "";
            saved.put(prefix + "test_" + index++, NpyArray.ofDoubles(r.test(), m, o));
        }
        if (out != null) {
            Npz.write(out, saved, true);
            stdout.println("wrote " + out);
        }
        stdout.flush();
        return 0;
    }

    /** The linearized network's predictions from its empirical NTK (held whole), starting from its outputs. */
    private void empirical(Backend backend, Network net, Tensor xTrain, Tensor yTrain, Tensor xTest, double[] t,
                           List<AnalyticPredictor.Output> outputs) throws java.io.IOException {
        int n = xTrain.rows();
        int m = xTest.rows();
        int tiles = (n + batchSize - 1) / batchSize;
        int testTiles = (m + batchSize - 1) / batchSize;
        Tensor kTrain;
        Tensor kTest;
        Params p;
        try (Progress bar = new Progress(spec.commandLine().getErr(), "kernel", "tiles",
                (long) tiles * (tiles + 1) / 2 + (long) tiles * testTiles, Progress.Mode.auto(common.quiet),
                System::nanoTime)) {
            HostParams host = params != null ? net.load(params) : net.init(common.seed);
            p = host.upload(backend, DType.F64);
            ModelNtk ntk = net.ntk();
            HostMatrix a = ntk.computeTiled(p, xTrain, null, OutputAxes.TRACED, batchSize,
                    (d, total) -> bar.update(d, ""));
            int done = tiles * (tiles + 1) / 2;
            HostMatrix b = ntk.computeTiled(p, xTest, xTrain, OutputAxes.TRACED, batchSize,
                    (d, total) -> bar.update(done + d, ""));
            kTrain = backend.fromHost(a.data(), n, n, DType.F64);
            kTest = backend.fromHost(b.data(), m, n, DType.F64);
        }
        Tensor f0Train = net.apply(p, xTrain);
        Tensor f0Test = net.apply(p, xTest);
        try (GradientDescentMse gd = GradientDescentMse.of(backend, kTrain, yTrain, learningRate, diagReg)) {
            for (GradientDescentMse.Prediction pr : gd.predict(t, f0Train, f0Test, kTest)) {
                outputs.add(new AnalyticPredictor.Output(KernelRegression.Kernel.NTK, pr.t(), backend.toHost(pr.train()),
                        backend.toHost(pr.test())));
                pr.close();
            }
        }
    }

    private List<KernelRegression.Kernel> parseKernels() {
        List<KernelRegression.Kernel> out = new ArrayList<>();
        for (String k : kernel) {
            KernelRegression.Kernel which = switch (k.trim().toLowerCase(Locale.ROOT)) {
                case "ntk" -> KernelRegression.Kernel.NTK;
                case "nngp" -> KernelRegression.Kernel.NNGP;
                default -> throw new UsageException("--kernel must be ntk, nngp or nngp,ntk, got " + k);
            };
            if (out.contains(which)) {
                throw new UsageException("--kernel names " + k + " twice");
            }
            out.add(which);
        }
        return out;
    }

    private double[] parseTimes() {
        double[] t = new double[times.size()];
        for (int i = 0; i < t.length; i++) {
            String s = times.get(i).trim().toLowerCase(Locale.ROOT);
            try {
                t[i] = s.equals("inf") || s.equals("infinity") ? Double.POSITIVE_INFINITY : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new UsageException("--times: '" + times.get(i) + "' is not a number or inf");
            }
            if (!(t[i] >= 0)) {
                throw new UsageException("--times must be ≥ 0, got " + times.get(i));
            }
        }
        return t;
    }

    /** The library's MSE: ‖f − y‖² / (2·n·O) with one-hot y. */
    static double mse(double[] f, Dataset d) {
        double[] y = d.oneHot();
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double e = f[i] - y[i];
            s += e * e;
        }
        return s / (2.0 * f.length);
    }

    static double accuracy(double[] f, Dataset d) {
        int o = d.classes();
        int correct = 0;
        for (int i = 0; i < d.size(); i++) {
            int best = 0;
            for (int a = 1; a < o; a++) {
                if (f[i * o + a] > f[i * o + best]) {
                    best = a;
                }
            }
            correct += best == d.label(i) ? 1 : 0;
        }
        return (double) correct / d.size();
    }
}
