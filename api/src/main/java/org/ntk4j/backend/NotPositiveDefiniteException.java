package org.ntk4j.backend;

/** Thrown by {@link Backend#choleskySolve} when the matrix is not (numerically) symmetric positive definite. */
public class NotPositiveDefiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, e.g. the matrix size and the pivot that was not positive */
    public NotPositiveDefiniteException(String message) {
        super(message);
    }
}
