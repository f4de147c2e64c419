package org.ntk4j.train;

import java.util.Map;
import org.ntk4j.optim.Phase;

/**
 * What happened in one training iteration. Evaluation fields are NaN in iterations without an evaluation.
 *
 * @param iteration the number of updates done, counting this one (1 for the first)
 * @param epoch the epoch of this iteration's batch
 * @param batchLoss the loss on this iteration's batch before the update
 * @param trainLoss the loss on the whole training split after the update, or NaN
 * @param trainAccuracy the accuracy on the training split after the update, or NaN
 * @param testLoss the loss on the test split after the update, or NaN
 * @param testAccuracy the accuracy on the test split after the update, or NaN
 * @param damping the optimizer's damping after the update (NaN for optimizers without one)
 * @param nanos the iteration's wall time, evaluation included
 * @param phases the time spent per phase in this iteration
 */
public record IterationEvent(long iteration, long epoch, double batchLoss, double trainLoss, double trainAccuracy,
                             double testLoss, double testAccuracy, double damping, long nanos,
                             Map<Phase, Long> phases) {

    /** @return whether the splits were evaluated in this iteration */
    public boolean evaluated() {
        return !Double.isNaN(testAccuracy);
    }
}
