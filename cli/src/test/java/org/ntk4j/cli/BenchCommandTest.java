package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.data.Dataset;

/** {@code ntk4j bench}: the reference-script workloads, CSV output, and the memory check. */
class BenchCommandTest {

    private static final String CSV_ROW = "[a-z-]+,ejml,F64,\\d+,[0-9.e+-]+,[0-9.]+";

    @TempDir
    Path tmp;

    @Test
    @DisplayName("--csv prints a header and one row per workload, size and backend with a positive time")
    void csv() {
        Cli c = Cli.run("bench", "--csv", "--backends", "ejml", "--workloads", "proximal-step,entk-mlp", "--sizes", "4,6",
                "--width", "8", "--dims", "5", "--repeat", "1");
        assertEquals(0, c.code(), c.err());
        List<String> lines = c.out().lines().toList();
        assertEquals("workload,backend,dtype,size,median_s,gflops", lines.get(0));
        assertEquals(List.of("proximal-step 4", "proximal-step 6", "entk-mlp 4", "entk-mlp 6"), lines.stream().skip(1)
                .map(l -> l.split(",")[0] + " " + l.split(",")[3]).toList(), c.out());
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.matches(CSV_ROW), l);
            assertTrue(Double.parseDouble(l.split(",")[4]) > 0, l);
        }
    }

    @Test
    @DisplayName("analytic-regression runs on an idx: folder and needs one")
    void analyticRegression() throws Exception {
        DataOptionsTest.writeIdx(tmp.resolve("train-images-idx3-ubyte"), false, new int[] {12, 3, 3}, 12 * 9);
        DataOptionsTest.writeIdx(tmp.resolve("train-labels-idx1-ubyte"), false, new int[] {12}, 12);
        DataOptionsTest.writeIdx(tmp.resolve("t10k-images-idx3-ubyte"), false, new int[] {5, 3, 3}, 5 * 9);
        DataOptionsTest.writeIdx(tmp.resolve("t10k-labels-idx1-ubyte"), false, new int[] {5}, 5);
        Cli c = Cli.run("bench", "--csv", "--backends", "ejml", "--workloads", "analytic-regression", "--sizes", "10",
                "--repeat", "1", "--data", "idx:" + tmp);
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().lines().skip(1).allMatch(l -> l.matches(CSV_ROW) && l.startsWith("analytic-regression,")),
                c.out());
        assertEquals(2, c.out().lines().count(), c.out());
        Cli none = Cli.run("bench", "--workloads", "analytic-regression", "--backends", "ejml");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("bench: --data: analytic-regression needs an MNIST-style folder"), none.err());
    }

    @Test
    @DisplayName("sizes beyond the heap are refused before anything runs, naming the option and the fix")
    void tooLarge() {
        Cli c = Cli.run("bench", "--backends", "ejml", "--sizes", "8,100000");
        assertEquals(2, c.code());
        assertEquals("", c.out());
        String first = c.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("bench: --sizes 100000: gemm needs about 320.0 GB of memory, the Java heap allows")
                && first.contains("JAVA_OPTS=-Xmx"), c.err());
    }

    @Test
    @DisplayName("analytic-regression's images are centred and scaled to squared norm d, as the script does")
    void centred() {
        double[] x = {0, 1, 2, 3, 5, 5, 5, 7};
        Dataset d = PeerWorkloads.centred(new Dataset("t", x, 2, 4, new int[] {0, 1}, 2));
        // closed form: row 1 is (−1.5, −0.5, 0.5, 1.5)·√(4/5), row 2 is (−0.5, −0.5, −0.5, 1.5)·√(4/3)
        double[] expected = {-1.5 * Math.sqrt(0.8), -0.5 * Math.sqrt(0.8), 0.5 * Math.sqrt(0.8), 1.5 * Math.sqrt(0.8),
            -0.5 * Math.sqrt(4 / 3.0), -0.5 * Math.sqrt(4 / 3.0), -0.5 * Math.sqrt(4 / 3.0), 1.5 * Math.sqrt(4 / 3.0)};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], d.features()[i], 1e-14, "element " + i);
        }
        assertEquals(10, d.classes());
    }
}
