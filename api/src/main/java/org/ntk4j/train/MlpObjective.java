package org.ntk4j.train;

import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/**
 * The loss of an {@link Mlp} on one minibatch, as an optimizer sees it. Forward passes are timed as
 * {@link Phase#FORWARD}, backward passes as {@link Phase#BACKWARD}, the batch kernel as {@link Phase#KERNEL}.
 *
 * <p>The batch loss is the network's {@link Loss}: for {@link Loss#MSE}, (1/(2·m·O))·‖F − Y‖², i.e. per sample
 * ℓ_i = ‖f_i − y_i‖²/(2O) with g_i = (f_i − y_i)/O and H_i = I/O; for softmax cross-entropy the mean over samples,
 * g_i = p_i − y_i and H_i = diag(p_i) − p_i·p_iᵀ.
 */
public final class MlpObjective extends MinibatchObjective {

    private final Mlp mlp;
    private final EmpiricalNtk ntk;

    /**
     * @param mlp the network
     * @param loss the loss
     * @param x the batch inputs, m×d0 (not modified; must stay open)
     * @param y the batch targets, m×O (not modified; must stay open)
     * @param ntk the kernel, for model-aware optimizers
     * @param times where phase durations go (modified)
     * @param metrics where flop counts go, or {@code null}
     */
    public MlpObjective(Mlp mlp, Loss loss, Tensor x, Tensor y, EmpiricalNtk ntk, PhaseTimes times,
                        TrainingMetrics metrics) {
        super(loss, x, y, times, metrics);
        this.mlp = mlp;
        this.ntk = ntk;
    }

    @Override
    Tensor apply(Params params) {
        return mlp.apply(params, x);
    }

    @Override
    public LossAndGradient lossAndGradient(Params params) {
        try (ForwardTrace t = times.time(Phase.FORWARD, () -> mlp.forward(params, x));
             Loss.Value v = times.time(Phase.FORWARD, () -> loss.evaluate(t.output(), y))) {
            seen(v.value());
            Params g = times.time(Phase.BACKWARD, () -> mlp.vjp(params, t, v.gradient()));
            return new LossAndGradient(v.value(), g);
        }
    }

    @Override
    public Linearization linearize(Params params) {
        ForwardTrace trace = times.time(Phase.FORWARD, () -> mlp.forward(params, x));
        Loss.Value v = evaluate(trace, trace.output());
        return new BatchLinearization(loss, trace.output(), v, () -> kernel(params, trace),
                u -> times.time(Phase.BACKWARD, () -> mlp.vjp(params, trace, u)), trace::close);
    }

    /** Computes the full batch kernel from a trace. */
    private Tensor kernel(Params params, ForwardTrace trace) {
        return times.time(Phase.KERNEL, () -> ntk.compute(params, trace, OutputAxes.FULL));
    }
}
