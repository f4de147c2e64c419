package org.ntk4j.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 and 2.0; 3.0 is read too): little-endian
 * {@code <f8}, {@code <f4}, {@code <i4}, {@code <i8}, C order, 1-D and 2-D. Files are written with version 1.0
 * unless the header needs 2.0, padded as NumPy pads them, through a temporary file and a move.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /**
     * @param file a {@code .npy} file
     * @return its array
     * @throws MalformedDataException naming the file and the problem (bad magic, unsupported type or version,
     *     Fortran order, a shape other than 1-D or 2-D, truncated data)
     * @throws IOException if the file cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        long length = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString(), length, true);
        }
    }

    /**
     * Reads one array from a stream, leaving the stream just after its data.
     *
     * @param in the stream (read from, not closed)
     * @param source the name used in error messages (a file name, an archive entry)
     * @return the array
     * @throws MalformedDataException naming the source and the problem
     * @throws IOException if the stream cannot be read
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        return read(in, source, -1, false);
    }

    /**
     * @param in the stream (read from, not closed)
     * @param source the name used in error messages
     * @param length the bytes the stream holds, or −1 if unknown: a header that promises more is refused
     *     before anything is allocated
     * @param trusted whether {@code length} is the true length (a file's), so that the array can be allocated
     *     at once; otherwise it grows as the data arrives
     * @return the array
     * @throws MalformedDataException naming the source and the problem
     * @throws IOException if the stream cannot be read
     */
    static NpyArray read(InputStream in, String source, long length, boolean trusted) throws IOException {
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
            throw new MalformedDataException(source + ": not a .npy file (bad magic: expected \\x93NUMPY at the start)");
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        long headerLength;
        if (major == 1) {
            byte[] b = readFully(in, 2, source, "header length");
            headerLength = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = readFully(in, 4, source, "header length");
            headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        } else {
            throw new MalformedDataException(source + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerLength > 1 << 20) {
            throw new MalformedDataException(source + ": implausible .npy header length " + headerLength);
        }
        byte[] headerBytes = readFully(in, (int) headerLength, source, "header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader h = NpyHeader.parse(header, source);
        NpyType type = NpyType.ofDescr(h.descr());
        if (type == null) {
            throw new MalformedDataException(source + ": unsupported dtype '" + h.descr()
                    + "' (supported: <f8, <f4, <i4, <i8)");
        }
        if (h.fortranOrder()) {
            throw new MalformedDataException(source + ": Fortran-order arrays are not supported;"
                    + " save with numpy.ascontiguousarray(a) first");
        }
        int[] shape = h.shape();
        if (shape.length < 1 || shape.length > 2) {
            throw new MalformedDataException(source + ": only 1-D and 2-D arrays are supported, got shape "
                    + Arrays.toString(shape));
        }
        long count = 1;
        for (int s : shape) {
            count *= s;
        }
        long dataBytes = count > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : count * type.bytes();
        long prefix = 8 + (major == 1 ? 2 : 4) + headerLength;
        if (length >= 0 && dataBytes > length - prefix) {
            throw new MalformedDataException(source + ": truncated data: the header promises " + dataBytes
                    + " bytes for shape " + Arrays.toString(shape) + ", the " + (trusted ? "file" : "entry")
                    + " holds " + Math.max(0, length - prefix));
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw new MalformedDataException(source + ": array of shape " + Arrays.toString(shape)
                    + " is too large for one Java array");
        }
        LongFunction<String> truncated = got -> source + ": truncated data: the header promises " + dataBytes
                + " bytes, the file has " + got;
        double[] floats = null;
        long[] ints = null;
        switch (type) {
            case FLOAT64 -> floats = ValueReader.readDoubles(in, count, 8, ByteOrder.LITTLE_ENDIAN,
                    ByteBuffer::getDouble, trusted, source, truncated);
            case FLOAT32 -> floats = ValueReader.readDoubles(in, count, 4, ByteOrder.LITTLE_ENDIAN,
                    ByteBuffer::getFloat, trusted, source, truncated);
            case INT32 -> ints = ValueReader.readLongs(in, count, 4, ByteOrder.LITTLE_ENDIAN,
                    ByteBuffer::getInt, trusted, source, truncated);
            case INT64 -> ints = ValueReader.readLongs(in, count, 8, ByteOrder.LITTLE_ENDIAN,
                    ByteBuffer::getLong, trusted, source, truncated);
            default -> throw new AssertionError(type);
        }
        return NpyArray.wrap(type, shape, floats, ints);
    }

    /**
     * Writes an array to a file through a temporary file in the same folder and a move.
     *
     * @param file the file to create or replace
     * @param array the array (not modified)
     * @throws IOException if writing fails (an existing file is then unchanged)
     */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /**
     * Writes an array to a stream.
     *
     * @param out the stream (appended to, not closed)
     * @param array the array (not modified)
     * @throws IOException if the stream fails
     */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array));
        NpyType type = array.type();
        int n = array.size();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        double[] f = array.floatValues();
        long[] l = array.intValues();
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < 8) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            switch (type) {
                case FLOAT64 -> buf.putDouble(f[i]);
                case FLOAT32 -> buf.putFloat((float) f[i]);
                case INT32 -> buf.putInt((int) l[i]);
                case INT64 -> buf.putLong(l[i]);
                default -> throw new AssertionError(type);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** The magic, version, length and padded header dictionary, as numpy.lib.format writes them. */
    static byte[] header(NpyArray array) {
        return header(array.type(), array.shape());
    }

    /** The header of an array of that type and shape. */
    static byte[] header(NpyType type, int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(type.descr())
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i > 0 ? ", " : "").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        int major = 1;
        int pre = MAGIC.length + 2 + 2;
        int total = pre + dict.length() + 1;
        if (roundUp(total) - pre > 0xffff) {
            major = 2;
            pre += 2;
            total += 2;
        }
        int padded = roundUp(total);
        dict.append(" ".repeat(padded - total)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(pre + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        b.put(text);
        return b.array();
    }

    private static int roundUp(int n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static byte[] readFully(InputStream in, int n, String source, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new MalformedDataException(source + ": truncated .npy " + what + " (expected " + n + " bytes, got "
                    + b.length + ")");
        }
        return b;
    }
}
