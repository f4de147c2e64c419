package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/** {@code ntk4j kernel}: the files it writes hold the kernels the library computes for the same inputs. */
class KernelCommandTest {

    @TempDir
    Path tmp;

    private static Dataset first(int n) {
        Dataset train = Digits.standardSplit().train();
        return train.subset(KernelCommand.range(n), train.name());
    }

    @Test
    @DisplayName("empirical: the .npy is the library's NTK at the parameters written beside it, plus a spectrum plot")
    void empirical() throws Exception {
        Path out = tmp.resolve("k.npy");
        Cli c = Cli.run("kernel", "-q", "--samples", "30", "--hidden", "16", "--batch-size", "7", "--axes", "full",
                "--seed", "3", "-o", out.toString());
        assertEquals(0, c.code(), c.err());
        NpyArray k = Npy.read(out);
        assertArrayEquals(new int[] {300, 300}, k.shape());
        Map<String, NpyArray> p = Npz.read(tmp.resolve("k-params.npz"));
        assertArrayEquals(new int[] {64, 16}, p.get("W0").shape());
        Dataset x = first(30);
        Mlp mlp = Mlp.builder(64, 16, 10).activation(Activation.RELU).sigmaW(Math.sqrt(2)).sigmaB(0.1).build();
        MlpParams params = ParamsFiles.load(tmp.resolve("k-params.npz"), mlp);
        assertArrayEquals(mlp.init(3).flatten(), params.flatten(), 0.0, "the seeded initialization is what was written");
        try (Backend b = Backends.create("ejml"); TensorScope s = b.scope()) {
            Tensor xs = b.fromHost(x.features(), x.size(), x.dims(), DType.F64);
            double[] ref = b.toHost(new EmpiricalNtk(mlp).withMeterRegistry(null)
                    .compute(params.upload(b, DType.F64), xs, OutputAxes.FULL));
            assertArrayEquals(ref, k.toDoubles(), 1e-10);
        }
        assertTrue(ImageIO.read(tmp.resolve("k-spectrum.png").toFile()).getWidth() > 0);
        assertTrue(c.out().contains("300×300 kernel"), c.out());
    }

    @Test
    @DisplayName("analytic: the .npy is the library's infinite-width NNGP of the same architecture")
    void analytic() throws Exception {
        Path out = tmp.resolve("g.npy");
        Cli c = Cli.run("kernel", "-q", "--kind", "analytic", "--kernel", "nngp", "--samples", "20", "--hidden",
                "8,8", "--activation", "erf", "--sigma-w", "1.3", "--sigma-b", "0.2", "-o", out.toString());
        assertEquals(0, c.code(), c.err());
        Dataset x = first(20);
        try (Backend b = Backends.create("ejml"); TensorScope s = b.scope()) {
            Tensor xs = b.fromHost(x.features(), x.size(), x.dims(), DType.F64);
            AnalyticNtk a = AnalyticNtk.of(3, Activation.ERF, 1.3, 0.2).withMeterRegistry(null);
            double[] ref = b.toHost(a.compute(b, xs, null).nngp());
            assertArrayEquals(ref, Npy.read(out).toDoubles(), 1e-10);
        }
        assertTrue(Files.exists(tmp.resolve("g-spectrum.png")));
    }

    @Test
    @DisplayName("the kernel and its parameters are written before the spectrum: a failed plot is a warning only")
    void plotFailureKeepsTheKernel() throws Exception {
        Path blocked = tmp.resolve("b-spectrum.png");
        Files.createDirectories(blocked.resolve("occupied"));
        Path out = tmp.resolve("b.npy");
        Cli c = Cli.run("kernel", "-q", "--samples", "12", "--hidden", "8", "-o", out.toString());
        assertEquals(0, c.code(), c.err());
        assertArrayEquals(new int[] {12, 12}, Npy.read(out).shape());
        assertTrue(Files.exists(tmp.resolve("b-params.npz")));
        assertTrue(c.err().startsWith("kernel: warning: skipped the spectrum plot (the kernel is written): "), c.err());
        assertEquals(1, c.err().lines().count(), c.err());
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    @DisplayName("bad combinations are usage errors; a missing data file is a failure")
    void usage() {
        assertEquals(2, Cli.run("kernel", "-q", "--kernel", "nngp", "--samples", "5", "-o",
                tmp.resolve("x.npy").toString()).code());
        assertEquals(2, Cli.run("kernel", "-q", "--kind", "magic", "--samples", "5", "-o",
                tmp.resolve("x.npy").toString()).code());
        Cli missing = Cli.run("kernel", "-q", "--data", tmp.resolve("nope.csv").toString());
        assertEquals(1, missing.code(), "a missing input file is a failure, not a usage error");
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
