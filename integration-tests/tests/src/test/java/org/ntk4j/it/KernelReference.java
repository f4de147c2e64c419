package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.it.app.KernelProbe;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;

/**
 * The kernels {@link KernelProbe} computes, by plain loops on the host, with no backend and no ntk4j kernel
 * code: the infinite-width kernels with the arc-cosine formulas of the ReLU (Cho &amp; Saul 2009) written out
 * here (the same values were checked once against numpy), and the empirical NTK as J·Jᵀ of the explicit
 * Jacobian of the one-hidden-layer network with respect to all its parameters.
 */
final class KernelReference {

    /** The tolerance: |actual − expected| ≤ TOLERANCE·(1 + |expected|). F64 backends agree to ~1e-15. */
    static final double TOLERANCE = 1e-11;

    private final double[] nngp;
    private final double[] ntk;
    private final double[] entk;

    private KernelReference(double[] nngp, double[] ntk, double[] entk) {
        this.nngp = nngp;
        this.ntk = ntk;
        this.entk = entk;
    }

    /** @return the reference for the probe's inputs: the first samples of the digits, scaled to [0, 1] */
    static KernelReference forProbe() {
        Dataset digits = Digits.load().scaled(1.0 / 16);
        int n = KernelProbe.SAMPLES;
        int d = digits.dims();
        double[] x = Arrays.copyOf(digits.features(), n * d);
        double sw2 = KernelProbe.SIGMA_W * KernelProbe.SIGMA_W;
        double sb2 = KernelProbe.SIGMA_B * KernelProbe.SIGMA_B;
        double[] sigma = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * x[j * d + k];
                }
                sigma[i * n + j] = sw2 * s / d + sb2;
            }
        }
        double[] nngp = new double[n * n];
        double[] ntk = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double norm = Math.sqrt(sigma[i * n + i] * sigma[j * n + j]);
                double k = sigma[i * n + j];
                double theta = Math.acos(Math.max(-1, Math.min(1, k / norm)));
                double eff = norm / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta));
                double effDot = (Math.PI - theta) / (2 * Math.PI);
                nngp[i * n + j] = sw2 * eff + sb2;
                ntk[i * n + j] = nngp[i * n + j] + sw2 * k * effDot;
            }
        }
        return new KernelReference(nngp, ntk, empirical(x, n));
    }

    /**
     * Θ = J·Jᵀ with J the explicit Jacobian of f(x) = s1·φ(s0·x·W0 + sb·b0)·W1 + sb·b1 (rows: sample i, output
     * a; columns: W0, b0, W1, b1 entries), s_l = σ_w/√d_l, sb = σ_b, φ = ReLU.
     */
    private static double[] empirical(double[] x, int n) {
        Mlp mlp = KernelProbe.NETWORK;
        MlpParams p = mlp.init(KernelProbe.SEED);
        int d = mlp.width(0);
        int h = mlp.width(1);
        int o = mlp.width(2);
        double[] w0 = p.weight(0);
        double[] b0 = p.bias(0);
        double[] w1 = p.weight(1);
        double s0 = KernelProbe.SIGMA_W / Math.sqrt(d);
        double s1 = KernelProbe.SIGMA_W / Math.sqrt(h);
        double sb = KernelProbe.SIGMA_B;
        int params = d * h + h + h * o + o;
        double[][] jac = new double[n * o][params];
        for (int i = 0; i < n; i++) {
            double[] act = new double[h];
            double[] slope = new double[h];
            for (int j = 0; j < h; j++) {
                double z = sb * b0[j];
                for (int k = 0; k < d; k++) {
                    z += s0 * x[i * d + k] * w0[k * h + j];
                }
                act[j] = Math.max(z, 0);
                slope[j] = z > 0 ? 1 : 0;
            }
            for (int a = 0; a < o; a++) {
                double[] row = jac[i * o + a];
                for (int j = 0; j < h; j++) {
                    double back = s1 * w1[j * o + a] * slope[j];
                    for (int k = 0; k < d; k++) {
                        row[k * h + j] = back * s0 * x[i * d + k];      // ∂f_a/∂W0[k][j]
                    }
                    row[d * h + j] = back * sb;                          // ∂f_a/∂b0[j]
                    row[d * h + h + j * o + a] = s1 * act[j];            // ∂f_a/∂W1[j][a]
                }
                row[d * h + h + h * o + a] = sb;                         // ∂f_a/∂b1[a]
            }
        }
        int rows = n * o;
        double[] theta = new double[rows * rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < rows; c++) {
                double s = 0;
                for (int q = 0; q < params; q++) {
                    s += jac[r][q] * jac[c][q];
                }
                theta[r * rows + c] = s;
            }
        }
        return theta;
    }

    /**
     * Asserts that a child printed both kernels and that they match this reference.
     *
     * @param child the child's result (not modified)
     */
    void assertMatches(ChildResult child) {
        compare("nngp", child.kernel("nngp"), nngp, child);
        compare("ntk", child.kernel("ntk"), ntk, child);
        compare("entk", child.kernel("entk"), entk, child);
    }

    private static void compare(String what, double[] actual, double[] expected, ChildResult child) {
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length + "\n" + child);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= TOLERANCE * (1 + Math.abs(expected[i])))) {
                fail(what + "[" + i + "] = " + actual[i] + ", expected " + expected[i] + " within " + TOLERANCE
                        + "\n" + child);
            }
        }
    }
}
