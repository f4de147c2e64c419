package org.ntk4j.backend;

/** Thrown when a backend cannot be created: none on the classpath, or the one asked for is unavailable. */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the reason, with the backends that are available */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message the reason
     * @param cause the underlying failure
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
