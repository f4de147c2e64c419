package org.ntk4j.it;

import java.util.function.Supplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Objective;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The squared-error objective of an {@link Mlp} on one fixed batch, built only from the public API:
 * ℓ_i = ½‖f(x_i) − y_i‖², loss = (1/m)·Σ ℓ_i, so g = f − y and H = I. The kernel is the structured empirical
 * NTK of the batch ({@link EmpiricalNtk}, full output axes) and Jᵀ·u one backward pass ({@link Mlp#vjp}).
 */
final class MlpObjective implements Objective {

    private final Mlp mlp;
    private final Tensor x;
    private final Tensor y;

    /**
     * @param mlp the network
     * @param x m×d0 inputs (not modified; must stay open)
     * @param y m×dL targets on the same backend (not modified; must stay open)
     */
    MlpObjective(Mlp mlp, Tensor x, Tensor y) {
        this.mlp = mlp;
        this.x = x;
        this.y = y;
    }

    @Override
    public Backend backend() {
        return x.backend();
    }

    @Override
    public double loss(Params params) {
        Backend be = backend();
        try (TensorScope scope = be.scope()) {
            Tensor r = residual(mlp.apply(params, x));
            return be.dot(r, r) / (2.0 * x.rows());
        }
    }

    @Override
    public LossAndGradient lossAndGradient(Params params) {
        Backend be = backend();
        try (TensorScope scope = be.scope(); ForwardTrace trace = mlp.forward(params, x)) {
            Tensor r = residual(trace.output());
            double loss = be.dot(r, r) / (2.0 * x.rows());
            be.scale(1.0 / x.rows(), r, r);
            return new LossAndGradient(loss, mlp.vjp(params, trace, r).keepIn(scope));
        }
    }

    @Override
    public Linearization linearize(Params params) {
        return new MlpLinearization(params);
    }

    @Override
    public <T> T timed(Phase phase, Supplier<T> work) {
        return work.get();
    }

    /** f − y, a new tensor. */
    private Tensor residual(Tensor f) {
        Backend be = backend();
        Tensor r = be.zeros(f.rows(), f.cols(), f.dtype());
        be.axpby(1, f, -1, y, r);
        return r;
    }

    /** The network linearized at given parameters on the batch. */
    private final class MlpLinearization implements Linearization {
        private final Params params;
        private final ForwardTrace trace;
        private final Tensor gradient;
        private final double loss;
        private Tensor kernel;

        MlpLinearization(Params params) {
            this.params = params;
            this.trace = mlp.forward(params, x);
            // fill the trace's derivative cache now, in the caller's scope: filled first inside the kernel's
            // own scope, the cached tensors would be closed with that scope and the later vjp would fail
            for (int l = 0; l + 1 < mlp.depth(); l++) {
                trace.derivative(l);
            }
            this.gradient = residual(trace.output());
            this.loss = backend().dot(gradient, gradient) / (2.0 * x.rows());
        }

        @Override
        public int samples() {
            return x.rows();
        }

        @Override
        public int outputs() {
            return mlp.outputDim();
        }

        @Override
        public double loss() {
            return loss;
        }

        @Override
        public Tensor outputGradient() {
            return gradient;
        }

        @Override
        public double isotropicHessian() {
            return 1;
        }

        @Override
        public Tensor hessianTimes(Tensor a) {
            return backend().copy(a);
        }

        @Override
        public Tensor kernel() {
            if (kernel == null) {
                kernel = new EmpiricalNtk(mlp).withMeterRegistry(null).compute(params, trace, OutputAxes.FULL);
            }
            return kernel;
        }

        @Override
        public Params vjp(Tensor cotangent) {
            return mlp.vjp(params, trace, cotangent);
        }

        @Override
        public void close() {
            trace.close();
            gradient.close();
            if (kernel != null) {
                kernel.close();
            }
        }
    }
}
