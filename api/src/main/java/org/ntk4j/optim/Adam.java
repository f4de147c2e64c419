package org.ntk4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015), as optax's {@code adam}: with t the step number starting at 1,
 * μ ← β₁·μ + (1−β₁)·g, ν ← β₂·ν + (1−β₂)·g², μ̂ = μ/(1−β₁ᵗ), ν̂ = ν/(1−β₂ᵗ),
 * u = −lr·μ̂/(√ν̂ + ε). Each tensor's step is one {@link Backend#adamUpdate} (one pass where the backend fuses
 * it, the primitives otherwise).
 */
public final class Adam implements GradientOptimizer<Adam.State> {

    /** The registered name. */
    public static final String NAME = "adam";

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;

    /**
     * @param learningRate the step size, finite and &gt; 0
     * @param beta1 the first-moment decay, in [0, 1)
     * @param beta2 the second-moment decay, in [0, 1)
     * @param eps the denominator's offset, ≥ 0
     */
    public Adam(double learningRate, double beta1, double beta2, double eps) {
        this.learningRate = OptionChecks.positive("lr", learningRate);
        this.beta1 = OptionChecks.inUnitInterval("b1", beta1, true);
        this.beta2 = OptionChecks.inUnitInterval("b2", beta2, true);
        this.eps = OptionChecks.nonNegative("eps", eps);
    }

    /**
     * @param learningRate the step size
     * @return Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8
     */
    public static Adam withLearningRate(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State init(Params params) {
        return new State(0, params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update<State> update(Params gradients, State state, Params params) {
        Backend b = params.backend();
        long t = state.count() + 1;
        double step = learningRate / (1 - Math.pow(beta1, t));
        double vScale = 1 / (1 - Math.pow(beta2, t));
        List<Tensor> mu = new ArrayList<>();
        List<Tensor> nu = new ArrayList<>();
        List<Tensor> updates = new ArrayList<>();
        for (int i = 0; i < gradients.size(); i++) {
            Tensor g = gradients.tensor(i);
            Tensor m = b.zeros(g.rows(), g.cols(), g.dtype());
            Tensor v = b.zeros(g.rows(), g.cols(), g.dtype());
            Tensor u = b.zeros(g.rows(), g.cols(), g.dtype());
            mu.add(m);
            nu.add(v);
            updates.add(u);
            b.adamUpdate(g, state.mu().tensor(i), state.nu().tensor(i), beta1, beta2, step, vScale, eps, m, v, u);
        }
        return new Update<>(new Params(b, params.names(), updates),
                new State(t, new Params(b, params.names(), mu), new Params(b, params.names(), nu)));
    }

    @Override
    public State restore(double[] scalars, List<Tensor> tensors, Params params) {
        if (scalars.length != 1 || tensors.isEmpty() || tensors.size() % 2 != 0) {
            throw new IllegalArgumentException(NAME + " state needs 1 number and an even number of moment tensors, got "
                    + scalars.length + " and " + tensors.size());
        }
        int h = tensors.size() / 2;
        return new State((long) scalars[0], ParamMath.like(tensors.subList(0, h), params, "adam's mu"),
                ParamMath.like(tensors.subList(h, 2 * h), params, "adam's nu"));
    }

    @Override
    public String toString() {
        return "adam(lr=" + learningRate + ", b1=" + beta1 + ", b2=" + beta2 + ", eps=" + eps + ")";
    }

    /**
     * Adam's state, as optax's {@code ScaleByAdamState}.
     *
     * @param count the number of steps taken
     * @param mu the first-moment estimate
     * @param nu the second-moment estimate
     */
    public record State(long count, Params mu, Params nu) implements OptimizerState {
        @Override
        public double[] scalars() {
            return new double[] {count};
        }

        @Override
        public List<Tensor> tensors() {
            List<Tensor> all = new ArrayList<>(mu.tensors());
            all.addAll(nu.tensors());
            return all;
        }
    }

    /** Provides {@code adam}; options {@code lr}, {@code b1}, {@code b2}, {@code eps}. */
    public static final class Provider extends BuiltInProvider {
        /** Public for the service loader. */
        public Provider() {
            super(NAME, Map.of("lr", "step size (default 0.001)",
                    "b1", "first-moment decay (default 0.9)",
                    "b2", "second-moment decay (default 0.999)",
                    "eps", "denominator offset (default 1e-8)"),
                    options -> new Adam(options.getDouble("lr", 1e-3), options.getDouble("b1", 0.9),
                            options.getDouble("b2", 0.999), options.getDouble("eps", 1e-8)));
        }
    }
}
