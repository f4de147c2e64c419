package org.ntk4j.train;

import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/** An {@link MlpObjective}'s network linearized at given parameters on its batch. */
final class MlpLinearization implements Linearization {

    private final MlpObjective objective;
    private final Params params;
    private final ForwardTrace trace;
    private final double loss;
    private final Tensor gradient;
    private final int m;
    private final int o;
    private Tensor kernel;
    private final OutputHessian hessian;

    MlpLinearization(MlpObjective objective, Params params, ForwardTrace trace, Loss.Value value) {
        this.objective = objective;
        this.params = params;
        this.trace = trace;
        this.loss = value.value();
        Tensor out = trace.output();
        this.m = out.rows();
        this.o = out.cols();
        // the loss's gradient is of the mean over samples: m times it is the per-sample gradient g_i
        this.gradient = value.gradient();
        this.hessian = new OutputHessian(objective.lossKind(), out);
        out.backend().scale(m, gradient, gradient);
    }

    @Override
    public int samples() {
        return m;
    }

    @Override
    public int outputs() {
        return o;
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
        return hessian.isotropic();
    }

    @Override
    public Tensor hessianTimes(Tensor a) {
        return hessian.times(a);
    }

    @Override
    public Tensor kernel() {
        if (kernel == null) {
            kernel = objective.kernel(params, trace);
        }
        return kernel;
    }

    @Override
    public Params vjp(Tensor cotangent) {
        return objective.times().time(Phase.BACKWARD, () -> objective.mlp().vjp(params, trace, cotangent));
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        gradient.close();
        trace.close();
    }
}
