package org.ntk4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.io.NpyType;
import org.ntk4j.kernel.TileProgress;
import org.ntk4j.predict.Falkon;
import org.ntk4j.predict.FalkonModel;
import org.ntk4j.predict.FalkonOptions;
import org.ntk4j.predict.FalkonOptions.Precision;
import org.ntk4j.predict.FalkonOptions.Storage;
import org.ntk4j.predict.FalkonProgress;
import org.ntk4j.predict.OutOfCoreKernel;

/** The Spark paths on local[2] against the single-machine ones, with a fixed seed. */
class SparkTest {

    private static final int N = 120;
    private static final int D = 5;
    private static final int C = 3;
    private static final KernelSpec SPEC = KernelSpec.of(3, Activation.RELU, Math.sqrt(2), 0.1, false);

    private static JavaSparkContext sc;
    private static double[] x;
    private static double[] y;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("ntk4j-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        sc.setLogLevel("WARN");
        SplittableRandom r = new SplittableRandom(7);
        x = new double[N * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        y = new double[N * C];
        for (int i = 0; i < N; i++) {
            y[i * C + r.nextInt(C)] = 1;
        }
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static double relative(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void falkonOnExecutorsEqualsOneMachine() {
        FalkonOptions o = FalkonOptions.of(40).withRidge(1e-4).withStopping(1e-10, 100).withTileRows(25).withSeed(3);
        FalkonModel local;
        try (Backend be = Backends.create()) {
            local = Falkon.of(SPEC.kernel(), o).fit(be, x, D, y, C);
        }
        for (Storage s : new Storage[] {Storage.MEMORY, Storage.RECOMPUTE}) {
            FalkonModel spark = new SparkFalkon(SPEC, o.withStorage(s, Precision.F64)).fit(sc, x, D, y, C,
                    FalkonProgress.NONE);
            double rel = relative(local.alpha(), spark.alpha());
            assertTrue(rel <= 1e-8, s + ": α differs by " + rel);
            assertEquals(local.iterations(), spark.iterations());
        }
    }

    @Test
    void kernelTilesAssembleToTheSingleMachineFile() throws Exception {
        Path single = tmp.resolve("single.npy");
        try (Backend be = Backends.create()) {
            OutOfCoreKernel.write(be, SPEC.kernel(), x, D, single, NpyType.FLOAT32, 32, "test", TileProgress.NONE);
        }
        Path dir = tmp.resolve("tiles");
        assertEquals(10, SparkKernelTiles.write(sc, SPEC, x, D, dir, NpyType.FLOAT32, 32));
        Files.delete(dir.resolve("tile-1-3.npy"));
        assertEquals(1, SparkKernelTiles.write(sc, SPEC, x, D, dir, NpyType.FLOAT32, 32), "only the missing tile");
        assertTrue(Files.readString(dir.resolve(SparkKernelTiles.INDEX)).contains("tile-3-3.npy"));
        Path assembled = tmp.resolve("assembled.npy");
        SparkKernelTiles.assemble(dir, assembled);
        assertEquals(sha256(single), sha256(assembled));
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
