package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Npy;
import org.ntk4j.io.Npz;

/** {@code ntk4j predict --solver falkon}: with every training sample a centre it is the exact solver at t = ∞. */
class FalkonSolverTest {

    @TempDir
    Path tmp;

    @Test
    void allCentresMatchTheExactSolver() throws Exception {
        assertAllCentresMatchTheExactSolver(120, "recompute", "--hidden", "16");
    }

    @Test
    void modelKernelWithAllCentresMatchesTheExactSolver() throws Exception {
        // an analytic CNN kernel through --model
        assertAllCentresMatchTheExactSolver(60, "memory", "--model", "conv(4,3x3)-relu-flatten-dense");
    }

    /** Falkon with every one of the first n training samples a centre gives the exact solver's t = ∞ outputs. */
    private void assertAllCentresMatchTheExactSolver(int n, String knm, String... network) throws Exception {
        String[] common = concat(new String[] {"predict", "-q", "--limit", String.valueOf(n)}, network);
        Path exact = tmp.resolve("exact.npz");
        Cli e = Cli.run(concat(common, "--times", "inf", "--diag-reg", "1e-3", "-o", exact.toString()));
        assertEquals(0, e.code(), e.err());
        Path kernel = tmp.resolve("k.npy");
        Cli k = Cli.run(concat(concat(new String[] {"kernel", "-q", "--kind", "analytic", "--samples",
            String.valueOf(n)}, network), "-o", kernel.toString()));
        assertEquals(0, k.code(), k.err());
        double[] km = Npy.read(kernel).toDoubles();
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += km[i * n + i];
        }
        // the exact solver adds diag_reg·trace/n to the diagonal; Falkon's M = N system adds λ·N
        double lambda = 1e-3 * trace / ((double) n * n);
        Path falkon = tmp.resolve("falkon.npz");
        Cli f = Cli.run(concat(common, "--solver", "falkon", "--centres", String.valueOf(n), "--ridge",
                String.valueOf(lambda), "--cg-tol", "1e-12", "--knm", knm, "-o", falkon.toString()));
        assertEquals(0, f.code(), f.err());
        assertTrue(f.out().contains(n + " centres") && f.out().contains("analytic NTK of"), f.out());
        assertArrayEquals(Npz.read(exact).get("test_0").toDoubles(), Npz.read(falkon).get("test_0").toDoubles(), 1e-8);
    }

    @Test
    void badOptionsAreNamed() {
        Cli c = Cli.run("predict", "-q", "--limit", "50", "--solver", "falkon", "--knm", "disk");
        assertEquals(2, c.code());
        assertTrue(c.err().contains("--knm"), c.err());
        c = Cli.run("predict", "-q", "--limit", "50", "--solver", "fast");
        assertTrue(c.err().contains("--solver"), c.err());
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
