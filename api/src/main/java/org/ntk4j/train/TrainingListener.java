package org.ntk4j.train;

/** Told about every training iteration and the end of training, on the training thread. */
public interface TrainingListener {

    /**
     * @param event the iteration just finished
     */
    void onIteration(IterationEvent event);

    /**
     * @param result how training ended; the default does nothing
     */
    default void onFinish(TrainingResult result) {
    }
}
