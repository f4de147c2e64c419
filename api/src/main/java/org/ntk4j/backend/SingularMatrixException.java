package org.ntk4j.backend;

/** Thrown by {@link Backend#luSolve} when the matrix is singular to working precision. */
public class SingularMatrixException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, e.g. the matrix size */
    public SingularMatrixException(String message) {
        super(message);
    }
}
