package org.ntk4j.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.it.app.KernelProbe;

/**
 * The kernels {@link KernelProbe} computes, by plain loops on the host with the arc-cosine formulas of the
 * ReLU (Cho &amp; Saul 2009) written out here: no backend and no ntk4j numerics are involved. (The same values
 * were checked once against numpy.)
 */
final class KernelReference {

    /** The tolerance: |actual − expected| ≤ TOLERANCE·(1 + |expected|). F64 backends agree to ~1e-15. */
    static final double TOLERANCE = 1e-11;

    private final double[] nngp;
    private final double[] ntk;

    private KernelReference(double[] nngp, double[] ntk) {
        this.nngp = nngp;
        this.ntk = ntk;
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
        return new KernelReference(nngp, ntk);
    }

    /**
     * Asserts that a child printed both kernels and that they match this reference.
     *
     * @param child the child's result (not modified)
     */
    void assertMatches(ChildResult child) {
        compare("nngp", child.kernel("nngp"), nngp, child);
        compare("ntk", child.kernel("ntk"), ntk, child);
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
