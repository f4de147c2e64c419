package org.ntk4j.optim;

import java.util.Locale;

/** The timed phases of a training iteration; their lower-case names are the {@code phase} tag of the metrics. */
public enum Phase {
    /** Forward passes: outputs and losses. */
    FORWARD,
    /** Building the empirical NTK of the batch. */
    KERNEL,
    /** Dense linear solves. */
    SOLVE,
    /** Backward passes (vector–Jacobian products, gradients). */
    BACKWARD,
    /** Computing and applying the parameter updates. */
    UPDATE,
    /** Evaluating on the training or test split. */
    EVAL;

    /** @return the tag value: the lower-case name */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
