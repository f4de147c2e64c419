package org.ntk4j.backend;

/**
 * One triangle of a square matrix, its diagonal included: the part a triangular operation on a shared buffer
 * reads and writes, the other strict triangle being left alone (LAPACK's {@code uplo}).
 */
public enum Triangle {
    /** Entries (i, j) with j ≤ i. */
    LOWER,
    /** Entries (i, j) with j ≥ i. */
    UPPER
}
