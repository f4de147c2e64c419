package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A fitted {@link Falkon} model: f(x) = K(x, C)·α with its M centres C and C×M coefficients α, and how the
 * fit went. Immutable (the arrays are shared, not copied).
 */
public final class FalkonModel {

    private final CrossKernel kernel;
    private final double[] centres;
    private final int d;
    private final double[] alpha;
    private final int c;
    private final int iterations;
    private final double residual;
    private final boolean inMemory;
    private final long nanos;

    /**
     * @param kernel the kernel
     * @param centres row-major M×d centres (shared)
     * @param d the number of features
     * @param alpha C×M coefficients, column c at [c·M, (c+1)·M) (shared)
     * @param c the number of outputs C
     * @param iterations the conjugate-gradient iterations done
     * @param residual the largest final relative residual
     * @param inMemory whether K_NM was kept in memory
     * @param nanos the wall time of the fit
     */
    public FalkonModel(CrossKernel kernel, double[] centres, int d, double[] alpha, int c, int iterations,
                       double residual, boolean inMemory, long nanos) {
        this.kernel = kernel;
        this.centres = centres;
        this.d = d;
        this.alpha = alpha;
        this.c = c;
        this.iterations = iterations;
        this.residual = residual;
        this.inMemory = inMemory;
        this.nanos = nanos;
        if (centres.length % d != 0 || alpha.length != (long) centres.length / d * c) {
            throw new IllegalArgumentException("model: " + centres.length + " centre values of " + d + " features and "
                    + alpha.length + " coefficients for " + c + " outputs");
        }
    }

    /** @return the number of centres M */
    public int centreCount() {
        return centres.length / d;
    }

    /** @return the centres, row-major M×d (shared) */
    public double[] centres() {
        return centres;
    }

    /** @return the coefficients α, C×M (shared) */
    public double[] alpha() {
        return alpha;
    }

    /** @return the conjugate-gradient iterations done */
    public int iterations() {
        return iterations;
    }

    /** @return the largest relative residual when CG stopped */
    public double residual() {
        return residual;
    }

    /** @return whether K_NM was kept in memory (else recomputed every iteration) */
    public boolean inMemory() {
        return inMemory;
    }

    /** @return the wall time of the fit in nanoseconds */
    public long nanos() {
        return nanos;
    }

    /**
     * The outputs K(x, C)·α, computed in tiles of rows.
     *
     * @param backend the backend for the kernel tiles
     * @param x row-major rows×d samples (not modified)
     * @param tileRows rows per tile ≥ 1
     * @param progress told after every tile (phase {@code "K_test"})
     * @return row-major rows×C outputs
     */
    public double[] predict(Backend backend, double[] x, int tileRows, FalkonProgress progress) {
        if (x.length % d != 0 || tileRows < 1) {
            throw new IllegalArgumentException("predict: " + x.length + " values are not rows of " + d
                    + " features, or tile rows " + tileRows + " < 1");
        }
        int n = x.length / d;
        int m = centreCount();
        double[] out = new double[n * c];
        int tiles = (n + tileRows - 1) / tileRows;
        try (TensorScope scope = backend.scope()) {
            Tensor cx = backend.fromHost(centres, m, d, DType.F64);
            for (int t = 0; t < tiles; t++) {
                int r0 = t * tileRows;
                int r1 = Math.min(n, r0 + tileRows);
                KnmTile.of(KernelTiles.block(backend, kernel, x, d, r0, r1, cx), r0, r1 - r0, m, Precision.F64)
                        .timesInto(alpha, c, out);
                progress.kernelTile("K_test", t + 1, tiles);
            }
        }
        return out;
    }

    /**
     * @param scores row-major rows×C outputs (not modified)
     * @param labels the true class of every row
     * @return the fraction of rows whose arg-max output is their label
     */
    public static double accuracy(double[] scores, int[] labels) {
        int c = scores.length / labels.length;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int a = 1; a < c; a++) {
                if (scores[i * c + a] > scores[i * c + best]) {
                    best = a;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }
}
