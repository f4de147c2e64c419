package org.ntk4j.cli;

/** An option value that is well-formed but unusable, found while running: reported like a usage error (exit 2). */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with which option
     */
    UsageException(String message) {
        super(message);
    }
}
