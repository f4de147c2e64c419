package org.ntk4j.backend.ejml.optim;

import java.util.List;
import java.util.Map;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.GradientOptimizer;
import org.ntk4j.optim.Optimizer;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.OptimizerProvider;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.optim.Update;
import org.ntk4j.tensor.Tensor;

/**
 * A third-party optimizer for the tests, registered in this module's test {@code META-INF/services}: sign SGD,
 * u = −lr·sign(g), written against the public SPI only.
 */
public final class SignSgdProvider implements OptimizerProvider {

    /** Public for the service loader. */
    public SignSgdProvider() {
    }

    @Override
    public String name() {
        return "sign-sgd";
    }

    @Override
    public Map<String, String> options() {
        return Map.of("lr", "step size (default 0.01)");
    }

    @Override
    public Optimizer<?> create(OptimizerOptions options) {
        double lr = options.getDouble("lr", 0.01);
        return new GradientOptimizer<Empty>() {
            @Override
            public String name() {
                return "sign-sgd";
            }

            @Override
            public Empty init(Params params) {
                return new Empty();
            }

            @Override
            public Update<Empty> update(Params gradients, Empty state, Params params) {
                Backend b = gradients.backend();
                Params u = gradients.zerosLike();
                for (int i = 0; i < u.size(); i++) {
                    double[] g = b.toHost(gradients.tensor(i));
                    for (int k = 0; k < g.length; k++) {
                        g[k] = -lr * Math.signum(g[k]);
                    }
                    Tensor t = b.fromHost(g, u.tensor(i).rows(), u.tensor(i).cols(), u.dtype());
                    b.affine(1, t, 0, u.tensor(i));
                    t.close();
                }
                return new Update<>(u, state);
            }

            @Override
            public Empty restore(double[] scalars, List<Tensor> tensors, Params params) {
                return new Empty();
            }
        };
    }

    /** No state. */
    public record Empty() implements OptimizerState {
        @Override
        public double[] scalars() {
            return new double[0];
        }

        @Override
        public List<Tensor> tensors() {
            return List.of();
        }
    }
}
