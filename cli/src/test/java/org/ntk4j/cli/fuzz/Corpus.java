package org.ntk4j.cli.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;

/**
 * The generated part of the fuzz corpus: binary files (IDX folders, gzip, .npz archives) and the large ones
 * (bombs, deep JSON), written into a folder beside copies of the committed text files.
 */
final class Corpus {

    static final String[] COMMITTED = {"label-overflow.csv", "label-huge.csv", "label-negative.csv",
        "label-fraction.csv", "nan.csv", "overflow-value.csv", "inf.csv", "ragged.csv", "text-cell.csv",
        "one-class.csv", "sparse-labels.csv", "empty.csv", "header-only.csv", "one-column.csv",
        "features-1e300.csv", "unterminated.json", "trailing.json", "not-array.json", "duplicate-key.json",
        "class-null.json", "class-range.json", "class-huge.json", "latin1.json", "empty.json", "not-zip.npz"};

    private Corpus() {
    }

    /**
     * @param dir an empty folder to fill
     * @throws IOException if writing fails
     */
    static void write(Path dir) throws IOException {
        for (String name : COMMITTED) {
            try (InputStream in = Corpus.class.getResourceAsStream("/fuzz/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        byte[] csv = csv();
        byte[] gz = gzip(csv);
        Files.write(dir.resolve("truncated.csv.gz"), Arrays.copyOf(gz, gz.length / 2));
        Files.write(dir.resolve("corrupt.csv.gz"), flipTrailer(gz));
        Files.write(dir.resolve("bad-header.csv.gz"), new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2});
        Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000) + "]".repeat(100_000));
        idxFolders(dir);
        npzFiles(dir);
    }

