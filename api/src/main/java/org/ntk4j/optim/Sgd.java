package org.ntk4j.optim;

import java.util.List;
import java.util.Map;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * Plain stochastic gradient descent: u = −lr·g. Stateless (its state only counts steps).
 */
public final class Sgd implements GradientOptimizer<Sgd.State> {

    /** The registered name. */
    public static final String NAME = "sgd";

    private final double learningRate;

    /**
     * @param learningRate the step size, finite and &gt; 0
     */
    public Sgd(double learningRate) {
        this.learningRate = OptionChecks.positive("lr", learningRate);
    }

    /** @return the step size */
    public double learningRate() {
        return learningRate;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State init(Params params) {
        return new State(0);
    }

    @Override
    public Update<State> update(Params gradients, State state, Params params) {
        return new Update<>(ParamMath.scaled(-learningRate, gradients), new State(state.count() + 1));
    }

    @Override
    public State restore(double[] scalars, List<Tensor> tensors, Params params) {
        OptionChecks.stateShape(NAME, scalars, 1, tensors, 0);
        return new State((long) scalars[0]);
    }

    @Override
    public String toString() {
        return "sgd(lr=" + learningRate + ")";
    }

    /**
     * SGD's state.
     *
     * @param count the number of steps taken
     */
    public record State(long count) implements OptimizerState {
        @Override
        public double[] scalars() {
            return new double[] {count};
        }

        @Override
        public List<Tensor> tensors() {
            return List.of();
        }
    }

    /** Provides {@code sgd}; option {@code lr}. */
    public static final class Provider extends BuiltInProvider {
        /** Public for the service loader. */
        public Provider() {
            super(NAME, Map.of("lr", "step size (default 0.01)"), options -> new Sgd(options.getDouble("lr", 0.01)));
        }
    }
}
