package org.ntk4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.io.MalformedDataException;

/** {@link IdxLoader} on tiny MNIST-format fixtures written by {@code make_fixtures.py}. */
class IdxLoaderTest {

    static Path fixture(String name) {
        try {
            return Path.of(IdxLoaderTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("reads raw and gzip images and labels alike")
    void rawAndGzip() throws IOException {
        for (String suffix : new String[] {"", ".gz"}) {
            Dataset d = IdxLoader.load(fixture("tiny-images-idx3-ubyte" + suffix),
                    fixture("tiny-labels-idx1-ubyte" + suffix), 0, 255);
            assertEquals(5, d.size());
            assertEquals(6, d.dims());
            assertArrayEquals(new int[] {3, 2, 1}, d.sampleShape(), "n×h×w images keep their shape (h, w, 1)");
            assertArrayEquals(new int[] {3, 2, 1}, d.subset(new int[] {1, 0}, "s").standardized(d).sampleShape(),
                    "subsets and standardization keep it");
            assertEquals(4, d.classes());
            assertArrayEquals(new int[] {0, 3, 1, 2, 3}, d.labels());
            double[] x = d.features();
            for (int i = 0; i < 30; i++) {
                assertEquals(i * 8 / 255.0, x[i], 1e-15, "pixel " + i);
            }
        }
    }

    @Test
    @DisplayName("reads only the first samples when limited, keeping the shape")
    void limit() throws IOException {
        IdxLoader.IdxArray a = IdxLoader.read(fixture("tiny-images-idx3-ubyte.gz"), 2);
        assertArrayEquals(new int[] {2, 3, 2}, a.shape());
        assertEquals(12, a.values().length);
        assertEquals(11 * 8, a.values()[11], 0);
    }

    @Test
    @DisplayName("names the file for truncated data, bad magic and mismatched counts")
    void errors() {
        MalformedDataException t = assertThrows(MalformedDataException.class,
                () -> IdxLoader.read(fixture("truncated-images-idx3-ubyte"), 0));
        assertTrue(t.getMessage().contains("truncated-images-idx3-ubyte: truncated IDX data: the header (shape [5, 3, 2])"
                + " promises 30 values of 1 byte, the file holds 15 bytes"), t.getMessage());
        MalformedDataException m = assertThrows(MalformedDataException.class,
                () -> IdxLoader.read(new ByteArrayInputStream("hello".getBytes()), "x.idx", 0));
        assertTrue(m.getMessage().startsWith("x.idx: not an IDX file (bad magic 68 65 6c 6c"), m.getMessage());
        MalformedDataException h = assertThrows(MalformedDataException.class,
                () -> IdxLoader.read(new ByteArrayInputStream(new byte[] {0, 0, 8, 2, 0, 0}), "y.idx", 0));
        assertTrue(h.getMessage().contains("y.idx: truncated IDX header"), h.getMessage());
        MalformedDataException c = assertThrows(MalformedDataException.class,
                () -> IdxLoader.load(fixture("tiny-images-idx3-ubyte"), fixture("tiny-images-idx3-ubyte"), 0, 255));
        assertTrue(c.getMessage().contains("labels must be 1-D"), c.getMessage());
    }
}
