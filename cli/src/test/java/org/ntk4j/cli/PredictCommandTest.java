package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Split;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;
import picocli.CommandLine;

/** {@code ntk4j predict}: t = 0 and t = ∞ against direct computations. */
class PredictCommandTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("analytic NTK: outputs 0 at t = 0 and kernel regression at t = ∞, solved here by plain elimination")
    void analytic() throws Exception {
        Path out = tmp.resolve("p.npz");
        String[] data = {"--limit", "120", "--hidden", "16"};
        Cli c = Cli.run(concat(new String[] {"predict", "-q", "--times", "0,100,inf", "--diag-reg", "1e-3", "-o",
            out.toString()}, data));
        assertEquals(0, c.code(), c.err());
        assertEquals(3, c.out().lines().filter(l -> l.matches("\\s+(0|100|inf)\\s+.*")).count(), c.out());
        Map<String, NpyArray> p = Npz.read(out);
        assertArrayEquals(new double[] {0, 100, Double.POSITIVE_INFINITY}, p.get("times").toDoubles(), 0.0);
        NpyArray f0 = p.get("test_0");
        assertArrayEquals(new double[f0.size()], f0.toDoubles(), 0.0);

        DataOptions d = new DataOptions();
        new CommandLine(d).parseArgs("--limit", "120");
        Split split = d.load(42);
        Dataset train = split.train();
        Dataset test = split.test();
        int n = train.size();
        int m = test.size();
        double[] kxx;
        double[] ktx;
        try (Backend b = Backends.create("ejml"); TensorScope s = b.scope()) {
            AnalyticNtk a = AnalyticNtk.of(2, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null);
            Tensor x = b.fromHost(train.features(), n, train.dims(), DType.F64);
            Tensor xt = b.fromHost(test.features(), m, test.dims(), DType.F64);
            kxx = b.toHost(a.compute(b, x, null).ntk());
            ktx = b.toHost(a.compute(b, xt, x).ntk());
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += kxx[i * n + i];
        }
        for (int i = 0; i < n; i++) {
            kxx[i * n + i] += 1e-3 * trace / n;
        }
        double[] alpha = solve(kxx, train.oneHot(), n, train.classes());
        int o = train.classes();
        double[] expected = new double[m * o];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int a = 0; a < o; a++) {
                    expected[i * o + a] += ktx[i * n + j] * alpha[j * o + a];
                }
            }
        }
        assertArrayEquals(expected, p.get("test_2").toDoubles(), 1e-8);
        double acc = PredictCommand.accuracy(expected, test);
        assertTrue(c.out().contains(String.format(java.util.Locale.ROOT, "%10.4f", acc)), c.out());
    }

    /** Gaussian elimination with partial pivoting: A·X = B, A n×n, B n×k (both copied). */
    private static double[] solve(double[] a0, double[] b0, int n, int k) {
        double[] a = a0.clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[piv * n + c])) {
                    piv = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double t = a[c * n + j];
                a[c * n + j] = a[piv * n + j];
                a[piv * n + j] = t;
            }
            for (int j = 0; j < k; j++) {
                double t = b[c * k + j];
                b[c * k + j] = b[piv * k + j];
                b[piv * k + j] = t;
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / a[c * n + c];
                for (int j = c; j < n; j++) {
                    a[r * n + j] -= f * a[c * n + j];
                }
                for (int j = 0; j < k; j++) {
                    b[r * k + j] -= f * b[c * k + j];
                }
            }
        }
        double[] x = new double[n * k];
        for (int r = n - 1; r >= 0; r--) {
            for (int j = 0; j < k; j++) {
                double s = b[r * k + j];
                for (int c = r + 1; c < n; c++) {
                    s -= a[r * n + c] * x[c * k + j];
                }
                x[r * k + j] = s / a[r * n + r];
            }
        }
        return x;
    }

    @Test
    @DisplayName("empirical predictions start from the network's own outputs; bad options are usage errors")
    void empiricalAndErrors() {
        Cli c = Cli.run("predict", "-q", "--kind", "empirical", "--limit", "60", "--hidden", "8", "--times", "0,inf");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("empirical NTK of mlp[64-8-10"), c.out());
        assertEquals(2, Cli.run("predict", "--times", "soon").code());
        assertEquals(2, Cli.run("predict", "--kind", "empirical", "--kernel", "nngp").code());
    }

    @Test
    @DisplayName("--kernel nngp,ntk gives both tables and both outputs, each equal to its own single-kernel run")
    void bothKernels() throws Exception {
        Path both = tmp.resolve("both.npz");
        Cli c = Cli.run("predict", "-q", "-v", "--limit", "90", "--hidden", "16", "--times", "10,inf", "--kernel",
                "nngp,ntk", "--batch-size", "7", "-o", both.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("analytic NNGP and NTK of") && c.out().contains("NNGP:")
                && c.out().contains("NTK:") && c.out().contains("phases: train kernel"), c.out());
        Map<String, NpyArray> p = Npz.read(both);
        for (String k : new String[] {"nngp", "ntk"}) {
            Path one = tmp.resolve(k + ".npz");
            Cli s = Cli.run("predict", "-q", "--limit", "90", "--hidden", "16", "--times", "10,inf", "--kernel", k,
                    "-o", one.toString());
            assertEquals(0, s.code(), s.err());
            Map<String, NpyArray> q = Npz.read(one);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(q.get("test_" + i).toDoubles(), p.get(k + "_test_" + i).toDoubles(), 1e-10, k);
            }
        }
        Cli bad = Cli.run("predict", "--kernel", "ntk,ntk");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("predict: --kernel names ntk twice"), bad.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
