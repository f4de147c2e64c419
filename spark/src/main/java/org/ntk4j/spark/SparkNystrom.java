package org.ntk4j.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ntk4j.backend.Backend;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.predict.KernelTiles;
import org.ntk4j.predict.KnmTile;
import org.ntk4j.predict.NystromProducts;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * K_NM spread over Spark executors: the samples partitioned by rows, one K_NM tile a partition, the centres
 * broadcast. Each product broadcasts its vector, every partition returns its tile's share, and the driver adds
 * the shares in tile order — the single-machine order. The tiles are cached on the executors (in
 * {@code precision}) or recomputed for every product.
 */
final class SparkNystrom implements NystromProducts, AutoCloseable {

    private final JavaSparkContext sc;
    private final int n;
    private final int m;
    private final JavaRDD<KnmTile> kept;
    private final JavaRDD<RowBlock> blocks;
    private final Broadcast<double[]> centres;
    private final KernelSpec spec;

    SparkNystrom(JavaSparkContext sc, KernelSpec spec, List<RowBlock> rows, double[] centres, int d, boolean keep,
                 Precision precision) {
        this.sc = sc;
        this.spec = spec;
        this.n = rows.stream().mapToInt(RowBlock::rows).sum();
        this.m = centres.length / d;
        this.centres = sc.broadcast(centres);
        this.blocks = sc.parallelize(rows, rows.size());
        if (keep) {
            Broadcast<double[]> c = this.centres;
            kept = blocks.map(b -> tile(spec, b, c.value(), precision)).persist(StorageLevel.MEMORY_ONLY());
            kept.count();
        } else {
            kept = null;
        }
    }

    /** K(block, centres) on this executor's backend. */
    static KnmTile tile(KernelSpec spec, RowBlock b, double[] centres, Precision precision) {
        Backend be = ExecutorBackend.get();
        int d = b.d();
        try (TensorScope scope = be.scope()) {
            Tensor c = be.fromHost(centres, centres.length / d, d, DType.F64);
            double[] values = KernelTiles.block(be, spec.kernel(), b.x(), d, 0, b.rows(), c);
            return KnmTile.of(values, b.firstRow(), b.rows(), c.rows(), precision);
        }
    }

    @Override
    public int samples() {
        return n;
    }

    @Override
    public int centres() {
        return m;
    }

    /** A tile's share of a product, added on the executor's backend into a C×M accumulator. */
    private interface Share extends java.io.Serializable {
        void add(KnmTile tile, Backend be, double[] vector, Tensor acc);
    }

    @Override
    public double[] gram(double[] v, int c) {
        return sum(v, c, (tile, be, vec, acc) -> {
            Tensor vt = be.fromHost(vec, c, vec.length / c, DType.F64);
            tile.gramInto(be, vt, acc, null);
        });
    }

    @Override
    public double[] transposeTimes(double[] y, int c) {
        return sum(y, c, (tile, be, vec, acc) -> tile.transposeTimesInto(be, vec, c, acc, null));
    }

    private double[] sum(double[] vector, int c, Share share) {
        Broadcast<double[]> bv = sc.broadcast(vector);
        int cols = m;
        List<double[]> parts;
        if (kept != null) {
            parts = kept.map(tile -> share(share, tile, bv.value(), c, cols)).collect();
        } else {
            Broadcast<double[]> cb = centres;
            KernelSpec s = spec;
            parts = blocks.map(b -> share(share, tile(s, b, cb.value(), Precision.F64), bv.value(), c, cols))
                    .collect();
        }
        bv.destroy();
        int size = c * m;
        double[] total = new double[size];
        for (double[] p : parts) {
            for (int i = 0; i < size; i++) {
                total[i] += p[i];
            }
        }
        return total;
    }

    /** One tile's share on this executor's backend, as a C×M host array. */
    private static double[] share(Share share, KnmTile tile, double[] vector, int c, int m) {
        Backend be = ExecutorBackend.get();
        try (TensorScope scope = be.scope()) {
            Tensor acc = be.zeros(c, m, DType.F64);
            share.add(tile, be, vector, acc);
            return be.toHost(acc);
        }
    }

    /**
     * @param x row-major N×d samples (not modified)
     * @param d the number of features
     * @param tileRows rows per block
     * @return the samples cut into blocks of rows
     */
    static List<RowBlock> blocks(double[] x, int d, int tileRows) {
        int n = x.length / d;
        List<RowBlock> out = new ArrayList<>();
        for (int r0 = 0; r0 < n; r0 += tileRows) {
            int r1 = Math.min(n, r0 + tileRows);
            double[] rows = new double[(r1 - r0) * d];
            System.arraycopy(x, r0 * d, rows, 0, rows.length);
            out.add(new RowBlock(r0, r1 - r0, rows, d));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public void close() {
        if (kept != null) {
            kept.unpersist(false);
        }
        centres.destroy();
    }
}
