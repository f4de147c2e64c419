package org.ntk4j.backend.nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntk4j.backend.WindowGeometry;

/**
 * The window primitives on ND4J arrays: im2col and col2im as loops over the arrays' off-heap buffers (no host
 * copies), segmented outer sums as one batched matrix product.
 */
final class Nd4jWindows {

    private Nd4jWindows() {
    }

    /**
     * @param x N × sampleSize, contiguous c-order (not modified)
     * @param g the geometry
     * @param out (N·positions) × windowSize, contiguous c-order, overwritten
     */
    static void im2col(INDArray x, WindowGeometry g, INDArray out) {
        int n = (int) x.rows();
        int len = g.positions() * g.windowSize();
        int size = g.sampleSize();
        int[] idx = g.sampleIndex();
        if (x.dataType() == DataType.DOUBLE) {
            DoubleBuffer in = x.data().asNioDouble();
            DoubleBuffer o = out.data().asNioDouble();
            for (int s = 0; s < n; s++) {
                for (int e = 0; e < len; e++) {
                    int m = idx[e];
                    o.put(s * len + e, m < 0 ? 0 : in.get(s * size + m));
                }
            }
        } else {
            FloatBuffer in = x.data().asNioFloat();
            FloatBuffer o = out.data().asNioFloat();
            for (int s = 0; s < n; s++) {
                for (int e = 0; e < len; e++) {
                    int m = idx[e];
                    o.put(s * len + e, m < 0 ? 0 : in.get(s * size + m));
                }
            }
        }
    }

    /**
     * @param cols (N·positions) × windowSize, contiguous c-order (not modified)
     * @param g the geometry
     * @param out N × sampleSize zeros, contiguous c-order; receives the sums
     */
    static void col2im(INDArray cols, WindowGeometry g, INDArray out) {
        int n = (int) out.rows();
        int len = g.positions() * g.windowSize();
        int size = g.sampleSize();
        int[] idx = g.sampleIndex();
        if (cols.dataType() == DataType.DOUBLE) {
            DoubleBuffer in = cols.data().asNioDouble();
            DoubleBuffer o = out.data().asNioDouble();
            for (int s = 0; s < n; s++) {
                for (int e = 0; e < len; e++) {
                    int m = idx[e];
                    if (m >= 0) {
                        int k = s * size + m;
                        o.put(k, o.get(k) + in.get(s * len + e));
                    }
                }
            }
        } else {
            FloatBuffer in = cols.data().asNioFloat();
            FloatBuffer o = out.data().asNioFloat();
            for (int s = 0; s < n; s++) {
                for (int e = 0; e < len; e++) {
                    int m = idx[e];
                    if (m >= 0) {
                        int k = s * size + m;
                        o.put(k, o.get(k) + in.get(s * len + e));
                    }
                }
            }
        }
    }

    /**
     * out[n] = alpha·a_nᵀ·b_n for the S-row blocks a_n, b_n, as one batched product of (N, S, p)ᵀ and (N, S, q).
     *
     * @param alpha the factor
     * @param a (N·S) × p (not modified)
     * @param b (N·S) × q (not modified)
     * @param segment S
     * @param out N × (p·q), overwritten
     */
    static void segmentedOuterSums(double alpha, INDArray a, INDArray b, int segment, INDArray out) {
        long n = out.rows();
        long p = a.columns();
        long q = b.columns();
        INDArray a3 = a.reshape('c', n, segment, p);
        INDArray b3 = b.reshape('c', n, segment, q);
        INDArray o3 = out.reshape('c', n, p, q);
        Nd4j.matmul(a3, b3, o3, true, false, false);
        if (alpha != 1) {
            o3.muli(alpha);
        }
    }
}
