package org.ntk4j.train;

import java.util.Locale;

/**
 * Watches a run's losses for blow-up: a batch or training loss that is NaN or infinite, an evaluated training
 * loss more than {@code factor} times the reference (the first batch loss of the run), or one that rose at
 * {@code rising} evaluations in a row while above the reference. A single batch loss is held to finiteness only:
 * on a batch unlike the ones before it can spike for an iteration and recover.
 */
final class DivergenceWatch {

    private final double factor;
    private final int rising;
    private double reference;
    private double lastEvaluation = Double.NaN;
    private int risingCount;

    /**
     * @param factor how many times the reference loss counts as blown up (+∞: never)
     * @param rising how many rises in a row of the evaluated training loss count as divergence (0: never)
     * @param reference the reference loss, or NaN to take the first batch loss
     */
    DivergenceWatch(double factor, int rising, double reference) {
        this.factor = factor;
        this.rising = rising;
        this.reference = reference;
    }

    /** @return the reference loss, NaN before the first batch */
    double reference() {
        return reference;
    }

    /**
     * @param loss a batch loss, at the parameters before the step
     * @return why that loss shows divergence, or {@code null} when it does not
     */
    String batchLoss(double loss) {
        if (!Double.isFinite(loss)) {
            return "the batch loss is " + loss;
        }
        if (Double.isNaN(reference)) {
            reference = loss;
        }
        return null;
    }

    /**
     * @param trainLoss the training loss at an evaluation
     * @return why that loss shows divergence, or {@code null} when it does not
     */
    String evaluation(double trainLoss) {
        if (!Double.isFinite(trainLoss)) {
            return "the training loss is " + trainLoss;
        }
        if (reference > 0 && trainLoss > factor * reference) {
            return String.format(Locale.ROOT, "the training loss %.4g is more than %.4g times the initial %.4g",
                    trainLoss, factor, reference);
        }
        boolean rose = !Double.isNaN(lastEvaluation) && trainLoss > lastEvaluation && trainLoss > reference;
        risingCount = rose ? risingCount + 1 : 0;
        lastEvaluation = trainLoss;
        if (rising > 0 && risingCount >= rising) {
            return String.format(Locale.ROOT, "the training loss rose at %d evaluations in a row, to %.4g (initially"
                    + " %.4g)", risingCount, trainLoss, reference);
        }
        return null;
    }
}
