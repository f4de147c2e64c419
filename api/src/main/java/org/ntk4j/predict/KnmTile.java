package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.spi.HostTriangular;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * One row block of the Nyström kernel K_NM: K(X_rows, C) for a run of consecutive samples against all M
 * centres, on the host in F32 or F64, and the products Falkon's conjugate gradient needs of it. M-vectors of C
 * target columns are stored column by column ("C×M": column c at [c·M, (c+1)·M)); sums are in F64.
 */
public final class KnmTile implements java.io.Serializable {

    /** Values of K_NM per block of a backend product: 8 MiB in F64. */
    private static final int BLOCK_VALUES = 1 << 20;

    private static final long serialVersionUID = 1L;

    private final int firstRow;
    private final int rows;
    private final int m;
    private final double[] f64;
    private final float[] f32;

    private KnmTile(int firstRow, int rows, int m, double[] f64, float[] f32) {
        this.firstRow = firstRow;
        this.rows = rows;
        this.m = m;
        this.f64 = f64;
        this.f32 = f32;
    }

    /**
     * @param values row-major rows×M kernel values (kept when F64, not modified)
     * @param firstRow the sample the tile's first row is
     * @param rows the rows
     * @param m the centres
     * @param precision F64 keeps the array, F32 rounds it into a new one
     * @return the tile
     */
    public static KnmTile of(double[] values, int firstRow, int rows, int m, Precision precision) {
        if ((long) rows * m != values.length) {
            throw new IllegalArgumentException("K_NM tile " + rows + "×" + m + " with " + values.length + " values");
        }
        if (precision == Precision.F64) {
            return new KnmTile(firstRow, rows, m, values, null);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new KnmTile(firstRow, rows, m, null, f);
    }

    /** @return the sample the tile's first row is */
    public int firstRow() {
        return firstRow;
    }

    /** @return the rows (samples) of the tile */
    public int rows() {
        return rows;
    }

    /** @return the bytes its values take */
    public long bytes() {
        return f64 != null ? 8L * f64.length : 4L * f32.length;
    }

    /**
     * Rows [r0, r1) of the tile as a new (r1 − r0)×M F64 tensor, F32 values widened exactly, so that their
     * products run as the backend's GEMM with F64 sums.
     *
     * @param backend the backend the tensor is made on
     * @param r0 the first row, inclusive, ≥ 0
     * @param r1 the last row, exclusive, ≤ {@link #rows()}
     * @param scratch host array the rows are copied into on the way, used when it holds exactly (r1 − r0)·M
     *                values (modified), otherwise a new one is made
     * @return the tensor, owned by the caller's scope
     */
    public Tensor toBackend(Backend backend, int r0, int r1, double[] scratch) {
        if (r0 < 0 || r1 > rows || r0 >= r1) {
            throw new IllegalArgumentException("rows [" + r0 + ", " + r1 + ") of a K_NM tile of " + rows);
        }
        int len = (r1 - r0) * m;
        if (f64 != null && len == f64.length) {
            return backend.fromHost(f64, rows, m, DType.F64);
        }
        double[] wide = scratch != null && scratch.length == len ? scratch : new double[len];
        int o = r0 * m;
        if (f64 != null) {
            System.arraycopy(f64, o, wide, 0, len);
        } else {
            for (int i = 0; i < len; i++) {
                wide[i] = f32[o + i];
            }
        }
        return backend.fromHost(wide, r1 - r0, m, DType.F64);
    }

    /**
     * acc += K_tᵀ·(K_t·vᵀ) on a backend: the tile's share of K_NMᵀK_NM·v, over blocks of {@link #blockRows}
     * rows in order, each copied to the backend in F64 (F32 widened exactly) and multiplied there by two GEMMs
     * with F64 sums. A block is small enough that its widening, its copy and its GEMMs find it in the cache.
     *
     * @param backend the backend of vt and acc
     * @param vt the C×M vector, F64 (not modified)
     * @param acc the C×M sum, F64 (modified)
     * @param scratch host array of {@link #blockRows}·M values the blocks are widened into (modified), or null
     */
    public void gramInto(Backend backend, Tensor vt, Tensor acc, double[] scratch) {
        int c = vt.rows();
        forBlocks(backend, scratch, (r0, k) -> {
            try (Tensor u = backend.zeros(k.rows(), c, DType.F64)) {
                backend.gemm(1, k, false, vt, true, 0, u);
                backend.gemm(1, u, true, k, false, 1, acc);
            }
        });
    }

    /**
     * acc += K_tᵀ·Y_t on a backend, block by block as {@link #gramInto(Backend, Tensor, Tensor, double[])}: the
     * tile's share of K_NMᵀ·Y.
     *
     * @param backend the backend of acc
     * @param y row-major N×C targets of all samples (not modified)
     * @param c the number of columns C
     * @param acc the C×M sum, F64 (modified)
     * @param scratch host array of {@link #blockRows}·M values (modified), or null
     */
    public void transposeTimesInto(Backend backend, double[] y, int c, Tensor acc, double[] scratch) {
        forBlocks(backend, scratch, (r0, k) -> {
            double[] part = new double[k.rows() * c];
            System.arraycopy(y, (firstRow + r0) * c, part, 0, part.length);
            try (Tensor yt = backend.fromHost(part, k.rows(), c, DType.F64)) {
                backend.gemm(1, yt, true, k, false, 1, acc);
            }
        });
    }

    /** @return the rows of one block of the backend products: about 2^20 values (8 MiB in F64) */
    public int blockRows() {
        return Math.max(1, Math.min(rows, BLOCK_VALUES / m));
    }

    /** One block's share of a product. */
    private interface BlockShare {
        void add(int firstRow, Tensor block);
    }

    private void forBlocks(Backend backend, double[] scratch, BlockShare share) {
        int block = blockRows();
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            try (TensorScope scope = backend.scope()) {
                share.add(r0, toBackend(backend, r0, r1, scratch));
            }
        }
    }

