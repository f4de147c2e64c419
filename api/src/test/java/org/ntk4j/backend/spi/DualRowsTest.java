package org.ntk4j.backend.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;

/** The row kernels give the host reference's values bit for bit, at the offsets asked for. */
class DualRowsTest {

    private static final List<Activation> KINDS = List.of(Activation.IDENTITY, Activation.RELU,
            Activation.leakyRelu(0.2), Activation.ERF, Activation.TANH);

    /** Column variances (one zero) and a row of covariances with ρ from −1 to 1 against row variance Q1. */
    private static final double Q1 = 1.3;
    private static final int N = 9;

    private static double[] columnVariances() {
        double[] q2 = new double[N];
        for (int j = 0; j < N; j++) {
            q2[j] = j == 4 ? 0 : 0.2 + 0.3 * j;
        }
        return q2;
    }

    /** Covariances at offset 3 of a longer array: ρ_j = −1 + 2j/(N − 1). */
    private static double[] covariances(double[] q2) {
        double[] k = new double[N + 5];
        for (int j = 0; j < N; j++) {
            k[3 + j] = (-1 + 2.0 * j / (N - 1)) * Math.sqrt(Q1 * q2[j]);
        }
        return k;
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    @DisplayName("dual equals ActivationDuals.dual element by element, for closed forms and quadrature, ρ = ±1 and a zero variance included")
    void dualMatchesReference() {
        double[] q2 = columnVariances();
        double[] k = covariances(q2);
        double[] pair = new double[2];
        for (Activation f : KINDS) {
            double[] outK = new double[N + 2];
            double[] outKdot = new double[N + 7];
            DualRows.dual(f, Q1, q2, k, 3, outK, 2, outKdot, 7, N);
            for (int j = 0; j < N; j++) {
                ActivationDuals.dual(f, Q1, q2[j], k[3 + j], pair);
                assertBits(pair[0], outK[2 + j], f + " K[" + j + "]");
                assertBits(pair[1], outKdot[7 + j], f + " Kdot[" + j + "]");
            }
            assertEquals(0, outK[0] + outK[1] + outKdot[0] + outKdot[6], f + ": nothing written before the offsets");
        }
    }

    @Test
    @DisplayName("layer equals σ_w²·E[φφ] + σ_b² and then Σ + σ_w²·(Θ·E[φ'φ']) of the reference, element by element")
    void layerMatchesReference() {
        double[] q2 = columnVariances();
        double w = 2;
        double b = 0.01;
        double[] pair = new double[2];
        SplittableRandom r = new SplittableRandom(5);
        for (Activation f : KINDS) {
            double[] sigma = covariances(q2);
            double[] k = sigma.clone();
            double[] theta = new double[N + 1];
            for (int j = 0; j < theta.length; j++) {
                theta[j] = 0.5 + r.nextDouble();
            }
            double[] theta0 = theta.clone();
            DualRows.layer(f, Q1, q2, sigma, 3, theta, 1, N, w, b);
            for (int j = 0; j < N; j++) {
                ActivationDuals.dual(f, Q1, q2[j], k[3 + j], pair);
                double s = w * pair[0] + b;
                assertBits(s, sigma[3 + j], f + " sigma[" + j + "]");
                assertBits(s + w * (theta0[1 + j] * pair[1]), theta[1 + j], f + " theta[" + j + "]");
            }
            assertBits(theta0[0], theta[0], f + ": theta before the offset unchanged");
            assertBits(k[0], sigma[0], f + ": sigma before the offset unchanged");
        }
    }
}
