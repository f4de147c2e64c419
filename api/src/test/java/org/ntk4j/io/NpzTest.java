package org.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Npz} against archives written by {@code numpy.savez} and {@code numpy.savez_compressed}. */
class NpzTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("reads a stored archive written by numpy.savez")
    void readsStored() throws IOException {
        Map<String, NpyArray> a = Npz.read(NpyTest.golden("stored.npz"));
        assertEquals(List.of("x", "labels"), List.copyOf(a.keySet()));
        assertArrayEquals(NpyTest.f8Golden(), a.get("x").toDoubles(), 0.0);
        assertArrayEquals(new int[] {3, 4}, a.get("x").shape());
        assertArrayEquals(new long[] {3, 1, 4}, a.get("labels").toLongs());
    }

    @Test
    @DisplayName("reads a deflated archive written by numpy.savez_compressed")
    void readsDeflated() throws IOException {
        Map<String, NpyArray> a = Npz.read(NpyTest.golden("deflated.npz"));
        assertEquals(NpyType.FLOAT32, a.get("w").type());
        assertArrayEquals(new int[] {1, 2}, a.get("w").shape());
        assertArrayEquals(new double[] {0.25, -0.5}, a.get("w").toDoubles(), 0.0);
        assertArrayEquals(new int[] {7, 8}, a.get("b").toInts());
    }

    @Test
    @DisplayName("round-trips stored and deflated archives, keeping names and order")
    void roundTrip() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("layer0.W", NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        arrays.put("layer0.b", NpyArray.ofFloats(new float[] {0.5f, -0.5f}, 2));
        arrays.put("steps", NpyArray.ofLongs(new long[] {42}, 1));
        for (boolean compressed : new boolean[] {false, true}) {
            Path out = tmp.resolve("p" + compressed + ".npz");
            Npz.write(out, arrays, compressed);
            assertEquals(arrays, Npz.read(out));
            try (ZipFile zip = new ZipFile(out.toFile())) {
                ZipEntry e = zip.getEntry("layer0.W.npy");
                assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED, e.getMethod());
            }
        }
    }

    @Test
    @DisplayName("names the file for a non-zip file and the entry for a bad array")
    void errors() throws IOException {
        MalformedDataException notZip = assertThrows(MalformedDataException.class,
                () -> Npz.read(NpyTest.golden("f8_3x4.npy")));
        assertTrue(notZip.getMessage().contains("f8_3x4.npy: not a .npz"), notZip.getMessage());

        Path bad = tmp.resolve("bad.npz");
        Map<String, NpyArray> ok = Map.of("a", NpyArray.ofDoubles(new double[] {1}, 1));
        Npz.write(bad, ok, false);
        byte[] bytes = Files.readAllBytes(bad);
        // corrupt the magic of the first entry's .npy content (stored, so it is readable in place)
        int at = indexOf(bytes, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
        bytes[at + 1] = 'X';
        Files.write(bad, bytes);
        Exception e = assertThrows(IOException.class, () -> Npz.read(bad));
        assertTrue(e.getMessage().contains("bad.npz!a.npy"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Npz.write(tmp.resolve("x.npz"), Map.of("a/../b", ok.get("a")), true));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
