package org.ntk4j.backend.nd4j;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise operations on small double arrays as plain loops over the off-heap buffers. Each call of an ND4J
 * op costs tens of microseconds before any arithmetic (op objects, a scalar array for scalar ops, shape checks
 * in native code); on the arrays of a training step (a minibatch's activations, biases, the outputs) that
 * overhead is most of the op's time, so {@link Nd4jBackend} sends double arrays of fewer than
 * {@value #SMALL} elements here and larger ones, and floats, to ND4J's native ops. Each loop reads an element
 * before it writes it, so an output may be an input.
 */
final class Nd4jLoops {

    /** Arrays with fewer elements than this take the loops. */
    static final long SMALL = 1 << 16;

    private Nd4jLoops() {
    }

    /**
     * @param out the output array of an op (not modified)
     * @return whether the op should run as a loop here: a double array of fewer than {@value #SMALL} elements
     */
    static boolean small(INDArray out) {
        return out.dataType() == DataType.DOUBLE && out.length() < SMALL;
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
        for (int i = 0; i < n; i++) {
            o.put(i, x.get(i) * y.get(i));
        }
    }

    /** out ← alpha·x + beta·y; all three the same shape (out modified). */
    static void axpby(double alpha, INDArray x, double beta, INDArray y, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer b = d(y);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        for (int i = 0; i < n; i++) {
            o.put(i, alpha * a.get(i) + beta * b.get(i));
        }
    }

    /** out ← alpha·x + beta; same shape (out modified). */
    static void affine(double alpha, INDArray x, double beta, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        for (int i = 0; i < n; i++) {
            o.put(i, alpha * a.get(i) + beta);
        }
    }

    /** out[r][c] ← a[r][c] + row[c] (out modified). */
    static void addRowVector(INDArray a, INDArray row, INDArray out) {
        DoubleBuffer x = d(a);
        DoubleBuffer v = d(row);
        DoubleBuffer o = d(out);
        int rows = out.rows();
        int cols = out.columns();
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                o.put(base + c, x.get(base + c) + v.get(c));
            }
        }
    }

    /** out[c] ← Σ_r a[r][c]; out is 1×cols and not a (out modified). */
    static void columnSums(INDArray a, INDArray out) {
        DoubleBuffer x = d(a);
        DoubleBuffer o = d(out);
        int rows = a.rows();
        int cols = a.columns();
        for (int c = 0; c < cols; c++) {
            o.put(c, 0);
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                o.put(c, o.get(c) + x.get(base + c));
            }
        }
    }

    /** out ← max(x, 0) as {@code Activation.apply} for ReLU (x &gt; 0 ? x : 0); same shape (out modified). */
    static void relu(INDArray x, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        for (int i = 0; i < n; i++) {
            double v = a.get(i);
            o.put(i, v > 0 ? v : 0);
        }
    }

    /** out ← (x &gt; 0 ? 1 : 0), ReLU's derivative as {@code Activation.derivative}; same shape (out modified). */
    static void reluDerivative(INDArray x, INDArray out) {
        DoubleBuffer a = d(x);
        DoubleBuffer o = d(out);
        int n = (int) out.length();
        for (int i = 0; i < n; i++) {
            o.put(i, a.get(i) > 0 ? 1 : 0);
        }
    }
}
