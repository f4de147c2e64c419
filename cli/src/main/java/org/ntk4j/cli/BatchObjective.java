package org.ntk4j.cli;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Linearization;
import org.ntk4j.optim.LossAndGradient;
import org.ntk4j.optim.Objective;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/**
 * The loss of an MLP on one minibatch, as an optimizer sees it: forward passes, gradients, and the network
 * linearized at the current parameters (outputs, per-sample output derivatives, the full empirical NTK of the
 * batch, vector–Jacobian products). Every piece of work is timed into a {@link Phase}; the times of the
 * current iteration are summed in {@link #phaseNanos()}.
 */
final class BatchObjective implements Objective {

    private final Mlp mlp;
    private final Loss loss;
    private final Tensor x;
    private final Tensor y;
    private final EmpiricalNtk ntk;
    private final PhaseSink sink;
    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);

    /** Receives every timed piece of work. */
    @FunctionalInterface
    interface PhaseSink {
        /**
         * @param phase the phase
         * @param nanos its duration
         */
        void record(Phase phase, long nanos);
    }

    /**
     * @param mlp the network
     * @param loss the loss
     * @param x m×d batch inputs (not modified; owned by the caller)
     * @param y m×O batch targets (not modified; owned by the caller)
     * @param ntk the kernel of the network (its own meters off or on, as the caller likes)
     * @param sink told about every timed piece of work
     */
    BatchObjective(Mlp mlp, Loss loss, Tensor x, Tensor y, EmpiricalNtk ntk, PhaseSink sink) {
        this.mlp = mlp;
        this.loss = loss;
        this.x = x;
        this.y = y;
        this.ntk = ntk;
        this.sink = sink;
    }

    /** @return the nanoseconds spent per phase so far (a live view, not to be modified) */
    Map<Phase, Long> phaseNanos() {
        return nanos;
    }

    @Override
    public Backend backend() {
        return x.backend();
    }

    @Override
    public double loss(Params params) {
        return timed(Phase.FORWARD, () -> {
            try (Tensor out = mlp.apply(params, x)) {
                return loss.value(out, y);
            }
        });
    }

    @Override
    public LossAndGradient lossAndGradient(Params params) {
        try (ForwardTrace trace = timed(Phase.FORWARD, () -> mlp.forward(params, x));
             Loss.Value v = timed(Phase.FORWARD, () -> loss.evaluate(trace.output(), y))) {
            Params g = timed(Phase.BACKWARD, () -> mlp.vjp(params, trace, v.gradient()));
            return new LossAndGradient(v.value(), g);
        }
    }

    @Override
    public Linearization linearize(Params params) {
        ForwardTrace trace = timed(Phase.FORWARD, () -> {
            ForwardTrace t = mlp.forward(params, x);
            // fill the derivative cache here, in the caller's scope: a cache filled inside the kernel's or the
            // backward pass's own scope would be closed with that scope while the trace still refers to it
            for (int l = 0; l < mlp.depth() - 1; l++) {
                t.derivative(l);
            }
            return t;
        });
        Loss.Value v = timed(Phase.FORWARD, () -> loss.evaluate(trace.output(), y));
        return new MlpLinearization(this, mlp, loss, params, trace, v, ntk);
    }

    @Override
    public <T> T timed(Phase phase, Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            long dt = System.nanoTime() - t0;
            nanos.merge(phase, dt, Long::sum);
            sink.record(phase, dt);
        }
    }
}
