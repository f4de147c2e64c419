package org.ntk4j.train;

/**
 * The network a {@link TrainingConfig} trains, with what only the data can say left open: the input shape and
 * the output width (the number of classes). Either an MLP ({@link MlpArchitecture}, trained on the structured
 * MLP path with parameters {@code W0}, {@code b0}, …) or any layered model ({@link LayerArchitecture}, parameters
 * {@code <layer index>/<name>}, trained through {@link ModelObjective}).
 */
public sealed interface Architecture permits MlpArchitecture, LayerArchitecture {

    /** @return a one-line description for reports, e.g. {@code mlp(256,256; relu)} or the model spec */
    String describe();
}
