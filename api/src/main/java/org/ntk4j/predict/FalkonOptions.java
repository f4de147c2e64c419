package org.ntk4j.predict;

import java.util.Objects;

/**
 * The settings of a {@link Falkon} fit. Immutable; the {@code with…} methods return modified copies.
 *
 * @param centres the number M of Nyström centres, ≥ 1 (capped at N)
 * @param ridge λ &gt; 0 of the Nyström normal equations (K_NMᵀK_NM + λ·N·K_MM)·α = K_NMᵀ·y
 * @param tolerance stop when every target column's relative residual ‖b − Wβ‖/‖b‖ of the preconditioned system
 *                  is at most this, &gt; 0
 * @param maxIterations stop after this many conjugate-gradient iterations at most, ≥ 1
 * @param seed the seed of the uniform choice of centres
 * @param tileRows rows of X per K_NM tile, ≥ 1, or 0 to choose about 2²³ kernel values per tile
 * @param storage whether K_NM is kept in memory or recomputed every iteration
 * @param precision the precision K_NM is kept in, when it is kept
 */
public record FalkonOptions(int centres, double ridge, double tolerance, int maxIterations, long seed, int tileRows,
                            Storage storage, Precision precision) {

    /** Where the N×M kernel lives between iterations. */
    public enum Storage {
        /** In memory when it fits in about half the free heap, recomputed otherwise. */
        AUTO,
        /** In memory: O(N·M) values. */
        MEMORY,
        /** Recomputed tile by tile in every iteration: O(tile·M + M²) values. */
        RECOMPUTE
    }

    /** The precision of a K_NM kept in memory. */
    public enum Precision {
        /** 4 bytes a value. */
        F32,
        /** 8 bytes a value. */
        F64
    }

    /** Checks the values. */
    public FalkonOptions {
        if (centres < 1) {
            throw new IllegalArgumentException("centres must be ≥ 1, got " + centres);
        }
        if (!(ridge > 0) || !Double.isFinite(ridge)) {
            throw new IllegalArgumentException("ridge λ must be finite and > 0, got " + ridge);
        }
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("CG tolerance must be finite and > 0, got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("CG iterations must be ≥ 1, got " + maxIterations);
        }
        if (tileRows < 0) {
            throw new IllegalArgumentException("tile rows must be ≥ 0 (0: automatic), got " + tileRows);
        }
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(precision, "precision");
    }

    /**
     * @param centres the number of Nyström centres M
     * @return M centres, λ = 1e-6, tolerance 1e-7, at most 100 iterations, seed 0, automatic tiles and storage,
     *         K_NM kept in F64
     */
    public static FalkonOptions of(int centres) {
        return new FalkonOptions(centres, 1e-6, 1e-7, 100, 0, 0, Storage.AUTO, Precision.F64);
    }

    /**
     * @param l λ &gt; 0
     * @return a copy with that ridge
     */
    public FalkonOptions withRidge(double l) {
        return new FalkonOptions(centres, l, tolerance, maxIterations, seed, tileRows, storage, precision);
    }

    /**
     * @param tol the relative residual tolerance &gt; 0
     * @param iterations the iteration cap ≥ 1
     * @return a copy with that stopping rule
     */
    public FalkonOptions withStopping(double tol, int iterations) {
        return new FalkonOptions(centres, ridge, tol, iterations, seed, tileRows, storage, precision);
    }

    /**
     * @param s the seed of the centres
     * @return a copy with that seed
     */
    public FalkonOptions withSeed(long s) {
        return new FalkonOptions(centres, ridge, tolerance, maxIterations, s, tileRows, storage, precision);
    }

    /**
     * @param rows rows per K_NM tile, ≥ 1, or 0 for automatic
     * @return a copy with that tile height
     */
    public FalkonOptions withTileRows(int rows) {
        return new FalkonOptions(centres, ridge, tolerance, maxIterations, seed, rows, storage, precision);
    }

    /**
     * @param s where K_NM lives
     * @param p its precision when kept
     * @return a copy with that storage
     */
    public FalkonOptions withStorage(Storage s, Precision p) {
        return new FalkonOptions(centres, ridge, tolerance, maxIterations, seed, tileRows, s, p);
    }

    /**
     * @param m the number of centres actually used
     * @return the tile height: {@link #tileRows} or, when 0, about 2²³ values a tile
     */
    public int tileRowsFor(int m) {
        return tileRows > 0 ? tileRows : Math.max(1, (1 << 23) / m);
    }
}
