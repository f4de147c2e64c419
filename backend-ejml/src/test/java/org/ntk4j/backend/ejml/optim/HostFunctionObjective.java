package org.ntk4j.backend.ejml.optim;

import java.util.function.Function;
import java.util.function.Supplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Objective;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** A test objective: a function of one 1×n parameter tensor with its gradient, both evaluated on the host. */
final class HostFunctionObjective implements Objective {

    private final Backend backend;
    private final Function<double[], Double> f;
    private final Function<double[], double[]> grad;
    int gradientCalls;

    HostFunctionObjective(Backend backend, Function<double[], Double> f, Function<double[], double[]> grad) {
        this.backend = backend;
        this.f = f;
        this.grad = grad;
    }

    static HostFunctionObjective rosenbrock(Backend b) {
        return new HostFunctionObjective(b,
                x -> (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]),
                x -> new double[] {-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0])});
    }

    /** ½ Σ a_i (x_i − c_i)². */
    static HostFunctionObjective parabola(Backend b, double[] a, double[] c) {
        return new HostFunctionObjective(b, x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += 0.5 * a[i] * (x[i] - c[i]) * (x[i] - c[i]);
            }
            return s;
        }, x -> {
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                g[i] = a[i] * (x[i] - c[i]);
            }
            return g;
        });
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public double loss(Params params) {
        return f.apply(backend.toHost(params.tensor(0)));
    }

    @Override
    public LossAndGradient lossAndGradient(Params params) {
        gradientCalls++;
        double[] x = backend.toHost(params.tensor(0));
        Tensor g = backend.fromHost(grad.apply(x), 1, x.length, DType.F64);
        return new LossAndGradient(f.apply(x), TestParams.of(g));
    }

    @Override
    public Linearization linearize(Params params) {
        throw new UnsupportedOperationException("a host function has no linearization");
    }

    @Override
    public <T> T timed(Phase phase, Supplier<T> work) {
        return work.get();
    }
}
