package org.ntk4j.nn;

import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * A loss of network outputs F (N×O) against targets Y (N×O), with its gradient with respect to F.
 *
 * <ul>
 *   <li>{@link #MSE}: L = (1/(2n))·‖F − Y‖² with n = N·O, half the mean squared error over all elements —
 *       the convention of DESIGN §5c and neural-tangents' {@code predict}; ∂L/∂F = (F − Y)/n.</li>
 *   <li>{@link #SOFTMAX_CROSS_ENTROPY}: L = −(1/N)·Σ_i Σ_a Y_ia·log softmax(F_i)_a, the mean over samples;
 *       Y holds one-hot (or any probability) rows; ∂L/∂F = (softmax(F) − Y)/N. The softmax runs on the host
 *       (the SPI has no exponential), on the N×O outputs only.</li>
 * </ul>
 */
public enum Loss {
    /** Half mean squared error. */
    MSE,
    /** Softmax cross-entropy, mean over samples. */
    SOFTMAX_CROSS_ENTROPY;

    /**
     * The value and gradient of a loss.
     *
     * @param value the loss
     * @param gradient N×O gradient with respect to the outputs (owned by the caller or the current scope)
     */
    public record Value(double value, Tensor gradient) implements AutoCloseable {
        /** Closes the gradient. */
        @Override
        public void close() {
            gradient.close();
        }
    }

    /**
     * Parses {@code mse} or {@code softmax_cross_entropy} (also {@code xent}, {@code cross_entropy}).
     *
     * @param text the name
     * @return the loss
     */
    public static Loss parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (s) {
            case "mse": return MSE;
            case "softmax_cross_entropy":
            case "cross_entropy":
            case "xent": return SOFTMAX_CROSS_ENTROPY;
            default: throw new IllegalArgumentException("unknown loss '" + text + "'; known: mse, softmax_cross_entropy");
        }
    }

    /**
     * @param outputs N×O network outputs (not modified)
     * @param targets N×O targets (not modified)
     * @return the loss value
     */
    public double value(Tensor outputs, Tensor targets) {
        try (Value v = evaluate(outputs, targets)) {
            return v.value();
        }
    }

    /**
     * @param outputs N×O network outputs (not modified)
     * @param targets N×O targets on the same backend (not modified)
     * @return the value and a new gradient tensor
     */
    public Value evaluate(Tensor outputs, Tensor targets) {
        if (outputs.rows() != targets.rows() || outputs.cols() != targets.cols()) {
            throw new IllegalArgumentException(name().toLowerCase(Locale.ROOT) + ": outputs are " + outputs.shape()
                    + " but targets are " + targets.shape());
        }
        Backend be = outputs.backend();
        if (this == MSE) {
            double n = (double) outputs.size();
            Tensor g = be.zeros(outputs.rows(), outputs.cols(), outputs.dtype());
            be.axpby(1, outputs, -1, targets, g);
            double v = be.dot(g, g) / (2 * n);
            be.scale(1 / n, g, g);
            return new Value(v, g);
        }
        int rows = outputs.rows();
        int cols = outputs.cols();
        double[] f = be.toHost(outputs);
        double[] y = be.toHost(targets);
        double[] p = softmaxRows(f, rows, cols);
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < cols; a++) {
                max = Math.max(max, f[i * cols + a]);
            }
            double sum = 0;
            for (int a = 0; a < cols; a++) {
                sum += Math.exp(f[i * cols + a] - max);
            }
            double logZ = max + Math.log(sum);
            for (int a = 0; a < cols; a++) {
                double ya = y[i * cols + a];
                if (ya != 0) {
                    loss -= ya * (f[i * cols + a] - logZ);
                }
            }
        }
        double[] g = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            g[k] = (p[k] - y[k]) / rows;
        }
        return new Value(loss / rows, be.fromHost(g, rows, cols, outputs.dtype()));
    }

    /**
     * The row-wise softmax, computed stably (the row maximum is subtracted first).
     *
     * @param logits row-major rows×cols values (not modified)
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a new row-major array of probabilities
     */
    public static double[] softmaxRows(double[] logits, int rows, int cols) {
        double[] p = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < cols; a++) {
                max = Math.max(max, logits[i * cols + a]);
            }
            double sum = 0;
            for (int a = 0; a < cols; a++) {
                double e = Math.exp(logits[i * cols + a] - max);
                p[i * cols + a] = e;
                sum += e;
            }
            for (int a = 0; a < cols; a++) {
                p[i * cols + a] /= sum;
            }
        }
        return p;
    }
}
