package org.ntk4j.train;

import java.util.function.Supplier;
import org.ntk4j.backend.Backend;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.Phase;
import org.ntk4j.tensor.Tensor;

/**
 * What the MLP's and a layered model's minibatch objectives share: the batch, the loss, the first loss value
 * seen, phase timing and flop counts. A subclass says how the network maps parameters and inputs to outputs
 * and how it is differentiated.
 */
abstract class MinibatchObjective implements BatchObjective {

    /** The loss. */
    final Loss loss;
    /** The batch inputs, m × input-size (not modified; must stay open). */
    final Tensor x;
    /** The batch targets, m×O (not modified; must stay open). */
    final Tensor y;
    /** Where phase durations go (modified). */
    final PhaseTimes times;
    private final TrainingMetrics metrics;
    private double firstLoss = Double.NaN;

    MinibatchObjective(Loss loss, Tensor x, Tensor y, PhaseTimes times, TrainingMetrics metrics) {
        this.loss = loss;
        this.x = x;
        this.y = y;
        this.times = times;
        this.metrics = metrics;
    }

    /**
     * @param params the parameters (not modified)
     * @return a new m×O tensor of the network's outputs on the batch
     */
    abstract Tensor apply(Params params);

    @Override
    public double firstLoss() {
        return firstLoss;
    }

    /** Remembers the first loss value evaluated. */
    final void seen(double value) {
        if (Double.isNaN(firstLoss)) {
            firstLoss = value;
        }
    }

    /**
     * The loss of a forward pass's outputs, timed as {@link Phase#FORWARD}; the trace is closed when that fails.
     *
     * @param trace the forward pass (closed only on failure)
     * @param output its m×O outputs (not modified)
     * @return the loss value and gradient
     */
    final Loss.Value evaluate(AutoCloseable trace, Tensor output) {
        Loss.Value v;
        try {
            v = times.time(Phase.FORWARD, () -> loss.evaluate(output, y));
        } catch (RuntimeException e) {
            try {
                trace.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        seen(v.value());
        return v;
    }

    @Override
    public Backend backend() {
        return x.backend();
    }

    @Override
    public double loss(Params params) {
        double v = times.time(Phase.FORWARD, () -> {
            try (Tensor out = apply(params)) {
                return loss.value(out, y);
            }
        });
        seen(v);
        return v;
    }

    @Override
    public <T> T timed(Phase phase, Supplier<T> work) {
        return times.time(phase, work);
    }

    @Override
    public void flops(String op, double count) {
        if (metrics != null) {
            metrics.addFlops(op, count);
        }
    }
}
