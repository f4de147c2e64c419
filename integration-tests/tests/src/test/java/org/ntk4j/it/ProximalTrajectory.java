package org.ntk4j.it;

import io.micrometer.core.instrument.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import org.ntk4j.train.MlpObjective;
import org.ntk4j.train.PhaseTimes;

/**
 * What {@value #ITERATIONS} proximal-ntk iterations did on one backend, from a seeded 64-16-10 ReLU network on
 * the first {@value #BATCH} digits against their one-hot labels: per iteration the batch loss before the step,
 * the damping after it and the rejected trial steps so far, and the final parameters.
 *
 * <p>{@link #main} runs it in a child JVM for the backend named by its argument and prints one
 * {@code LOSS.key=v,v,…} line per series and loss, every value to 17 digits.
 */
final class ProximalTrajectory {

    static final int BATCH = 16;
    static final Mlp MLP = Mlp.builder(64, 16, 10).build();
    static final int ITERATIONS = 20;
    static final long SEED = 20240611L;
    static final double MIN_DAMPING = 1e-4;
    static final ProximalNtk PROXIMAL = ProximalNtk.defaults().withLearningRate(0.5).withBounds(MIN_DAMPING, 1e9);

    final Loss loss;
    final double[] losses;
    final double[] dampings;
    final double[] rejections;
    final double[] params;

    private ProximalTrajectory(Loss loss, double[] losses, double[] dampings, double[] rejections, double[] params) {
        this.loss = loss;
        this.losses = losses;
        this.dampings = dampings;
        this.rejections = rejections;
        this.params = params;
    }

    /**
     * Runs the iterations.
     *
     * @param backend the backend (not modified)
     * @param loss the loss: MSE (Cholesky solves) or softmax cross-entropy (LU solves)
     * @return what happened
     */
    static ProximalTrajectory run(Backend backend, Loss loss) {
        Dataset digits = Digits.load().scaled(1.0 / 16);
        double[] losses = new double[ITERATIONS + 1];
        double[] dampings = new double[ITERATIONS];
        double[] rejections = new double[ITERATIONS];
        try (TensorScope scope = backend.scope()) {
            Tensor x = backend.fromHost(Arrays.copyOf(digits.features(), BATCH * MLP.inputDim()), BATCH,
                    MLP.inputDim(), DType.F64);
            Tensor y = backend.fromHost(Arrays.copyOf(digits.oneHot(), BATCH * MLP.outputDim()), BATCH,
                    MLP.outputDim(), DType.F64);
            MlpObjective objective = new MlpObjective(MLP, loss, x, y, new EmpiricalNtk(MLP).withMeterRegistry(null),
                    new PhaseTimes(Clock.SYSTEM), null);
            Params params = MLP.init(SEED).upload(backend, DType.F64);
            ProximalNtk.State state = PROXIMAL.init(params);
            for (int i = 0; i < ITERATIONS; i++) {
                Update<ProximalNtk.State> u = PROXIMAL.update(objective, state, params);
                Params next = Optimizers.applyUpdates(params, u.updates());
                u.updates().close();
                params.close();
                params = next;
                state = u.state();
                losses[i] = state.lastLoss();
                dampings[i] = state.damping();
                rejections[i] = state.rejected();
            }
            losses[ITERATIONS] = objective.loss(params);
            return new ProximalTrajectory(loss, losses, dampings, rejections, params.toHostFlat());
        }
    }

    /**
     * Reads what {@link #main} printed for one loss.
     *
     * @param child the child's result (not modified)
     * @param loss the loss
     * @return the trajectory, or null when the child printed none for that loss
     */
    static ProximalTrajectory parse(ChildResult child, Loss loss) {
        String[] keys = {"losses", "dampings", "rejections", "params"};
        double[][] series = new double[keys.length][];
        for (int k = 0; k < keys.length; k++) {
            String v = child.value(loss + "." + keys[k]);
            if (v == null) {
                return null;
            }
            series[k] = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
        }
        return new ProximalTrajectory(loss, series[0], series[1], series[2], series[3]);
    }

    /**
     * Runs both losses on the backend named by {@code args[0]} and prints them; the squared error first.
     *
     * @param args the backend's name
     */
    public static void main(String[] args) {
        try (Backend backend = Backends.create(args[0])) {
            for (Loss loss : new Loss[] {Loss.MSE, Loss.SOFTMAX_CROSS_ENTROPY}) {
                ProximalTrajectory t = run(backend, loss);
                print(loss + ".losses", t.losses);
                print(loss + ".dampings", t.dampings);
                print(loss + ".rejections", t.rejections);
                print(loss + ".params", t.params);
                System.out.flush();
            }
        }
    }

    private static void print(String key, double[] values) {
        System.out.println(key + "=" + DoubleStream.of(values).mapToObj(v -> String.format(Locale.ROOT, "%.17g", v))
                .collect(Collectors.joining(",")));
    }
}
