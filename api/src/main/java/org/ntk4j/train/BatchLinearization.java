package org.ntk4j.train;

import java.util.function.Function;
import java.util.function.Supplier;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.tensor.Tensor;

/**
 * A network linearized at given parameters on its batch, for either kind of network: the MLP of {@link MlpObjective}
 * or the layered model of {@link ModelObjective}. The objective supplies the forward trace's output, how to close
 * the trace, the full batch kernel (computed on the first call) and the vector–Jacobian product.
 */
final class BatchLinearization implements Linearization {

    private final double loss;
    private final Tensor gradient;
    private final OutputHessian hessian;
    private final int m;
    private final int o;
    private final Supplier<Tensor> kernelOf;
    private final Function<Tensor, Params> vjp;
    private final Runnable closeTrace;
    private Tensor kernel;

    /**
     * @param lossKind the loss (for the output Hessian)
     * @param output the forward trace's m×O outputs (not modified; owned by the trace)
     * @param value the loss and its gradient at {@code output}; its gradient tensor is taken over (scaled in place)
     * @param kernelOf computes the (m·O)² batch kernel, timed as the kernel phase
     * @param vjp Jᵀ·u for an m×O cotangent u, timed as the backward phase
     * @param closeTrace closes the forward trace
     */
    BatchLinearization(Loss lossKind, Tensor output, Loss.Value value, Supplier<Tensor> kernelOf,
                       Function<Tensor, Params> vjp, Runnable closeTrace) {
        this.loss = value.value();
        this.m = output.rows();
        this.o = output.cols();
        // the loss's gradient is of the mean over samples: m times it is the per-sample gradient g_i
        this.gradient = value.gradient();
        output.backend().scale(m, gradient, gradient);
        this.hessian = new OutputHessian(lossKind, output);
        this.kernelOf = kernelOf;
        this.vjp = vjp;
        this.closeTrace = closeTrace;
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
            kernel = kernelOf.get();
        }
        return kernel;
    }

    @Override
    public Params vjp(Tensor cotangent) {
        return vjp.apply(cotangent);
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
            kernel = null;
        }
        gradient.close();
        closeTrace.run();
    }
}
