package org.ntk4j.train;

import org.ntk4j.nn.HostParams;

/**
 * How a training run ended.
 *
 * @param stop why it stopped
 * @param message a sentence for people: the reason with the numbers
 * @param iterations the number of updates done in total (a resumed run counts those before the checkpoint)
 * @param iterationsToTarget the iteration at which the target test accuracy was first reached, or −1
 * @param nanosToTarget the wall time of this run until then, or −1
 * @param nanos the wall time of this run
 * @param testAccuracy the last evaluated test accuracy (NaN if never evaluated)
 * @param testLoss the last evaluated test loss
 * @param trainAccuracy the last evaluated training accuracy
 * @param trainLoss the last evaluated training loss
 * @param params the parameters at the end (after a divergence: those before the diverged step): {@code MlpParams}
 *     for an MLP, {@code ModelParams} for a layered model
 */
public record TrainingResult(Stop stop, String message, long iterations, long iterationsToTarget, long nanosToTarget,
                             long nanos, double testAccuracy, double testLoss, double trainAccuracy, double trainLoss,
                             HostParams params) {

    /** Why training stopped. */
    public enum Stop {
        /** The test accuracy reached the target. */
        TARGET_REACHED,
        /** The iteration budget was used up. */
        BUDGET_EXHAUSTED,
        /** The loss blew up: NaN, infinite, far above its initial value, or rising evaluation after evaluation. */
        DIVERGED,
        /** The caller asked training to stop (e.g. Ctrl-C) and it stopped after a whole iteration. */
        INTERRUPTED
    }
}
