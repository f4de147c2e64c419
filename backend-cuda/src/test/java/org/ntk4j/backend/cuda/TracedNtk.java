package org.ntk4j.backend.cuda;

import java.util.SplittableRandom;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The traced empirical NTK of a ReLU MLP in NTK parameterization, from backend primitives only, as the library
 * computes it: per output a, one backward pass for the deltas δ_a^l, and
 * Θ = (1/O)·Σ_a Σ_l (δ_a^l·δ_a^lᵀ) ⊙ ((σ_w²/n_l)·X^l·X^lᵀ + σ_b²), with σ_w = √2 and σ_b = 0.1. No Jacobian is
 * formed; the work is GEMMs of n×n Grams.
 */
final class TracedNtk {

    static final double SIGMA_W = Math.sqrt(2);
    static final double SIGMA_B = 0.1;

    private TracedNtk() {
    }

    /**
     * The MLP's weights and biases, standard normal, drawn on the host so that every backend gets the same ones.
     *
     * @param widths the layer widths (not modified)
     * @param seed the seed
     * @return {W0, b0, W1, b1, …}, row-major
     */
    static double[][] parameters(int[] widths, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = new double[2 * (widths.length - 1)][];
        for (int l = 0; l + 1 < widths.length; l++) {
            double[] w = new double[widths[l] * widths[l + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = gaussian(r);
            }
            double[] b = new double[widths[l + 1]];
            for (int i = 0; i < b.length; i++) {
                b[i] = gaussian(r);
            }
            p[2 * l] = w;
            p[2 * l + 1] = b;
        }
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * The traced empirical NTK of the MLP on the given inputs.
     *
     * @param b the backend
     * @param widths the layer widths, input first, outputs last
     * @param inputs n×widths[0] row-major inputs (not modified)
     * @param n the number of inputs
     * @param params weights and biases from {@link #parameters} (not modified)
     * @param dtype the element type
     * @return a new n×n tensor
     */
    static Tensor traced(Backend b, int[] widths, double[] inputs, int n, double[][] params, DType dtype) {
        int layers = widths.length - 1;
        int outputs = widths[layers];
        try (TensorScope scope = b.scope()) {
            Tensor[] x = new Tensor[layers];       // layer inputs
            Tensor[] dphi = new Tensor[layers];    // φ'(z) of the hidden pre-activations
            Tensor[] w = new Tensor[layers];
            x[0] = b.fromHost(inputs, n, widths[0], dtype);
            for (int l = 0; l < layers; l++) {
                w[l] = b.fromHost(params[2 * l], widths[l], widths[l + 1], dtype);
                Tensor bias = b.fromHost(params[2 * l + 1], 1, widths[l + 1], dtype);
                Tensor z = b.denseForward(x[l], w[l], bias, SIGMA_W / Math.sqrt(widths[l]), SIGMA_B);
                if (l + 1 < layers) {
                    dphi[l] = b.zeros(n, widths[l + 1], dtype);
                    b.mapDerivative(Activation.RELU, z, dphi[l]);
                    x[l + 1] = b.zeros(n, widths[l + 1], dtype);
                    b.map(Activation.RELU, z, x[l + 1]);
                }
                z.close();
            }
            // Σ_a δ_a^l·δ_a^lᵀ per layer; the output layer's deltas are one-hot, their Gram is 1 for every pair
            Tensor[] deltaGram = new Tensor[layers];
            for (int l = 0; l + 1 < layers; l++) {
                deltaGram[l] = b.zeros(n, n, dtype);
            }
            for (int a = 0; a < outputs; a++) {
                try (TensorScope perOutput = b.scope()) {
                    double[] oneHot = new double[n * outputs];
                    for (int i = 0; i < n; i++) {
                        oneHot[i * outputs + a] = 1;
                    }
                    Tensor delta = b.fromHost(oneHot, n, outputs, dtype);
                    for (int l = layers - 1; l > 0; l--) {
                        Tensor g = b.zeros(n, widths[l], dtype);
                        b.gemm(SIGMA_W / Math.sqrt(widths[l]), delta, false, w[l], true, 0, g);
                        b.hadamard(g, dphi[l - 1], g);
                        delta = g;
                        b.gemm(1, delta, false, delta, true, 1, deltaGram[l - 1]);
                    }
                }
            }
            Tensor theta = b.zeros(n, n, dtype);
            for (int l = 0; l < layers; l++) {
                Tensor inputGram = b.gram(x[l]);
                double inputScale = SIGMA_W * SIGMA_W / widths[l];
                if (l + 1 < layers) {
                    b.ntkLayerAccumulate(deltaGram[l], inputGram, inputScale, SIGMA_B * SIGMA_B, theta);
                } else {
                    b.affine(inputScale * outputs, inputGram, SIGMA_B * SIGMA_B * outputs, inputGram);
                    b.axpby(1, theta, 1, inputGram, theta);
                }
            }
            b.scale(1.0 / outputs, theta, theta);
            return scope.keep(theta);
        }
    }
}
