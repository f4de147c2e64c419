package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.NpyType;

/** {@code ntk4j kernel --out-of-core}: the same kernel as the in-memory command, in the chosen dtype. */
class OutOfCoreOptionTest {

    @TempDir
    Path tmp;

    @Test
    void sameKernelAsInMemory() throws Exception {
        Path whole = tmp.resolve("whole.npy");
        Path mapped = tmp.resolve("mapped.npy");
        Path single = tmp.resolve("single.npy");
        String[] args = {"kernel", "-q", "--kind", "analytic", "--samples", "70", "--hidden", "16"};
        Cli a = Cli.run(FalkonSolverTest.concat(args, "-o", whole.toString()));
        assertEquals(0, a.code(), a.err());
        Cli b = Cli.run(FalkonSolverTest.concat(args, "--out-of-core", "--batch-size", "16", "-o", mapped.toString()));
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("15 of 15 tiles"), b.out());
        Cli c = Cli.run(FalkonSolverTest.concat(args, "--out-of-core", "--dtype", "f32", "-o", single.toString()));
        assertEquals(0, c.code(), c.err());
        double[] expected = Npy.read(whole).toDoubles();
        assertArrayEquals(expected, Npy.read(mapped).toDoubles(), 1e-12);
        NpyArray f = Npy.read(single);
        assertEquals(NpyType.FLOAT32, f.type());
        assertArrayEquals(expected, f.toDoubles(), 1e-6);
        Cli bad = Cli.run(FalkonSolverTest.concat(args, "--out-of-core", "--dtype", "f16", "-o", single.toString()));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--dtype"), bad.err());
    }

    @Test
    void modelKernelsAsInMemory() throws Exception {
        // an analytic CNN kernel (diagonal layout) and a CNN's empirical kernel at the same seed: the tiles of the
        // out-of-core file are the in-memory kernel's
        for (String[] args : new String[][] {
            {"kernel", "-q", "--kind", "analytic", "--model", "conv(4,3x3)-relu-flatten-dense", "--samples", "20"},
            {"kernel", "-q", "--kind", "empirical", "--model", "conv(2,3x3,2)-erf-gap-dense", "--samples", "20",
                "--seed", "3"}}) {
            Path whole = tmp.resolve("whole.npy");
            Path mapped = tmp.resolve("mapped.npy");
            Cli a = Cli.run(FalkonSolverTest.concat(args, "-o", whole.toString()));
            assertEquals(0, a.code(), a.err());
            Cli b = Cli.run(FalkonSolverTest.concat(args, "--out-of-core", "--batch-size", "7", "-o",
                    mapped.toString()));
            assertEquals(0, b.code(), b.err());
            assertTrue(b.out().contains("6 of 6 tiles"), b.out());
            double[] expected = Npy.read(whole).toDoubles();
            double[] got = Npy.read(mapped).toDoubles();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 1e-10 * Math.abs(expected[i]) + 1e-14, args[3] + " entry " + i);
            }
            Files.delete(whole);
            Files.delete(mapped);
        }
    }
}
