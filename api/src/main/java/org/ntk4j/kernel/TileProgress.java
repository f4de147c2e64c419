package org.ntk4j.kernel;

/** Told after every tile of a tiled kernel computation; for progress bars. */
@FunctionalInterface
public interface TileProgress {

    /** A progress callback that does nothing. */
    TileProgress NONE = (done, total) -> { };

    /**
     * @param done the number of tiles finished, 1..total
     * @param total the number of tiles the computation has
     */
    void tileDone(int done, int total);
}
