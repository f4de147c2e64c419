package org.ntk4j.train;

import org.ntk4j.kernel.ModelNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.LayerTrace;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/**
 * The loss of any layered {@link Model} on one minibatch, as an optimizer sees it: the gradient is the model's
 * vector–Jacobian product ({@link LayerTrace#vjp}), the batch kernel of a {@link #linearize linearization} is
 * the model's exact empirical NTK ({@link ModelNtk}: structured for a dense chain, generic otherwise). Forward
 * passes are timed as {@link Phase#FORWARD}, backward passes as {@link Phase#BACKWARD}, the kernel as
 * {@link Phase#KERNEL}. The loss is as in {@link MlpObjective}.
 */
public final class ModelObjective extends MinibatchObjective {

    private final Model model;
    private final ModelNtk ntk;

    /**
     * @param model the model
     * @param loss the loss
     * @param x the batch inputs, m × input-size (not modified; must stay open)
     * @param y the batch targets, m×O (not modified; must stay open)
     * @param ntk the model's kernel, for model-aware optimizers
     * @param times where phase durations go (modified)
     * @param metrics where flop counts go, or {@code null}
     */
    public ModelObjective(Model model, Loss loss, Tensor x, Tensor y, ModelNtk ntk, PhaseTimes times,
                          TrainingMetrics metrics) {
        super(loss, x, y, times, metrics);
        if (ntk.model() != model) {
            throw new IllegalArgumentException("the kernel is of " + ntk.model() + ", not of " + model);
        }
        this.model = model;
        this.ntk = ntk;
    }

    @Override
    Tensor apply(Params params) {
        return model.apply(params, x);
    }

    @Override
    public LossAndGradient lossAndGradient(Params params) {
        try (LayerTrace t = times.time(Phase.FORWARD, () -> model.forward(params, x));
             Loss.Value v = times.time(Phase.FORWARD, () -> loss.evaluate(t.output(), y))) {
            seen(v.value());
            Params g = times.time(Phase.BACKWARD, () -> vjp(params, t, v.gradient()));
            return new LossAndGradient(v.value(), g);
        }
    }

    @Override
    public Linearization linearize(Params params) {
        LayerTrace trace = times.time(Phase.FORWARD, () -> model.forward(params, x));
        Loss.Value v = evaluate(trace, trace.output());
        return new BatchLinearization(loss, trace.output(), v, () -> kernel(params),
                u -> times.time(Phase.BACKWARD, () -> vjp(params, trace, u)), trace::close);
    }

    /** Jᵀ·G as parameters named like the model's; the input cotangent is dropped. */
    private Params vjp(Params params, LayerTrace trace, Tensor cotangent) {
        LayerTrace.Cotangents c = trace.vjp(cotangent);
        c.input().close();
        return new Params(params.backend(), model.parameterNames(), c.params());
    }

    /** The full batch kernel at {@code params}. */
    private Tensor kernel(Params params) {
        return times.time(Phase.KERNEL, () -> ntk.compute(params, x, OutputAxes.FULL));
    }
}
