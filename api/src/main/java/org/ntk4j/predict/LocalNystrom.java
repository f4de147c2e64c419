package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * K_NM on one machine: its tiles computed on a backend and either kept on the host (F32 or F64) or recomputed for
 * every product. Either way a product runs over blocks of a few rows in sample order, each copied to the backend
 * in F64 (F32 values widened exactly) and multiplied there by GEMM with F64 sums into one C×M tensor; so both
 * modes give the same numbers for F64 tiles.
 */
final class LocalNystrom implements NystromProducts {

    private final Backend backend;
    private final CrossKernel kernel;
    private final double[] x;
    private final int d;
    private final int n;
    private final Tensor centres;
    private final int tileRows;
    private final int tiles;
    private final KnmTile[] kept;
    private final FalkonProgress progress;

    /**
     * @param keep whether to keep the tiles (in {@code precision}) rather than recompute them
     */
    LocalNystrom(Backend backend, CrossKernel kernel, double[] x, int d, Tensor centres, int tileRows, boolean keep,
                 Precision precision, FalkonProgress progress) {
        this.backend = backend;
        this.kernel = kernel;
        this.x = x;
        this.d = d;
        this.n = x.length / d;
        this.centres = centres;
        this.tileRows = tileRows;
        this.tiles = (n + tileRows - 1) / tileRows;
        this.progress = progress;
        if (keep) {
            kept = new KnmTile[tiles];
            for (int t = 0; t < tiles; t++) {
                kept[t] = KnmTile.of(compute(t), t * tileRows, rows(t), centres.rows(), precision);
                progress.kernelTile("K_NM", t + 1, tiles);
            }
        } else {
            kept = null;
        }
    }

    /** @return whether the tiles are kept in memory */
    boolean inMemory() {
        return kept != null;
    }

    @Override
    public int samples() {
        return n;
    }

    @Override
    public int centres() {
        return centres.rows();
    }

    @Override
    public double[] gram(double[] v, int c) {
        try (TensorScope scope = backend.scope()) {
            Tensor vt = backend.fromHost(v, c, centres.rows(), DType.F64);
            return sum(c, (tile, acc, scratch) -> tile.gramInto(backend, vt, acc, scratch), false);
        }
    }

    @Override
    public double[] transposeTimes(double[] y, int c) {
        return sum(c, (tile, acc, scratch) -> tile.transposeTimesInto(backend, y, c, acc, scratch), true);
    }

    /** A tile's share of a product, added into the C×M accumulator. */
    private interface Share {
        void add(KnmTile tile, Tensor acc, double[] scratch);
    }

    /** Σ over the tiles, in sample order, of their shares, into one C×M tensor. */
    private double[] sum(int c, Share share, boolean report) {
        int m = centres.rows();
        double[] scratch = null;
        try (TensorScope scope = backend.scope()) {
            Tensor acc = backend.zeros(c, m, DType.F64);
            for (int t = 0; t < tiles; t++) {
                KnmTile tile = kept != null ? kept[t] : KnmTile.of(compute(t), t * tileRows, rows(t), m, Precision.F64);
                if (scratch == null) {
                    scratch = new double[tile.blockRows() * m];
                }
                share.add(tile, acc, scratch);
                if (report && kept == null) {
                    progress.kernelTile("K_NM", t + 1, tiles);
                }
            }
            return backend.toHost(acc);
        }
    }

    private int rows(int t) {
        return Math.min(n, (t + 1) * tileRows) - t * tileRows;
    }

    private double[] compute(int t) {
        return KernelTiles.block(backend, kernel, x, d, t * tileRows, t * tileRows + rows(t), centres);
    }

}