    /** A valid CSV of 40 rows, 3 features and 2 classes. */
    static byte[] csv() {
        StringBuilder sb = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i * 0.5).append(',').append(-i).append(',').append(i % 7).append(',').append(i % 2).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] flipTrailer(byte[] gz) {
        byte[] b = gz.clone();
        b[b.length - 8] ^= (byte) 0xff; // the CRC
        return b;
    }

    /**
     * @param type the IDX type code (8 unsigned byte, 0x0C int, 0x0D float)
     * @param shape the dimensions
     * @param values the values, as many as the data holds (fewer than the shape promises for a truncated file)
     * @return the IDX bytes
     */
    static byte[] idx(int type, int[] shape, double[] values) {
        int width = type == 8 ? 1 : 4;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + width * values.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
        for (int s : shape) {
            b.putInt(s);
        }
        for (double v : values) {
            switch (type) {
                case 8 -> b.put((byte) v);
                case 0x0C -> b.putInt((int) v);
                default -> b.putFloat((float) v);
            }
        }
        return b.array();
    }

    private static double[] ramp(int n, int modulo) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % modulo;
        }
        return v;
    }

    /** A valid MNIST-style folder: 8 training and 4 test images of 2×2 pixels, labels 0..3. */
    static Path idxFolder(Path dir, String name) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(8, new int[] {8, 2, 2}, ramp(32, 256)));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(8, new int[] {8}, ramp(8, 4)));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(8, new int[] {4, 2, 2}, ramp(16, 256)));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(8, new int[] {4}, ramp(4, 4)));
        return d;
    }

    private static void idxFolders(Path dir) throws IOException {
        byte[] claims = Arrays.copyOf(idx(8, new int[] {1024, 1024, 1024}, new double[0]), 1024);
        Files.write(idxFolder(dir, "idx-claims").resolve("train-images-idx3-ubyte"), claims);
        Path bomb = idxFolder(dir, "idx-bomb");
        Files.delete(bomb.resolve("train-images-idx3-ubyte"));
        Bombs.gzip(bomb.resolve("train-images-idx3-ubyte.gz"), idx(8, new int[] {1 << 20, 32, 32}, new double[0]),
                1L << 30);
        byte[] images = gzip(idx(8, new int[] {8, 2, 2}, ramp(32, 256)));
        Path truncated = idxFolder(dir, "idx-gz-truncated");
        Files.delete(truncated.resolve("train-images-idx3-ubyte"));
        Files.write(truncated.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(images, images.length - 12));
        Path corrupt = idxFolder(dir, "idx-gz-corrupt");
        Files.delete(corrupt.resolve("train-images-idx3-ubyte"));
        Files.write(corrupt.resolve("train-images-idx3-ubyte.gz"), flipTrailer(images));
        Files.write(idxFolder(dir, "idx-truncated").resolve("train-labels-idx1-ubyte"),
                Arrays.copyOf(idx(8, new int[] {8}, ramp(8, 4)), 12));
        Files.writeString(idxFolder(dir, "idx-bad-magic").resolve("train-images-idx3-ubyte"), "hello, world");
        double[] nan = ramp(32, 256);
        nan[6] = Double.NaN;
        Files.write(idxFolder(dir, "idx-nan").resolve("train-images-idx3-ubyte"), idx(0x0D, new int[] {8, 2, 2}, nan));
        double[] big = ramp(8, 4);
        big[1] = 1_000_000;
        Files.write(idxFolder(dir, "idx-label-big").resolve("train-labels-idx1-ubyte"), idx(0x0C, new int[] {8}, big));
        Files.write(idxFolder(dir, "idx-count-mismatch").resolve("train-labels-idx1-ubyte"),
                idx(8, new int[] {5}, ramp(5, 4)));
        Path unseen = idxFolder(dir, "idx-unseen-label");
        Files.write(unseen.resolve("train-labels-idx1-ubyte"), idx(8, new int[] {8}, ramp(8, 3)));
        Files.write(unseen.resolve("t10k-labels-idx1-ubyte"), idx(8, new int[] {4}, new double[] {3, 0, 1, 2}));
        Path empty = idxFolder(dir, "idx-empty");
        Files.write(empty.resolve("train-images-idx3-ubyte"), idx(8, new int[] {0, 2, 2}, new double[0]));
        Files.write(empty.resolve("train-labels-idx1-ubyte"), idx(8, new int[] {0}, new double[0]));
    }

    /** Parameters that fit {@code --hidden 4} on the digits: W0 64×4, b0 4, W1 4×10, b1 10. */
    static Map<String, NpyArray> params() {
        Map<String, NpyArray> p = new LinkedHashMap<>();
        p.put("W0", NpyArray.ofDoubles(ramp(256, 5), 64, 4));
        p.put("b0", NpyArray.ofDoubles(new double[4], 4));
        p.put("W1", NpyArray.ofDoubles(ramp(40, 3), 4, 10));
        p.put("b1", NpyArray.ofDoubles(new double[10], 10));
        return p;
    }

    /**
     * @param descr the dtype
     * @param fortran the fortran_order flag
     * @param shape the shape as Python writes it, e.g. "(3, 4)"
     * @param dataBytes the bytes of zeros after the header
     * @return the .npy bytes
     */
    static byte[] npy(String descr, boolean fortran, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shape + ", }";
        int total = 10 + dict.length() + 1;
        dict += " ".repeat((total + 63) / 64 * 64 - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dict.length());
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static void zipOf(Path file, String entry, byte[] data) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(data);
            zip.closeEntry();
        }
    }

    private static void npzFiles(Path dir) throws IOException {
        Map<String, NpyArray> p = params();
        double[] w0 = p.get("W0").toDoubles();
        w0[5] = Double.NaN;
        p.put("W0", NpyArray.ofDoubles(w0, 64, 4));
        Npz.write(dir.resolve("params-nan.npz"), p, true);
        p = params();
        double[] b1 = new double[10];
        b1[0] = Double.POSITIVE_INFINITY;
        p.put("b1", NpyArray.ofDoubles(b1, 10));
        Npz.write(dir.resolve("params-inf.npz"), p, false);
        p = params();
        p.put("W0", NpyArray.ofDoubles(new double[240], 4, 60));
        Npz.write(dir.resolve("params-shape.npz"), p, true);
        p = params();
        double[] huge = new double[256];
        java.util.Arrays.fill(huge, 1e200);
        p.put("W0", NpyArray.ofDoubles(huge, 64, 4));
        p.put("W1", NpyArray.ofDoubles(Arrays.copyOf(huge, 40), 4, 10));
        Npz.write(dir.resolve("params-overflow.npz"), p, true);
        p = params();
        p.remove("b1");
        Npz.write(dir.resolve("params-missing.npz"), p, true);
        Bombs.zip(dir.resolve("params-bomb.npz"), "W0.npy", npy("<f8", false, "(16384, 16384)", 0), 1L << 31);
        zipOf(dir.resolve("params-lying.npz"), "W0.npy", npy("<f8", false, "(100000, 100000)", 80));
        zipOf(dir.resolve("params-dtype.npz"), "W0.npy", npy("<c16", false, "(64, 4)", 64 * 4 * 16));
        zipOf(dir.resolve("params-fortran.npz"), "W0.npy", npy("<f8", true, "(64, 4)", 64 * 4 * 8));
        zipOf(dir.resolve("params-3d.npz"), "W0.npy", npy("<f8", false, "(64, 2, 2)", 64 * 4 * 8));
        Npz.write(dir.resolve("whole.npz"), params(), true);
        byte[] whole = Files.readAllBytes(dir.resolve("whole.npz"));
        Files.write(dir.resolve("params-truncated.npz"), Arrays.copyOf(whole, whole.length / 2));
    }
}
