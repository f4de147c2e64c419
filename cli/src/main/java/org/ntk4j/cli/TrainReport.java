package org.ntk4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.style.Styler;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.HostParams;
import org.ntk4j.optim.Phase;
import org.ntk4j.train.IterationEvent;
import org.ntk4j.train.TrainingListener;
import org.ntk4j.train.TrainingResult;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/** The metrics rows and plots of a training run. */
final class TrainReport {

    /** The columns of {@code metrics.csv}. */
    static final List<String> COLUMNS = List.of("iteration", "epoch", "seconds", "batch_loss", "train_loss",
            "train_accuracy", "test_loss", "test_accuracy", "damping", "forward_s", "kernel_s",
            "solve_s", "backward_s", "update_s", "eval_s");

    private final RunFolder run;
    private final Backend backend;
    private final Network net;
    private final Dataset sample;
    private final Map<String, double[]> spectra = new LinkedHashMap<>();
    private final TrainingClock clock = new TrainingClock();

    /**
     * @param run the run folder
     * @param backend the backend for the spectrum's kernels
     * @param net the network
     * @param train the training set
     * @param spectrumSamples how many training samples the spectrum uses (0: none)
     */
    TrainReport(RunFolder run, Backend backend, Network net, Dataset train, int spectrumSamples) {
        this.run = run;
        this.backend = backend;
        this.net = net;
        int n = Math.min(spectrumSamples, train.size());
        this.sample = n == 0 ? null : train.subset(KernelCommand.range(n), train.name());
    }

    /** @return the listener that adds up the training time for {@link #trainSecondsToTarget} */
    TrainingListener clock() {
        return clock;
    }

    /**
     * @param result how training ended
     * @return the training time of this run until the target was reached, evaluation excluded, in seconds; null
     *     when the target was not reached
     */
    Double trainSecondsToTarget(TrainingResult result) {
        return clock.secondsAt(result.iterationsToTarget());
    }

    /**
     * Adds up each iteration's wall time less its evaluation time: the time spent training, without the
     * evaluations (whose cost depends on the test set, not on the optimizer) and without the listeners.
     */
    static final class TrainingClock implements TrainingListener {

        private long nanos;
        private final TreeMap<Long, Long> atEvaluations = new TreeMap<>();

        @Override
        public void onIteration(IterationEvent e) {
            nanos += e.nanos() - e.phases().getOrDefault(Phase.EVAL, 0L);
            if (e.evaluated()) {
                atEvaluations.put(e.iteration(), nanos);
            }
        }

        /**
         * @param iteration an evaluated iteration of this run, or −1
         * @return the training seconds up to and including it, or null for −1 or an iteration not seen
         */
        Double secondsAt(long iteration) {
            Long n = atEvaluations.get(iteration);
            return n == null ? null : n / 1e9;
        }
    }

    /** @return one CSV row of an iteration */
    static Map<String, Double> row(IterationEvent it) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("iteration", (double) it.iteration());
        r.put("epoch", (double) it.epoch());
        r.put("seconds", it.nanos() / 1e9);
        r.put("batch_loss", it.batchLoss());
        r.put("train_loss", it.trainLoss());
        r.put("train_accuracy", it.trainAccuracy());
        r.put("test_loss", it.testLoss());
        r.put("test_accuracy", it.testAccuracy());
        r.put("damping", it.damping());
        for (Phase p : Phase.values()) {
            r.put(p.tag() + "_s", it.phases().getOrDefault(p, 0L) / 1e9);
        }
        return r;
    }

    /**
     * Records the traced empirical NTK's eigenvalues of the sample at some parameters.
     *
     * @param label the legend label
     * @param params the parameters (not modified)
     */
    void spectrumAt(String label, HostParams params) {
        if (sample == null) {
            return;
        }
        try (TensorScope scope = backend.scope()) {
            Tensor x = backend.fromHost(sample.features(), sample.size(), sample.dims(), DType.F64);
            Tensor k = net.ntk().withMeterRegistry(null).compute(params.upload(backend, DType.F64), x,
                    OutputAxes.TRACED);
            spectra.put(label, Spectrum.eigenvalues(backend, backend.toHost(k), k.rows()));
        }
    }

    /**
     * Writes {@code spectrum.png} with the spectra recorded so far.
     *
     * @throws IOException if writing fails
     */
    void writeSpectrum() throws IOException {
        if (!spectra.isEmpty()) {
            Plots.spectra(run.file("spectrum.png"), "Empirical NTK eigenvalues (traced, " + sample.size()
                    + " training samples)", spectra, true);
        }
    }

    /**
     * Writes {@code loss.png}, {@code accuracy.png} and {@code damping.png} from the CSV's rows.
     *
     * @param csv the metrics written so far
     * @throws IOException if writing fails
     */
    void plots(MetricsCsv csv) throws IOException {
        double[] it = csv.column("iteration");
        List<Plots.Curve> loss = new ArrayList<>();
        loss.add(new Plots.Curve("batch (before the step)", it, csv.column("batch_loss")));
        loss.add(new Plots.Curve("train", it, csv.column("train_loss")));
        loss.add(new Plots.Curve("test", it, csv.column("test_loss")));
        Plots.lines(run.file("loss.png"), "Loss per iteration", "iteration", "loss (log scale)", true, loss);
        Plots.lines(run.file("accuracy.png"), "Accuracy per iteration", "iteration", "accuracy", false, List.of(
                new Plots.Curve("train", it, csv.column("train_accuracy")),
                new Plots.Curve("test", it, csv.column("test_accuracy"))), Styler.LegendPosition.InsideSE);
        Plots.lines(run.file("damping.png"), "Damping λ per iteration", "iteration", "λ (log scale)", true,
                List.of(new Plots.Curve("damping", it, csv.column("damping"))));
    }
}
