package org.ntk4j.backend.nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.backend.spi.DualRows;

/**
 * The activation duals of {@link Nd4jBackend} on the off-heap buffers: each row is read into a small Java array,
 * evaluated by {@link DualRows} (the host reference's arithmetic, bit for bit in F64) and written back, so that no
 * kernel-sized copy is made and no kernel-sized array is allocated. Rows are split into chunks over the common
 * fork–join pool when the work is large; each chunk has its own row arrays. F32 values are widened to double for
 * the arithmetic and rounded when written.
 */
final class Nd4jDuals {

    /** Duals with a closed form run in parallel from this many elements; quadratures always do. */
    private static final long PARALLEL_ELEMENTS = 1 << 15;
    /** Elements per parallel chunk of rows, at least: enough work to outweigh the chunk's scheduling. */
    private static final int CHUNK_ELEMENTS = 1 << 14;

    private Nd4jDuals() {
    }

    /** One row of a dual, on its row arrays (see {@link #rows}). */
    private interface RowKernel {
        void apply(int row, double[][] rowArrays);
    }

    /**
     * outK ← E[φ(u)φ(v)], outKdot ← E[φ'(u)φ'(v)] for (u, v) with variances q1[i], q2[j], covariance k[i][j].
     *
     * @param f the activation
     * @param k n1×n2 covariances (not modified)
     * @param q1 n1×1 variances (not modified)
     * @param q2 n2×1 variances (not modified)
     * @param outK n1×n2, modified
     * @param outKdot n1×n2, modified
     */
    static void dual(Activation f, INDArray k, INDArray q1, INDArray q2, INDArray outK, INDArray outKdot) {
        double[] h1 = Nd4jMemory.read(q1);
        double[] h2 = Nd4jMemory.read(q2);
        int cols = h2.length;
        rows(f, h1.length, cols, new INDArray[] {k}, new INDArray[] {outK, outKdot},
                (i, r) -> DualRows.dual(f, h1[i], h2, r[0], 0, r[1], 0, r[2], 0, cols));
    }

    /**
     * sigma ← w·E[φ(u)φ(v)] + b, then theta ← sigma + w·(theta ⊙ E[φ'(u)φ'(v)]), for (u, v) with variances q1[i],
     * q2[j] and covariance sigma[i][j], in one pass.
     *
     * @param f the activation
     * @param sigma n1×n2 covariances, modified
     * @param q1 n1×1 variances (not modified)
     * @param q2 n2×1 variances (not modified)
     * @param w the weight variance
     * @param b the bias variance
     * @param theta n1×n2, modified
     */
    static void layer(Activation f, INDArray sigma, INDArray q1, INDArray q2, double w, double b, INDArray theta) {
        double[] h1 = Nd4jMemory.read(q1);
        double[] h2 = Nd4jMemory.read(q2);
        int cols = h2.length;
        rows(f, h1.length, cols, new INDArray[] {sigma, theta}, new INDArray[] {sigma, theta},
                (i, r) -> DualRows.layer(f, h1[i], h2, r[0], 0, r[1], 0, cols, w, b));
    }

    /**
     * Runs a row kernel over all rows. Its row arrays are, in order, the rows of {@code in} as read and then scratch
     * rows for the outputs that are not inputs; after the kernel, each output's row is written from its array (an
     * output that is also an input shares the input's array).
     */
    private static void rows(Activation f, int rows, int cols, INDArray[] in, INDArray[] out, RowKernel kernel) {
        INDArray[] all = union(in, out);
        int[] outIndex = new int[out.length];
        for (int o = 0; o < out.length; o++) {
            outIndex[o] = indexOf(all, out[o]);
        }
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / Math.max(1, cols));
        int chunks = (rows + chunkRows - 1) / chunkRows;
        IntStream range = IntStream.range(0, chunks);
        if (!ActivationDuals.hasClosedForm(f) || (long) rows * cols >= PARALLEL_ELEMENTS) {
            range = range.parallel();
        }
        range.forEach(c -> {
            Rows r = new Rows(all, cols);
            int end = Math.min(rows, (c + 1) * chunkRows);
            for (int i = c * chunkRows; i < end; i++) {
                int offset = i * cols;
                for (int a = 0; a < in.length; a++) {
                    r.read(a, offset);
                }
                kernel.apply(i, r.values);
                for (int o : outIndex) {
                    r.write(o, offset);
                }
            }
        });
    }

    private static INDArray[] union(INDArray[] in, INDArray[] out) {
        INDArray[] all = Arrays.copyOf(in, in.length + out.length);
        int n = in.length;
        for (INDArray o : out) {
            if (indexOf(in, o) < 0) {
                all[n++] = o;
            }
        }
        return Arrays.copyOf(all, n);
    }

    private static int indexOf(INDArray[] arrays, INDArray a) {
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == a) {
                return i;
            }
        }
        return -1;
    }

    /** One chunk's views of the buffers and its row arrays; F32 rows pass through a float row. */
    private static final class Rows {
        final double[][] values;
        private final DoubleBuffer[] doubles;
        private final FloatBuffer[] floats;
        private final float[] narrow;

        Rows(INDArray[] arrays, int cols) {
            values = new double[arrays.length][cols];
            boolean dbl = arrays[0].dataType() == DataType.DOUBLE;
            doubles = new DoubleBuffer[arrays.length];
            floats = new FloatBuffer[arrays.length];
            for (int a = 0; a < arrays.length; a++) {
                if (dbl) {
                    doubles[a] = arrays[a].data().asNioDouble();
                } else {
                    floats[a] = arrays[a].data().asNioFloat();
                }
            }
            narrow = dbl ? null : new float[cols];
        }

        void read(int a, int offset) {
            double[] row = values[a];
            if (narrow == null) {
                doubles[a].get(offset, row, 0, row.length);
                return;
            }
            floats[a].get(offset, narrow, 0, row.length);
            for (int j = 0; j < row.length; j++) {
                row[j] = narrow[j];
            }
        }

        void write(int a, int offset) {
            double[] row = values[a];
            if (narrow == null) {
                doubles[a].put(offset, row, 0, row.length);
                return;
            }
            for (int j = 0; j < row.length; j++) {
                narrow[j] = (float) row[j];
            }
            floats[a].put(offset, narrow, 0, row.length);
        }
    }
}
