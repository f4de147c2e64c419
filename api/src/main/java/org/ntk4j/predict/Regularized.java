package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/** Helpers shared by the predictors: the identity, the mean trace, a diagonal shift. */
final class Regularized {

    private Regularized() {
    }

    static Tensor identity(Backend be, Tensor like) {
        int n = like.rows();
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) {
            eye[i * n + i] = 1;
        }
        return be.fromHost(eye, n, n, like.dtype());
    }

    static void requireSquare(Tensor k, String what) {
        if (k.rows() != k.cols()) {
            throw new IllegalArgumentException(what + " must be square, got " + k.shape());
        }
    }

    /**
     * @return a new tensor K + diagReg·(trace(K)/n)·I — neural-tangents' regularizer relative to the mean
     *         trace; {@code out[0]} receives the absolute shift
     */
    static Tensor shifted(Backend be, Tensor k, double diagReg, double[] shift) {
        return shiftInPlace(be, be.copy(k), diagReg, shift);
    }

    /**
     * @return {@code out}, modified: out + diagReg·(trace(out)/n)·I; {@code shift[0]} receives the absolute shift
     */
    static Tensor shiftInPlace(Backend be, Tensor out, double diagReg, double[] shift) {
        if (!(diagReg >= 0) || !Double.isFinite(diagReg)) {
            throw new IllegalArgumentException("diag_reg must be finite and ≥ 0, got " + diagReg);
        }
        Tensor k = out;
        if (diagReg > 0) {
            try (Tensor eye = identity(be, k)) {
                double s = diagReg * be.dot(k, eye) / k.rows();
                be.axpby(1, out, s, eye, out);
                shift[0] = s;
            }
        }
        return out;
    }
}
