package org.ntk4j.backend.ejml.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;

/** Model parameters in {@code .npz}: names {@code <layer index>/<name>}, logical shapes, clear errors. */
class ModelParamsFileTest {

    private static final Model MODEL = Model.of(Shape.image(4, 4, 2), Layers.conv(3, 3, 3), Layers.relu(),
            Layers.residual(Layers.conv(3, 2, 2), Layers.relu()), Layers.globalAvgPool(), Layers.dense(5));

    @TempDir
    Path dir;

    @Test
    void namesAndShapes() throws IOException {
        assertEquals(List.of("0/K", "0/b", "2/0/K", "2/0/b", "4/W", "4/b"), MODEL.parameterNames());
        Path f = dir.resolve("p.npz");
        MODEL.init(1).save(f, false);
        Map<String, NpyArray> arrays = Npz.read(f);
        assertEquals(MODEL.parameterNames(), List.copyOf(arrays.keySet()));
        assertArrayEquals(new int[] {3, 3, 2, 3}, MODEL.parameters().get(0).shape());
        assertArrayEquals(new int[] {3 * 3 * 2, 3}, arrays.get("0/K").shape(), "(kh·kw·C_in, C_out)");
        assertArrayEquals(new int[] {2 * 2 * 3, 3}, arrays.get("2/0/K").shape());
        assertArrayEquals(new int[] {3, 5}, arrays.get("4/W").shape());
        assertArrayEquals(new int[] {5}, arrays.get("4/b").shape());
    }

    @Test
    void roundTripThroughFileAndBackend() throws IOException {
        ModelParams p = MODEL.init(2);
        Path f = dir.resolve("p.npz");
        p.save(f, true);
        ModelParams back = ModelParams.load(MODEL, f);
        try (Backend be = TestBackends.ejml(); Params onBackend = back.toBackend(be, DType.F64)) {
            ModelParams again = ModelParams.fromBackend(MODEL, onBackend);
            for (String name : MODEL.parameterNames()) {
                assertArrayEquals(p.get(name), again.get(name), name);
            }
        }
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path f = dir.resolve("p.npz");
        ModelParams p = MODEL.init(3);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (var s : MODEL.parameters()) {
            arrays.put(s.name(), NpyArray.ofDoubles(p.get(s.name()), s.rows(), s.cols()));
        }
        arrays.remove("2/0/b");
        Npz.write(f, arrays, false);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> ModelParams.load(MODEL, f));
        assertTrue(e.getMessage().contains("'2/0/b' is missing"), e.getMessage());

        arrays.put("2/0/b", NpyArray.ofDoubles(new double[4], 4));
        Npz.write(f, arrays, false);
        e = assertThrows(MalformedDataException.class, () -> ModelParams.load(MODEL, f));
        assertTrue(e.getMessage().contains("'2/0/b' has shape [4], expected [3]"), e.getMessage());

        arrays.put("2/0/b", NpyArray.ofDoubles(new double[3], 1, 3));
        arrays.put("9/W", NpyArray.ofDoubles(new double[1], 1));
        Npz.write(f, arrays, false);
        e = assertThrows(MalformedDataException.class, () -> ModelParams.load(MODEL, f));
        assertTrue(e.getMessage().contains("[9/W] do not belong"), e.getMessage());
    }

    @Test
    void namesThatWouldLeaveTheArchiveAreRefused() {
        for (String bad : new String[] {"/W", "0//W", "0/../W", "./W", "0/"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> Npz.write(dir.resolve("x.npz"), Map.of(bad, NpyArray.ofDoubles(new double[1], 1)), false),
                    bad);
        }
    }
}
