package org.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Npy} against golden files written by NumPy 1.24 ({@code make_goldens.py} beside them). */
class NpyTest {

    @TempDir
    Path tmp;

    static Path golden(String name) {
        try {
            return Path.of(NpyTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] f8Golden() {
        double[] v = new double[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i / 8.0 - 0.5;
        }
        v[0] = Math.PI;
        v[11] = -1e300;
        return v;
    }

    @Test
    @DisplayName("reads a 2-D <f8 array written by numpy.save")
    void readsF8() throws IOException {
        NpyArray a = Npy.read(golden("f8_3x4.npy"));
        assertEquals(NpyType.FLOAT64, a.type());
        assertArrayEquals(new int[] {3, 4}, a.shape());
        assertArrayEquals(f8Golden(), a.toDoubles(), 0.0);
    }

    @Test
    @DisplayName("reads <f4, <i4, <i8 and an empty array")
    void readsOtherTypes() throws IOException {
        NpyArray f4 = Npy.read(golden("f4_5.npy"));
        assertEquals(NpyType.FLOAT32, f4.type());
        assertArrayEquals(new double[] {1.5, -2.25, (float) 3.0e-8, 65504.0, -0.0}, f4.toDoubles(), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(f4.toDoubles()[4]));

        NpyArray i4 = Npy.read(golden("i4_2x3.npy"));
        assertEquals(NpyType.INT32, i4.type());
        assertArrayEquals(new int[] {2, 3}, i4.shape());
        assertArrayEquals(new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, i4.toInts());

        NpyArray i8 = Npy.read(golden("i8_4.npy"));
        assertArrayEquals(new long[] {0, -1, (1L << 53) + 1, -(1L << 62)}, i8.toLongs());
        assertThrows(IllegalStateException.class, i8::toInts, "2^53+1 does not fit in an int");

        NpyArray empty = Npy.read(golden("f8_empty.npy"));
        assertArrayEquals(new int[] {0}, empty.shape());
        assertEquals(0, empty.size());
    }

    @Test
    @DisplayName("reads format version 2.0")
    void readsVersion2() throws IOException {
        NpyArray a = Npy.read(golden("f8_v2_2x2.npy"));
        assertArrayEquals(new double[] {1, 2, 3, 4}, a.toDoubles(), 0.0);
        assertEquals(2, a.rows());
        assertEquals(2, a.cols());
    }

    @Test
    @DisplayName("writes byte for byte what numpy.save writes")
    void writesLikeNumpy() throws IOException {
        assertSameBytes("f8_3x4.npy", NpyArray.ofDoubles(f8Golden(), 3, 4));
        assertSameBytes("f4_5.npy", NpyArray.ofFloats(new float[] {1.5f, -2.25f, 3.0e-8f, 65504f, -0f}, 5));
        assertSameBytes("i4_2x3.npy",
                NpyArray.ofInts(new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, 2, 3));
        assertSameBytes("i8_4.npy", NpyArray.ofLongs(new long[] {0, -1, (1L << 53) + 1, -(1L << 62)}, 4));
        assertSameBytes("f8_empty.npy", NpyArray.ofDoubles(new double[0], 0));
    }

    private void assertSameBytes(String golden, NpyArray array) throws IOException {
        Path out = tmp.resolve(golden);
        Npy.write(out, array);
        assertArrayEquals(Files.readAllBytes(golden(golden)), Files.readAllBytes(out), golden);
        assertEquals(array, Npy.read(out), "round trip of " + golden);
    }

    @Test
    @DisplayName("round-trips every golden file through write and read")
    void roundTripsGoldens() throws IOException {
        for (String name : new String[] {"f8_3x4.npy", "f4_5.npy", "i4_2x3.npy", "i8_4.npy", "f8_v2_2x2.npy"}) {
            NpyArray a = Npy.read(golden(name));
            Path out = tmp.resolve("rt-" + name);
            Npy.write(out, a);
            assertEquals(a, Npy.read(out), name);
        }
    }

    @Test
    @DisplayName("switches to version 2.0 when the header does not fit in 65535 bytes")
    void headerVersionSwitch() throws IOException {
        NpyArray small = NpyArray.ofDoubles(new double[] {1}, 1, 1);
        byte[] h = Npy.header(small);
        assertEquals(1, h[6]);
        assertEquals(0, h.length % 64);
        assertEquals('\n', h[h.length - 1]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, small);
        assertEquals(h.length + 8, out.size());
    }

    @Test
    @DisplayName("names the file and the problem for bad input")
    void errors() {
        assertError("bad_magic.npy", "bad magic");
        assertError("u1_3.npy", "unsupported dtype '|u1'");
        assertError("big_endian.npy", "unsupported dtype '>f8'");
        assertError("fortran_2x2.npy", "Fortran-order");
        assertError("f8_3d.npy", "only 1-D and 2-D");
        assertError("truncated.npy", "truncated data: the header promises 96 bytes for shape [3, 4], the file holds 40");
    }

    private static void assertError(String golden, String expected) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Npy.read(golden(golden)));
        assertTrue(e.getMessage().contains(golden), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    @DisplayName("a failed write leaves the existing file as it was and no temporary file behind")
    void atomicWrite() throws IOException {
        Path target = tmp.resolve("keep.npy");
        Npy.write(target, NpyArray.ofDoubles(new double[] {1, 2}, 2));
        byte[] before = Files.readAllBytes(target);
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(target, (OutputStream out) -> {
            out.write(new byte[100]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", boom.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    @DisplayName("rejects shapes that do not match the values")
    void shapeChecks() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofDoubles(new double[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofDoubles(new double[8], 2, 2, 2));
    }

    @Test
    @DisplayName("a stream whose header promises 760 MB but holds 80 bytes fails as truncated after 8 MB at most")
    void lyingStream() {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (10000, 10000), }";
        dict += " ".repeat(117 - dict.length()) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128 + 80).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) 118);
        b.put(dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Npy.read(new java.io.ByteArrayInputStream(b.array()), "lie.npy"));
        assertEquals("lie.npy: truncated data: the header promises 800000000 bytes, the file has 80", e.getMessage());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 100L << 20, (after - before) + " bytes used");
    }
}
