package org.ntk4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.io.NpyArray;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Loss;
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
 * The training loop of {@code ntk4j train}: seeded minibatches (a fresh permutation per epoch, derived from the
 * seed and the epoch, so a resumed run sees the same batches), one optimizer step per iteration, evaluation
 * every k iterations, early stop at a target test accuracy, and a listener told about every iteration.
 */
final class TrainLoop {

    /** One iteration's figures. Evaluation fields are NaN on iterations without an evaluation. */
    record Iteration(long iteration, long epoch, double seconds, double batchLoss, double trainLoss,
                     double trainAccuracy, double testLoss, double testAccuracy, double damping, long rejected,
                     Map<Phase, Long> phaseNanos) {
    }

    /** Told after every iteration; may write checkpoints. */
    interface Listener {
        /**
         * @param it the iteration's figures
         * @param params the parameters after it (not modified)
         * @param state the optimizer state after it (not modified)
         * @throws IOException if reporting fails
         */
        void iteration(Iteration it, Params params, OptimizerState state) throws IOException;
    }

    /** The settings of a loop. */
    record Settings(long iterations, int batchSize, int evalEvery, double targetAccuracy, long seed, Loss loss) {
    }

    private final Mlp mlp;
    private final Dataset train;
    private final Dataset test;
    private final Settings settings;
    private final EmpiricalNtk ntk;
    private final TrainingMeters meters;

    TrainLoop(Mlp mlp, Dataset train, Dataset test, Settings settings, EmpiricalNtk ntk, TrainingMeters meters) {
        this.mlp = mlp;
        this.train = train;
        this.test = test;
        this.settings = settings;
        this.ntk = ntk;
        this.meters = meters;
    }

    /** The result of a run. */
    record Result(MlpParams params, long iterations, double testLoss, double testAccuracy, boolean reachedTarget,
                  double[] stateScalars, List<NpyArray> stateTensors) {
    }

