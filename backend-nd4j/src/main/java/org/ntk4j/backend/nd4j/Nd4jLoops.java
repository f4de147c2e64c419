package org.ntk4j.backend.nd4j;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise operations on double arrays of up to {@value #SMALL} elements as Java loops over the off-heap
 * buffers, one thread. Each call of an ND4J op costs tens of microseconds before any arithmetic (op objects, a
 * scalar array for scalar ops, shape checks in native code), and OpenBLAS's level-1 routines split vectors of
 * more than 10,000 elements over its threads, whose hand-offs cost milliseconds when other processes hold the
 * cores; on the arrays of a training step (a minibatch's activations, the weights, their gradients and updates)
 * that is most of the op's time. So {@link Nd4jBackend} sends those arrays here, and larger ones, and floats,
 * to ND4J's native ops. The loops copy chunks of {@value #CHUNK} elements to the heap, where the JIT compiler
 * turns the arithmetic into vector code (on the buffers themselves it stays one element at a time). Each loop
 * reads an element before it writes it, so an output may be an input.
 */
final class Nd4jLoops {

    /** Double arrays of at most this many elements (8 MiB) take the loops. */
    static final long SMALL = 1 << 20;
    /** Elements per chunk of the loops that copy to the heap (three chunks fit in the L1 cache). */
    static final int CHUNK = 1 << 10;

    private Nd4jLoops() {
    }

    /**
     * @param out the output array of an op (not modified)
     * @return whether the op should run as a loop here: a double array of at most {@value #SMALL} elements
     */
    static boolean small(INDArray out) {
        return out.dataType() == DataType.DOUBLE && out.length() <= SMALL;
    }

    private static DoubleBuffer d(INDArray a) {
        return a.data().asNioDouble();
    }

    /** out ← a ⊙ b; all three the same shape (out modified). */
    static void hadamard(INDArray a, INDArray b, INDArray out) {
        DoubleBuffer x = d(a);
        DoubleBuffer y = d(b);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        double[] s = new double[Math.min(n, CHUNK)];
        double[] t = new double[s.length];
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            x.get(c, s, 0, m);
            y.get(c, t, 0, m);
            for (int i = 0; i < m; i++) {
                s[i] = s[i] * t[i];
            }
            o.put(c, s, 0, m);
        }
    }

    /** out ← alpha·x + beta·y; all three the same shape (out modified). */
    static void axpby(double alpha, INDArray x, double beta, INDArray y, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer b = d(y);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        double[] s = new double[Math.min(n, CHUNK)];
        double[] t = new double[s.length];
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            a.get(c, s, 0, m);
            b.get(c, t, 0, m);
            for (int i = 0; i < m; i++) {
                s[i] = alpha * s[i] + beta * t[i];
            }
            o.put(c, s, 0, m);
        }
    }

    /** out ← alpha·x + beta; same shape (out modified). */
    static void affine(double alpha, INDArray x, double beta, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        double[] s = new double[Math.min(n, CHUNK)];
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            a.get(c, s, 0, m);
            for (int i = 0; i < m; i++) {
                s[i] = alpha * s[i] + beta;
            }
            o.put(c, s, 0, m);
        }
    }

    /**
     * out[r][c] ← a[r][c] + (scale·row[c]), one row at a time on the heap (vector code there); out may be a.
     *
     * @param a rows×cols (not modified unless it is out)
     * @param scale the factor on the row (1 adds the row exactly)
     * @param row 1×cols (not modified)
     * @param out rows×cols, modified
     */
    static void addRowVector(INDArray a, double scale, INDArray row, INDArray out) {
        DoubleBuffer x = d(a);
        DoubleBuffer o = d(out);
        int rows = out.rows();
        int cols = out.columns();
        double[] v = new double[cols];
        d(row).get(0, v, 0, cols);
        for (int c = 0; c < cols; c++) {
            v[c] = scale * v[c];
        }
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            x.get(base, s, 0, cols);
            for (int c = 0; c < cols; c++) {
                s[c] = s[c] + v[c];
            }
            o.put(base, s, 0, cols);
        }
    }

    /** out[c] ← Σ_r a[r][c], summed from the first row down; out is 1×cols and not a (out modified). */
    static void columnSums(INDArray a, INDArray out) {
        DoubleBuffer x = d(a);
        int rows = a.rows();
        int cols = a.columns();
        double[] sum = new double[cols];
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) {
            x.get(r * cols, s, 0, cols);
            for (int c = 0; c < cols; c++) {
                sum[c] += s[c];
            }
        }
        d(out).put(0, sum, 0, cols);
    }

    /**
     * out ← (x &gt; 0 ? x : 0) as {@code Activation.apply} for ReLU (NaN and −0 give +0); same shape (out modified).
     * The signs of pre-activations are random, so a branch per element mispredicts half the time (a 128×256
     * array took 0.3–0.5 ms that way); this runs on chunks copied to the heap, where {@code Math.max} becomes
     * vector code, and a second loop, whose branch is never taken for finite input, turns NaN into 0.
     */
    static void relu(INDArray x, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        double[] s = new double[Math.min(n, CHUNK)];
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            a.get(c, s, 0, m);
            for (int i = 0; i < m; i++) {
                s[i] = Math.max(s[i], 0.0);
            }
            zeroNaN(s, m);
            o.put(c, s, 0, m);
        }
    }

    /**
     * out ← (x &gt; 0 ? 1 : 0), ReLU's derivative as {@code Activation.derivative} (NaN gives 0); same shape (out
     * modified). Branch-free as {@link #relu}: ⌈min(max(x, 0), 1)⌉ is 1 for every x &gt; 0, subnormals included.
     */
    static void reluDerivative(INDArray x, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        double[] s = new double[Math.min(n, CHUNK)];
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            a.get(c, s, 0, m);
            for (int i = 0; i < m; i++) {
                s[i] = Math.ceil(Math.min(Math.max(s[i], 0.0), 1.0));
            }
            zeroNaN(s, m);
            o.put(c, s, 0, m);
        }
    }

    /** s[i] ← 0 where s[i] is NaN, for i &lt; m (s modified). */
    private static void zeroNaN(double[] s, int m) {
        for (int i = 0; i < m; i++) {
            if (s[i] != s[i]) {
                s[i] = 0;
            }
        }
    }
}
