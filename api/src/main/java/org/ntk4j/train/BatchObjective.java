package org.ntk4j.train;

import org.ntk4j.optim.Objective;

/** An {@link Objective} on one minibatch that remembers the first loss it evaluated: the loss before the step. */
public interface BatchObjective extends Objective {

    /** @return the first loss evaluated through this objective (NaN if none yet) */
    double firstLoss();
}
