package org.ntk4j.backend.nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused composites of {@link Nd4jBackend}: single passes over the off-heap buffers where the ops ND4J
 * offers would take several passes, gathers or transposes. Large passes are split by rows over the common
 * fork–join pool.
 */
final class Nd4jFused {

    /** Passes over at least this many elements run in parallel. */
    private static final long PARALLEL_ELEMENTS = 1 << 18;

    private Nd4jFused() {
    }

    /**
     * acc[r][c] += dg[r][c]·(scale·ig[r / rr][c / cr] + shift), in one pass.
     *
     * @param dg the delta Gram (not modified)
     * @param ig the input Gram (not modified)
     * @param rr rows of dg per row of ig
     * @param cr columns of dg per column of ig
     * @param scale factor on ig
     * @param shift constant added to the scaled ig
     * @param acc modified
     */
    static void ntkLayerAccumulate(INDArray dg, INDArray ig, int rr, int cr, double scale, double shift,
                                   INDArray acc) {
        int rows = acc.rows();
        int cols = acc.columns();
        int n2 = ig.columns();
        boolean dbl = acc.dataType() == DataType.DOUBLE;
        IntStream range = IntStream.range(0, rows);
        if ((long) rows * cols >= PARALLEL_ELEMENTS) {
            range = range.parallel();
        }
        if (dbl) {
            DoubleBuffer d = dg.data().asNioDouble();
            DoubleBuffer g = ig.data().asNioDouble();
            DoubleBuffer a = acc.data().asNioDouble();
            range.forEach(r -> {
                int gi = (r / rr) * n2;
                int row = r * cols;
                for (int j = 0; j < n2; j++) {
                    double v = scale * g.get(gi + j) + shift;
                    int c0 = row + j * cr;
                    for (int q = c0; q < c0 + cr; q++) {
                        a.put(q, a.get(q) + d.get(q) * v);
                    }
                }
            });
        } else {
            FloatBuffer d = dg.data().asNioFloat();
            FloatBuffer g = ig.data().asNioFloat();
            FloatBuffer a = acc.data().asNioFloat();
            float fs = (float) scale;
            float fb = (float) shift;
            range.forEach(r -> {
                int gi = (r / rr) * n2;
                int row = r * cols;
                for (int j = 0; j < n2; j++) {
                    float v = fs * g.get(gi + j) + fb;
                    int c0 = row + j * cr;
                    for (int q = c0; q < c0 + cr; q++) {
                        a.put(q, a.get(q) + d.get(q) * v);
                    }
                }
            });
        }
    }

    /**
     * Adam's moments and update in one pass (see {@code Backend.adamUpdate}), computed in double precision and
     * rounded once on the way out for floats. Every element is read before it is written, so mOut may be m and
     * vOut may be v.
     *
     * @param g the gradient (not modified)
     * @param m the first moment (not modified unless it is mOut)
     * @param v the second moment (not modified unless it is vOut)
     * @param b1 β₁
     * @param b2 β₂
     * @param step the factor on the update
     * @param vScale the factor under the root
     * @param eps added to the root
     * @param mOut modified
     * @param vOut modified
     * @param uOut modified
     */
    static void adamUpdate(INDArray g, INDArray m, INDArray v, double b1, double b2, double step, double vScale,
                           double eps, INDArray mOut, INDArray vOut, INDArray uOut) {
        int n = (int) g.length();
        int chunk = 1 << 14;
        IntStream range = IntStream.range(0, (n + chunk - 1) / chunk);
        if (n >= PARALLEL_ELEMENTS) {
            range = range.parallel();
        }
        double a1 = 1 - b1;
        double a2 = 1 - b2;
        if (g.dataType() == DataType.DOUBLE) {
            DoubleBuffer dg = g.data().asNioDouble();
            DoubleBuffer dm = m.data().asNioDouble();
            DoubleBuffer dv = v.data().asNioDouble();
            DoubleBuffer om = mOut.data().asNioDouble();
            DoubleBuffer ov = vOut.data().asNioDouble();
            DoubleBuffer ou = uOut.data().asNioDouble();
            range.forEach(c -> {
                // on heap copies of small pieces, where the loop becomes vector code (square root and division
                // included); on the buffers themselves it stays one element at a time
                double[] xg = new double[Nd4jLoops.CHUNK];
                double[] xm = new double[Nd4jLoops.CHUNK];
                double[] xv = new double[Nd4jLoops.CHUNK];
                int end = Math.min(n, (c + 1) * chunk);
                for (int p = c * chunk; p < end; p += Nd4jLoops.CHUNK) {
                    int k = Math.min(Nd4jLoops.CHUNK, end - p);
                    dg.get(p, xg, 0, k);
                    dm.get(p, xm, 0, k);
                    dv.get(p, xv, 0, k);
                    for (int i = 0; i < k; i++) {
                        double gi = xg[i];
                        double mi = b1 * xm[i] + a1 * gi;
                        double vi = b2 * xv[i] + a2 * (gi * gi);
                        xm[i] = mi;
                        xv[i] = vi;
                        xg[i] = -step * (mi / (Math.sqrt(vScale * vi) + eps));
                    }
                    om.put(p, xm, 0, k);
                    ov.put(p, xv, 0, k);
                    ou.put(p, xg, 0, k);
                }
            });
        } else {
            FloatBuffer fg = g.data().asNioFloat();
            FloatBuffer fm = m.data().asNioFloat();
            FloatBuffer fv = v.data().asNioFloat();
            FloatBuffer om = mOut.data().asNioFloat();
            FloatBuffer ov = vOut.data().asNioFloat();
            FloatBuffer ou = uOut.data().asNioFloat();
            range.forEach(c -> {
                int end = Math.min(n, (c + 1) * chunk);
                for (int i = c * chunk; i < end; i++) {
                    double gi = fg.get(i);
                    float mi = (float) (b1 * fm.get(i) + a1 * gi);
                    float vi = (float) (b2 * fv.get(i) + a2 * (gi * gi));
                    om.put(i, mi);
                    ov.put(i, vi);
                    ou.put(i, (float) (-step * (mi / (Math.sqrt(vScale * vi) + eps))));
                }
            });
        }
    }

    /**
     * @param a a square array (not modified)
     * @return the sum of its diagonal, in double precision
     */
    static double trace(INDArray a) {
        long n = a.rows();
        double s = 0;
        if (a.dataType() == DataType.DOUBLE) {
            DoublePointer d = new DoublePointer(a.data().addressPointer());
            for (long i = 0; i < n; i++) {
                s += d.get(i * (n + 1));
            }
        } else {
            FloatPointer f = new FloatPointer(a.data().addressPointer());
            for (long i = 0; i < n; i++) {
                s += f.get(i * (n + 1));
            }
        }
        return s;
    }

    /**
     * a ← a + shift·I, through JavaCPP pointers (an NIO view ends at 2 GiB).
     *
     * @param shift the value added to the diagonal
     * @param a a square array, modified
     */
    static void addToDiagonal(double shift, INDArray a) {
        long n = a.rows();
        if (a.dataType() == DataType.DOUBLE) {
            DoublePointer d = new DoublePointer(a.data().addressPointer());
            for (long i = 0; i < n; i++) {
                long k = i * (n + 1);
                d.put(k, d.get(k) + shift);
            }
        } else {
            FloatPointer f = new FloatPointer(a.data().addressPointer());
            float s = (float) shift;
            for (long i = 0; i < n; i++) {
                long k = i * (n + 1);
                f.put(k, f.get(k) + s);
            }
        }
    }
}
