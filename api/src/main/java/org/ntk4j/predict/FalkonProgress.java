package org.ntk4j.predict;

/** Told how a {@link Falkon} fit advances: kernel tiles, then conjugate-gradient iterations. */
public interface FalkonProgress {

    /** Progress that is not reported. */
    FalkonProgress NONE = new FalkonProgress() {
    };

    /**
     * After every kernel tile.
     *
     * @param phase {@code "K_MM"}, {@code "K_NM"} (the tiles kept or, when recomputed, those of the first pass)
     *              or {@code "K_test"}
     * @param done tiles finished in this phase, 1..total
     * @param total tiles the phase has
     */
    default void kernelTile(String phase, int done, int total) {
    }

    /**
     * After every conjugate-gradient iteration.
     *
     * @param iteration the iteration, from 1
     * @param residual the largest relative residual ‖b − Wβ‖/‖b‖ over the target columns still iterating
     */
    default void iteration(int iteration, double residual) {
    }
}
