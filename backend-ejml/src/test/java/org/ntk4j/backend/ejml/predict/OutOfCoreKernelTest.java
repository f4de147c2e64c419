package org.ntk4j.backend.ejml.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.NpyType;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.kernel.TileProgress;
import org.ntk4j.predict.CrossKernel;
import org.ntk4j.predict.OutOfCoreKernel;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.TensorScope;

/** The kernel written tile by tile into a mapped .npy: equal to the kernel computed whole, and resumable. */
class OutOfCoreKernelTest {

    private static final int N = 45;
    private static final int D = 4;
    private static final int TILE = 8;

    private static Backend be;
    private static double[] x;
    private static final CrossKernel K =
            CrossKernel.analyticNtk(AnalyticNtk.of(3, Activation.RELU, Math.sqrt(2), 0.1).withMeterRegistry(null));

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
        x = TestBackends.uniform(21, N * D, 1);
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void equalsTheKernelComputedWhole() throws Exception {
        Path out = tmp.resolve("k.npy");
        int computed = OutOfCoreKernel.write(be, K, x, D, out, NpyType.FLOAT64, TILE, "test", TileProgress.NONE);
        assertEquals(OutOfCoreKernel.tileCount(N, TILE), computed);
        assertEquals(21, computed);
        NpyArray a = Npy.read(out);
        assertArrayEquals(new int[] {N, N}, a.shape());
        double[] expected;
        try (TensorScope s = be.scope()) {
            var t = be.fromHost(x, N, D, DType.F64);
            expected = be.toHost(K.block(be, t, t));
        }
        double[] actual = a.toDoubles();
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(expected, actual, 1e-12 * scale);
        assertFalse(Files.exists(tmp.resolve("k.npy.partial")));
        assertFalse(Files.exists(tmp.resolve("k.npy.partial.tiles")));
    }

    @Test
    void aKilledRunResumesToTheSameBytes() throws Exception {
        Path whole = tmp.resolve("whole.npy");
        OutOfCoreKernel.write(be, K, x, D, whole, NpyType.FLOAT32, TILE, "test", TileProgress.NONE);

        Path out = tmp.resolve("k.npy");
        RuntimeException kill = new IllegalStateException("killed");
        TileProgress stopAfterSeven = (done, total) -> {
            if (done == 7) {
                throw kill;
            }
        };
        assertThrows(IllegalStateException.class,
                () -> OutOfCoreKernel.write(be, K, x, D, out, NpyType.FLOAT32, TILE, "test", stopAfterSeven));
        assertFalse(Files.exists(out), "no complete-looking file after a kill");
        assertTrue(Files.exists(tmp.resolve("k.npy.partial")));

        int[] first = {-1};
        int computed = OutOfCoreKernel.write(be, K, x, D, out, NpyType.FLOAT32, TILE, "test", (done, total) -> {
            if (first[0] < 0) {
                first[0] = done;
            }
        });
        assertEquals(21 - 7, computed);
        assertEquals(8, first[0], "the count goes on from the tiles already written");
        assertEquals(sha256(whole), sha256(out));
    }

    @Test
    void aResumeWithOtherSettingsIsRefused() throws Exception {
        Path out = tmp.resolve("k.npy");
        TileProgress stop = (done, total) -> {
            throw new IllegalStateException("killed");
        };
        assertThrows(IllegalStateException.class,
                () -> OutOfCoreKernel.write(be, K, x, D, out, NpyType.FLOAT64, TILE, "ntk depth 3", stop));
        IOException e = assertThrows(IOException.class,
                () -> OutOfCoreKernel.write(be, K, x, D, out, NpyType.FLOAT64, TILE, "ntk depth 4", TileProgress.NONE));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("k.npy.partial")), "nothing already written is lost");
    }
}
