package org.ntk4j.predict;

/**
 * The two products with the N×M Nyström kernel K_NM = K(X, C) that Falkon's conjugate gradient needs, however
 * K_NM is held: in memory, recomputed tile by tile, or spread over a cluster. M-vectors of C target columns are
 * stored column by column ("C×M": column c at [c·M, (c+1)·M)).
 */
public interface NystromProducts {

    /** @return the number of samples N */
    int samples();

    /** @return the number of centres M */
    int centres();

    /**
     * K_NMᵀ·(K_NM·v).
     *
     * @param v C×M (not modified)
     * @param c the number of columns C
     * @return a new C×M result
     */
    double[] gram(double[] v, int c);

    /**
     * K_NMᵀ·Y.
     *
     * @param y row-major N×C (not modified)
     * @param c the number of columns C
     * @return a new C×M result
     */
    double[] transposeTimes(double[] y, int c);
}
