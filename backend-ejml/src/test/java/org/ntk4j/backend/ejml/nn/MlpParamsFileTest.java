package org.ntk4j.backend.ejml.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Activation;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;

class MlpParamsFileTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("parameters survive a .npz round trip, with and without biases, stored or deflated")
    void roundTrip() throws Exception {
        for (boolean bias : new boolean[] {true, false}) {
            for (boolean compressed : new boolean[] {true, false}) {
                Mlp mlp = Mlp.builder(5, 7, 3, 2).activation(Activation.TANH).bias(bias).build();
                MlpParams p = mlp.init(42);
                Path f = dir.resolve("p-" + bias + compressed + ".npz");
                p.save(f, compressed);
                assertArrayEquals(p.flatten(), MlpParams.load(mlp, f).flatten(), 0);
                Map<String, NpyArray> raw = Npz.read(f);
                assertArrayEquals(bias ? new Object[] {"W0", "b0", "W1", "b1", "W2", "b2"} : new Object[] {"W0", "W1", "W2"},
                        raw.keySet().toArray());
                assertArrayEquals(new int[] {7, 3}, raw.get("W1").shape());
                assertArrayEquals(p.weight(1), raw.get("W1").toDoubles(), 0);
                if (bias) {
                    assertArrayEquals(new int[] {3}, raw.get("b1").shape());
                }
            }
        }
    }

    @Test
    @DisplayName("a file that does not fit the network is refused with the file and array named")
    void mismatches() throws Exception {
        Mlp mlp = Mlp.builder(4, 6, 2).build();
        Path f = dir.resolve("p.npz");
        mlp.init(1).save(f, false);
        MalformedDataException wrongShape = assertThrows(MalformedDataException.class,
                () -> MlpParams.load(Mlp.builder(4, 5, 2).build(), f));
        assertTrue(wrongShape.getMessage().contains("W0") && wrongShape.getMessage().contains("p.npz"),
                wrongShape.getMessage());
        MalformedDataException missing = assertThrows(MalformedDataException.class,
                () -> MlpParams.load(Mlp.builder(4, 6, 2, 2).build(), f));
        assertTrue(missing.getMessage().contains("W2"), missing.getMessage());
        MalformedDataException extra = assertThrows(MalformedDataException.class,
                () -> MlpParams.load(mlp.toBuilder().bias(false).build(), f));
        assertTrue(extra.getMessage().contains("b0"), extra.getMessage());
        Map<String, NpyArray> ints = new LinkedHashMap<>(Npz.read(f));
        ints.put("W1", NpyArray.ofInts(new int[12], 6, 2));
        Path g = dir.resolve("ints.npz");
        Npz.write(g, ints, false);
        assertThrows(MalformedDataException.class, () -> MlpParams.load(mlp, g));
    }
}
