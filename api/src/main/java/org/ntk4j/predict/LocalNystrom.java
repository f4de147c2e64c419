package org.ntk4j.predict;

import java.util.stream.IntStream;
import org.ntk4j.backend.Backend;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.tensor.Tensor;

/**
 * K_NM on one machine: its tiles computed on a backend and either kept on the host (then the products run over
 * the tiles in parallel) or recomputed for every product. Either way a product sums the tiles' shares in tile
 * order, so both modes give the same numbers for F64 tiles.
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
        return sum(c, (tile, acc) -> tile.gramInto(v, c, acc), false);
    }

    @Override
    public double[] transposeTimes(double[] y, int c) {
        return sum(c, (tile, acc) -> tile.transposeTimesInto(y, c, acc), true);
    }

    private interface Share {
        void add(KnmTile tile, double[] acc);
    }

    private double[] sum(int c, Share share, boolean report) {
        int m = centres.rows();
        double[] total = new double[c * m];
        if (kept != null) {
            double[][] parts = IntStream.range(0, tiles).parallel().mapToObj(t -> {
                double[] acc = new double[c * m];
                share.add(kept[t], acc);
                return acc;
            }).toArray(double[][]::new);
            for (double[] p : parts) {
                add(total, p);
            }
            return total;
        }
        for (int t = 0; t < tiles; t++) {
            KnmTile tile = KnmTile.of(compute(t), t * tileRows, rows(t), m, Precision.F64);
            double[] acc = new double[c * m];
            share.add(tile, acc);
            add(total, acc);
            if (report) {
                progress.kernelTile("K_NM", t + 1, tiles);
            }
        }
        return total;
    }

    private static void add(double[] total, double[] part) {
        for (int i = 0; i < total.length; i++) {
            total[i] += part[i];
        }
    }

    private int rows(int t) {
        return Math.min(n, (t + 1) * tileRows) - t * tileRows;
    }

    private double[] compute(int t) {
        return KernelTiles.block(backend, kernel, x, d, t * tileRows, t * tileRows + rows(t), centres);
    }
}
