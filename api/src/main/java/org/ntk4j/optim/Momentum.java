package org.ntk4j.optim;

import java.util.List;
import java.util.Map;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * SGD with heavy-ball or Nesterov momentum, as optax's {@code sgd(lr, momentum, nesterov)}:
 * v ← g + β·v, u = −lr·v (heavy ball) or u = −lr·(g + β·v) (Nesterov), with v starting at zero.
 */
public final class Momentum implements GradientOptimizer<Momentum.State> {

    /** The registered name. */
    public static final String NAME = "momentum";

    private final double learningRate;
    private final double beta;
    private final boolean nesterov;

    /**
     * @param learningRate the step size, finite and &gt; 0
     * @param beta the momentum decay, in [0, 1)
     * @param nesterov whether to use Nesterov's look-ahead form
     */
    public Momentum(double learningRate, double beta, boolean nesterov) {
        this.learningRate = OptionChecks.positive("lr", learningRate);
        this.beta = OptionChecks.inUnitInterval("momentum", beta, true);
        this.nesterov = nesterov;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State init(Params params) {
        return new State(0, params.zerosLike());
    }

    @Override
    public Update<State> update(Params gradients, State state, Params params) {
        Params velocity = ParamMath.combine(1, gradients, beta, state.velocity());
        Params updates = nesterov ? ParamMath.combine(-learningRate, gradients, -learningRate * beta, velocity)
                : ParamMath.scaled(-learningRate, velocity);
        return new Update<>(updates, new State(state.count() + 1, velocity));
    }

    @Override
    public State restore(double[] scalars, List<Tensor> tensors, Params params) {
        if (scalars.length != 1 || tensors.isEmpty()) {
            throw new IllegalArgumentException(NAME + " state needs 1 number and the velocity tensors, got "
                    + scalars.length + " and " + tensors.size());
        }
        return new State((long) scalars[0], ParamMath.like(tensors, params, "momentum's velocity"));
    }

    @Override
    public String toString() {
        return "momentum(lr=" + learningRate + ", momentum=" + beta + ", nesterov=" + nesterov + ")";
    }

    /**
     * Momentum's state.
     *
     * @param count the number of steps taken
     * @param velocity the decayed sum of gradients
     */
    public record State(long count, Params velocity) implements OptimizerState {
        @Override
        public double[] scalars() {
            return new double[] {count};
        }

        @Override
        public List<Tensor> tensors() {
            return velocity.tensors();
        }
    }

    /** Provides {@code momentum}; options {@code lr}, {@code momentum}, {@code nesterov}. */
    public static final class Provider extends BuiltInProvider {
        /** Public for the service loader. */
        public Provider() {
            super(NAME, Map.of("lr", "step size (default 0.01)",
                    "momentum", "decay of the velocity, in [0, 1) (default 0.9)",
                    "nesterov", "Nesterov's look-ahead form (default false)"),
                    options -> new Momentum(options.getDouble("lr", 0.01), options.getDouble("momentum", 0.9),
                            options.getBoolean("nesterov", false)));
        }
    }
}
