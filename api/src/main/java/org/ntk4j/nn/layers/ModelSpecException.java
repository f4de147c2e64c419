package org.ntk4j.nn.layers;

/** A model spec that cannot be read: the message names the token and its position in one line. */
public final class ModelSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the problem, with the token and its position
     */
    public ModelSpecException(String message) {
        super(message);
    }
}