    /**
     * acc += K_tᵀ·(K_t·v): the tile's share of K_NMᵀK_NM·v.
     *
     * @param v C×M (not modified)
     * @param c the number of columns C
     * @param acc C×M (modified)
     */
    public void gramInto(double[] v, int c, double[] acc) {
        double[] u = new double[c];
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            for (int a = 0; a < c; a++) {
                u[a] = dotRow(o, v, a * m);
            }
            for (int a = 0; a < c; a++) {
                axpyRow(u[a], o, acc, a * m);
            }
        }
    }

    /**
     * acc += K_tᵀ·Y_t: the tile's share of K_NMᵀ·Y.
     *
     * @param y row-major N×C targets of all samples (not modified)
     * @param c the number of columns C
     * @param acc C×M (modified)
     */
    public void transposeTimesInto(double[] y, int c, double[] acc) {
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < c; a++) {
                axpyRow(y[(firstRow + r) * c + a], r * m, acc, a * m);
            }
        }
    }

    /**
     * out rows ← K_t·v: the tile's rows of K·v.
     *
     * @param v C×M (not modified)
     * @param c the number of columns C
     * @param out row-major outputs of all samples with C columns; the tile's rows are written (modified)
     */
    public void timesInto(double[] v, int c, double[] out) {
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < c; a++) {
                out[(firstRow + r) * c + a] = dotRow(r * m, v, a * m);
            }
        }
    }

    private double dotRow(int o, double[] v, int vo) {
        if (f64 != null) {
            return dot(f64, o, v, vo, m);
        }
        double s0 = 0;
        double s1 = 0;
        int k = 0;
        for (; k + 1 < m; k += 2) {
            s0 += f32[o + k] * v[vo + k];
            s1 += f32[o + k + 1] * v[vo + k + 1];
        }
        for (; k < m; k++) {
            s0 += f32[o + k] * v[vo + k];
        }
        return s0 + s1;
    }

    private void axpyRow(double alpha, int o, double[] acc, int ao) {
        if (alpha == 0) {
            return;
        }
        if (f64 != null) {
            for (int k = 0; k < m; k++) {
                acc[ao + k] += alpha * f64[o + k];
            }
        } else {
            for (int k = 0; k < m; k++) {
                acc[ao + k] += alpha * f32[o + k];
            }
        }
    }

    /** Σ_{k&lt;len} a[ao + k]·b[bo + k]: {@link HostTriangular#dot}. */
    static double dot(double[] a, int ao, double[] b, int bo, int len) {
        return HostTriangular.dot(a, ao, b, bo, len);
    }
}
