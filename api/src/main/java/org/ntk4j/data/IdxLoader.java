package org.ntk4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.ValueReader;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, …), raw or gzip-compressed (detected by the magic bytes, not the name).
 * An IDX file is a big-endian header — two zero bytes, a type code, the number of dimensions, one 32-bit size
 * per dimension — followed by the values.
 */
public final class IdxLoader {

    private IdxLoader() {
    }

    /**
     * An IDX array.
     *
     * @param shape the dimensions
     * @param values the values, row-major
     */
    public record IdxArray(int[] shape, double[] values) {
    }

    /**
     * Reads an images file and a labels file as a data set: each image flattened to one row, pixels divided by
     * {@code scale} (255 puts unsigned-byte pixels in [0, 1]), classes the largest label + 1 (at least 10
     * for MNIST-style labels that cover 0..9).
     *
     * @param images an IDX file of n items (n×h×w images, sample shape (h, w, 1); n×h×w×c, (h, w, c); or n×d rows)
     * @param labels an IDX file of n integer labels in 0..255
     * @param limit read at most this many samples (0 for all)
     * @param scale the divisor for the pixel values, positive
     * @return the data set, named after the images file
     * @throws MalformedDataException naming the file and the problem (bad magic, truncated data, a count
     *     mismatch between images and labels)
     * @throws IOException if a file cannot be read
     */
    public static Dataset load(Path images, Path labels, int limit, double scale) throws IOException {
        IdxArray x = read(images, limit);
        IdxArray y = read(labels, limit);
        if (y.shape().length != 1) {
            throw new MalformedDataException(labels + ": labels must be 1-D, got shape " + Arrays.toString(y.shape()));
        }
        if (x.shape()[0] != y.shape()[0]) {
            throw new MalformedDataException(images + " has " + x.shape()[0] + " items but " + labels + " has "
                    + y.shape()[0] + " labels");
        }
        int n = x.shape()[0];
        if (n == 0 || x.values().length == 0) {
            throw new MalformedDataException(images + ": no items (shape " + Arrays.toString(x.shape()) + ")");
        }
        int d = x.values().length / n;
        double[] features = x.values();
        for (int i = 0; i < features.length; i++) {
            if (!Double.isFinite(features[i])) {
                throw new MalformedDataException(images + ": item " + (i / d + 1) + ", value " + (i % d + 1) + " is "
                        + features[i] + " (only finite numbers are allowed)");
            }
            features[i] /= scale;
        }
        int[] lab = new int[n];
        int max = 0;
        for (int i = 0; i < n; i++) {
            double v = y.values()[i];
            if (v < 0 || v != Math.rint(v) || v >= Dataset.MAX_CLASSES) {
                throw new MalformedDataException(labels + ": label " + (i + 1) + " is " + v
                        + ", out of range (labels are 0.." + (Dataset.MAX_CLASSES - 1) + ", one per class)");
            }
            lab[i] = (int) v;
            max = Math.max(max, lab[i]);
        }
        String name = images.getFileName().toString().replaceAll("(\\.gz)$", "");
        int[] shape = x.shape();
        int[] sample = shape.length == 3 ? new int[] {shape[1], shape[2], 1}
                : shape.length == 4 ? new int[] {shape[1], shape[2], shape[3]} : new int[] {d};
        return new Dataset(name, features, n, sample, lab, max + 1);
    }

    /**
     * @param file an IDX file, raw or gzip
     * @param limit read at most this many items along the first dimension (0 for all)
     * @return the array (with the first dimension reduced to the items read)
     * @throws MalformedDataException naming the file and the problem
     * @throws IOException if the file cannot be read
     */
    public static IdxArray read(Path file, int limit) throws IOException {
        long length = Files.size(file);
        try (BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            boolean gzip = Gzip.isGzip(raw);
            InputStream in = Gzip.maybeDecompress(raw, file.toString());
            IdxArray a = read(in, file.toString(), limit, gzip ? -1 : length);
            if (gzip && (limit <= 0 || limit >= a.shape()[0])) {
                in.transferTo(OutputStream.nullOutputStream()); // to the end, where gzip checks its CRC
            }
            return a;
        }
    }

    /**
     * @param stream the IDX bytes (read from, not closed)
     * @param source the name used in error messages
     * @param limit read at most this many items along the first dimension (0 for all)
     * @return the array
     * @throws MalformedDataException naming the source and the problem
     * @throws IOException if the stream fails
     */
    public static IdxArray read(InputStream stream, String source, int limit) throws IOException {
        return read(stream, source, limit, -1);
    }

    /**
     * @param length the bytes the stream holds (a raw file's length), or −1 if unknown (compressed): data that
     *     the header promises beyond it is refused before anything is allocated; with an unknown length the
     *     array grows as the data arrives
     */
    private static IdxArray read(InputStream stream, String source, int limit, long length) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[4];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new MalformedDataException(source + ": truncated IDX header (shorter than 4 bytes)");
        }
        int type = magic[2] & 0xff;
        int ndim = magic[3] & 0xff;
        int width = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> -1;
        };
        if (magic[0] != 0 || magic[1] != 0 || width < 0 || ndim < 1) {
            throw new MalformedDataException(source + ": not an IDX file (bad magic " + String.format("%02x %02x %02x %02x",
                    magic[0], magic[1], magic[2], magic[3]) + "; expected 00 00 <type 08..0e> <dimensions>)");
        }
        int[] shape = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            try {
                shape[i] = in.readInt();
            } catch (EOFException e) {
                throw new MalformedDataException(source + ": truncated IDX header (dimension " + (i + 1) + " of "
                        + ndim + " missing)");
            }
            if (shape[i] < 0) {
                throw new MalformedDataException(source + ": negative IDX dimension " + shape[i]);
            }
        }
        int items = limit > 0 ? Math.min(limit, shape[0]) : shape[0];
        long itemSize = 1;
        for (int i = 1; i < ndim; i++) {
            itemSize *= shape[i];
            if (itemSize > Integer.MAX_VALUE) {
                throw new MalformedDataException(source + ": IDX items of shape " + Arrays.toString(shape)
                        + " are too large for one Java array");
            }
        }
        long count = items * itemSize;
        String promised = (long) shape[0] * itemSize + " values of " + width + " byte" + (width > 1 ? "s" : "");
        long available = length - 4 - 4L * ndim;
        if (length >= 0 && count > available / width) {
            throw new MalformedDataException(source + ": truncated IDX data: the header (shape "
                    + Arrays.toString(shape) + ") promises " + promised + ", the file holds " + available + " bytes");
        }
        double[] v = ValueReader.readDoubles(in, count, width, ByteOrder.BIG_ENDIAN, switch (type) {
            case 0x08 -> (b, at) -> b.get(at) & 0xff;
            case 0x09 -> ByteBuffer::get;
            case 0x0B -> ByteBuffer::getShort;
            case 0x0C -> ByteBuffer::getInt;
            case 0x0D -> ByteBuffer::getFloat;
            default -> ByteBuffer::getDouble;
        }, length >= 0, source, got -> source + ": truncated IDX data: the header promises " + promised
                + ", the data ends after " + got + " bytes");
        shape[0] = items;
        return new IdxArray(shape, v);
    }
}
