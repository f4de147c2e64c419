package org.ntk4j.train;

import java.util.Arrays;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Loss;
import org.ntk4j.tensor.Tensor;

/**
 * The block-diagonal output Hessian H of a batch loss, applied to (m·O)×k tensors in the sample-major layout:
 * I/O for the squared error, diag(p_i) − p_i·p_iᵀ per sample for softmax cross-entropy (the softmax of the
 * outputs, taken once).
 */
final class OutputHessian {

    private final Loss loss;
    private final Tensor output;
    private final int m;
    private final int o;
    private double[] probabilities;

    /**
     * @param loss the loss
     * @param output the m×O outputs (not modified; read until this helper is dropped)
     */
    OutputHessian(Loss loss, Tensor output) {
        this.loss = loss;
        this.output = output;
        this.m = output.rows();
        this.o = output.cols();
    }

    /** @return c when H = c·I (1/O for the squared error), NaN otherwise */
    double isotropic() {
        return loss == Loss.MSE ? 1.0 / o : Double.NaN;
    }

    /**
     * @param a an (m·O)×k tensor (not modified)
     * @return a new (m·O)×k tensor H·A
     */
    Tensor times(Tensor a) {
        int n = m * o;
        if (a.rows() != n) {
            throw new IllegalArgumentException("hessianTimes: expected " + n + " rows, got " + a.shape());
        }
        Backend b = a.backend();
        if (loss == Loss.MSE) {
            Tensor r = b.zeros(a.rows(), a.cols(), a.dtype());
            b.scale(1.0 / o, a, r);
            return r;
        }
        if (probabilities == null) {
            probabilities = Loss.softmaxRows(b.toHost(output), m, o);
        }
        double[] p = probabilities;
        int k = a.cols();
        double[] v = b.toHost(a);
        double[] out = new double[v.length];
        double[] mix = new double[k];
        for (int i = 0; i < m; i++) {
            Arrays.fill(mix, 0);
            for (int c = 0; c < o; c++) {
                double pc = p[i * o + c];
                int row = (i * o + c) * k;
                for (int j = 0; j < k; j++) {
                    mix[j] += pc * v[row + j];
                }
            }
            for (int c = 0; c < o; c++) {
                double pc = p[i * o + c];
                int row = (i * o + c) * k;
                for (int j = 0; j < k; j++) {
                    out[row + j] = pc * (v[row + j] - mix[j]);
                }
            }
        }
        return b.fromHost(out, a.rows(), k, a.dtype());
    }
}