    /**
     * Runs iterations {@code start + 1 ..} up to the budget or the target.
     *
     * @param backend the backend
     * @param optimizer the optimizer
     * @param initial the starting parameters (not modified)
     * @param restored a restored optimizer state (scalars, tensors) or {@code null} to initialize
     * @param start the number of iterations already done (0, or a checkpoint's)
     * @param listener told after every iteration
     * @param <S> the optimizer's state type
     * @return the final parameters and test figures
     * @throws IOException if the listener fails
     * @throws DivergedException if the loss becomes NaN or infinite
     */
    <S extends OptimizerState> Result run(Backend backend, Optimizer<S> optimizer, MlpParams initial,
                                          CheckpointFiles.Saved restored, long start, Listener listener)
            throws IOException {
        int n = train.size();
        int batchesPerEpoch = (n + settings.batchSize() - 1) / settings.batchSize();
        double[] trainX = train.features();
        double[] trainY = targets(train);
        try (TensorScope scope = backend.scope()) {
            Params params = initial.upload(backend, DType.F64);
            S state = restored == null ? optimizer.init(params)
                    : optimizer.restore(restored.scalars(), restored.tensors(backend), params);
            Tensor testX = backend.fromHost(test.features(), test.size(), test.dims(), DType.F64);
            Tensor trainAll = backend.fromHost(trainX, n, train.dims(), DType.F64);
            double[] lastEval = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            boolean reached = false;
            long it = start;
            int[] perm = null;
            long permEpoch = -1;
            while (it < settings.iterations()) {
                long epoch = it / batchesPerEpoch;
                if (epoch != permEpoch) {
                    perm = permutation(n, settings.seed(), epoch);
                    permEpoch = epoch;
                }
                int b0 = (int) (it % batchesPerEpoch) * settings.batchSize();
                int b1 = Math.min(n, b0 + settings.batchSize());
                long t0 = System.nanoTime();
                Update<S> update;
                BatchObjective objective;
                try (TensorScope batch = backend.scope()) {
                    Tensor bx = backend.fromHost(rows(trainX, perm, b0, b1, train.dims()), b1 - b0, train.dims(), DType.F64);
                    Tensor by = backend.fromHost(rows(trainY, perm, b0, b1, train.classes()), b1 - b0,
                            train.classes(), DType.F64);
                    objective = new BatchObjective(mlp, settings.loss(), bx, by, ntk, meters::phase);
                    update = optimizer.update(objective, state, params);
                    update.updates().keepIn(batch);
                    for (Tensor t : update.state().tensors()) {
                        batch.keep(t);
                    }
                }
                Params current = params;
                Params next = objective.timed(Phase.UPDATE, () -> Optimizers.applyUpdates(current, update.updates()));
                update.updates().close();
                params.close();
                state.close();
                params = next;
                state = update.state();
                it++;
                double batchLoss = state instanceof org.ntk4j.optim.ProximalNtk.State s ? s.lastLoss() : Double.NaN;
                boolean eval = it % settings.evalEvery() == 0 || it == settings.iterations();
                double[] e = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
                if (eval) {
                    Params p = params;
                    e = objective.timed(Phase.EVAL, () -> new double[] {
                        lossOf(p, trainAll, train), accuracy(p, trainAll, train),
                        lossOf(p, testX, test), accuracy(p, testX, test)});
                    lastEval = e;
                    meters.evaluation(e[0], e[1], e[2], e[3]);
                    if (!Double.isFinite(e[0])) {
                        throw new DivergedException("training diverged at iteration " + it + ": the training loss is "
                                + e[0] + "; try a larger damping or a smaller learning rate");
                    }
                }
                long nanos = System.nanoTime() - t0;
                meters.iteration(nanos);
                meters.damping(state.damping());
                long rejected = state instanceof org.ntk4j.optim.ProximalNtk.State s ? s.rejected() : 0;
                listener.iteration(new Iteration(it, epoch, nanos / 1e9, batchLoss, e[0], e[1], e[2], e[3],
                        state.damping(), rejected, Map.copyOf(objective.phaseNanos())), params, state);
                if (eval && settings.targetAccuracy() > 0 && e[3] >= settings.targetAccuracy()) {
                    reached = true;
                    break;
                }
            }
            MlpParams result = MlpParams.download(mlp, params);
            List<NpyArray> stateTensors = new ArrayList<>();
            for (Tensor t : state.tensors()) {
                stateTensors.add(NpyArray.ofDoubles(backend.toHost(t), t.rows(), t.cols()));
            }
            double[] scalars = state.scalars();
            state.close();
            return new Result(result, it, lastEval[2], lastEval[3], reached, scalars, stateTensors);
        }
    }

    /** @return y one-hot, n×classes */
    static double[] targets(Dataset d) {
        return d.oneHot();
    }

    private double lossOf(Params p, Tensor x, Dataset d) {
        try (TensorScope s = x.backend().scope()) {
            Tensor out = mlp.apply(p, x);
            Tensor y = x.backend().fromHost(targets(d), d.size(), d.classes(), DType.F64);
            return settings.loss().value(out, y);
        }
    }

    private double accuracy(Params p, Tensor x, Dataset d) {
        try (TensorScope s = x.backend().scope()) {
            double[] out = x.backend().toHost(mlp.apply(p, x));
            int o = d.classes();
            int correct = 0;
            for (int i = 0; i < d.size(); i++) {
                int best = 0;
                for (int a = 1; a < o; a++) {
                    if (out[i * o + a] > out[i * o + best]) {
                        best = a;
                    }
                }
                correct += best == d.label(i) ? 1 : 0;
            }
            return (double) correct / d.size();
        }
    }

    static int[] permutation(int n, long seed, long epoch) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[] rows(double[] data, int[] perm, int from, int to, int width) {
        double[] out = new double[(to - from) * width];
        for (int r = from; r < to; r++) {
            System.arraycopy(data, perm[r] * width, out, (r - from) * width, width);
        }
        return out;
    }

    /** The loss became NaN or infinite. */
    static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DivergedException(String message) {
            super(message);
        }
    }
}
