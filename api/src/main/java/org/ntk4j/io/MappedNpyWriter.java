package org.ntk4j.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A rows×cols F32 or F64 {@code .npy} matrix written block by block straight into a memory-mapped file, for
 * matrices larger than the heap, that survives being killed. While it is written the file is
 * {@code NAME.partial} (NumPy never sees an incomplete {@code NAME}) with a sidecar {@code NAME.partial.tiles}
 * listing the tiles finished, each forced to disk before it is listed (the list is fsync'd after every tile).
 * Opening the same target with the same shape, type, tiling and identity resumes: the tiles listed are
 * skipped. {@link #complete} renames the file into place and deletes the sidecar. Regions are mapped a row
 * run at a time, in chunks under 2 GB.
 */
public final class MappedNpyWriter implements AutoCloseable {

    private static final String FORMAT = "ntk4j-tiles 1";
    private static final long CHUNK = 1L << 30;

    private final Path target;
    private final Path partial;
    private final Path sidecar;
    private final int rows;
    private final int cols;
    private final NpyType type;
    private final int tileRows;
    private final int tileCols;
    private final long dataOffset;
    private final int tilesAcross;
    private final BitSet done;
    private final RandomAccessFile file;
    private final FileChannel channel;
    private final FileChannel log;

    private MappedNpyWriter(Path target, int rows, int cols, NpyType type, int tileRows, int tileCols, String identity)
            throws IOException {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
        this.sidecar = target.resolveSibling(target.getFileName() + ".partial.tiles");
        this.rows = rows;
        this.cols = cols;
        this.type = type;
        this.tileRows = tileRows;
        this.tileCols = tileCols;
        this.tilesAcross = (cols + tileCols - 1) / tileCols;
        byte[] header = Npy.header(type, new int[] {rows, cols});
        this.dataOffset = header.length;
        String first = FORMAT + " " + rows + " " + cols + " " + type.descr() + " " + tileRows + " " + tileCols + " "
                + identity.replaceAll("\\s+", "_");
        this.done = new BitSet();
        boolean resume = Files.exists(partial) && Files.exists(sidecar);
        if (resume) {
            List<String> lines = Files.readAllLines(sidecar, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(first)) {
                throw new IOException(partial + " was started with other settings (" + (lines.isEmpty() ? "none"
                        : lines.get(0)) + "); delete it and " + sidecar.getFileName() + ", or rerun with those settings");
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] ij = line.trim().split(" ");
                if (ij.length == 2 && ij[0].matches("\\d+") && ij[1].matches("\\d+")) {
                    done.set(Integer.parseInt(ij[0]) * tilesAcross + Integer.parseInt(ij[1]));
                }
            }
        } else {
            Files.deleteIfExists(partial);
            Files.write(sidecar, (first + "\n").getBytes(StandardCharsets.UTF_8));
        }
        this.file = new RandomAccessFile(partial.toFile(), "rw");
        this.channel = file.getChannel();
        if (!resume) {
            file.setLength(dataOffset + (long) rows * cols * type.bytes());
            channel.write(java.nio.ByteBuffer.wrap(header), 0);
            channel.force(true);
        }
        this.log = FileChannel.open(sidecar, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        log.force(true);
    }

    /**
     * Creates {@code target.partial} and its sidecar, or resumes them.
     *
     * @param target the final file
     * @param rows the rows ≥ 1
     * @param cols the columns ≥ 1
     * @param type {@link NpyType#FLOAT32} or {@link NpyType#FLOAT64}
     * @param tileRows rows per tile ≥ 1
     * @param tileCols columns per tile ≥ 1
     * @param identity what is being written (the kernel and its data), so that a resume with other settings is
     *                 refused
     * @return the writer
     * @throws IOException when the files cannot be made, or a partial file has other settings
     */
    public static MappedNpyWriter open(Path target, int rows, int cols, NpyType type, int tileRows, int tileCols,
                                       String identity) throws IOException {
        Objects.requireNonNull(target, "target");
        if (type != NpyType.FLOAT32 && type != NpyType.FLOAT64) {
            throw new IllegalArgumentException("mapped .npy: type must be float32 or float64, got " + type);
        }
        if (rows < 1 || cols < 1 || tileRows < 1 || tileCols < 1) {
            throw new IllegalArgumentException("mapped .npy: need rows, cols and tile sizes ≥ 1, got " + rows + "×"
                    + cols + " in " + tileRows + "×" + tileCols + " tiles");
        }
        return new MappedNpyWriter(target, rows, cols, type, tileRows, tileCols, Objects.requireNonNull(identity));
    }

    /** @return the file being written, {@code NAME.partial} */
    public Path partialFile() {
        return partial;
    }

    /**
     * @param i the tile row
     * @param j the tile column
     * @return whether that tile is finished (in this run or an earlier one)
     */
    public boolean isDone(int i, int j) {
        return done.get(i * tilesAcross + j);
    }

    /** @return the number of tiles finished */
    public int doneCount() {
        return done.cardinality();
    }

    /**
     * Writes tile (i, j), and with {@code mirror} its transpose at (j, i), forces them to disk, and records the
     * tile as finished.
     *
     * @param i the tile row
     * @param j the tile column
     * @param values row-major values of the tile, its rows × its columns (not modified)
     * @param mirror whether to also write the transpose at the mirrored place
     * @throws IOException when writing fails
     */
    public void writeTile(int i, int j, double[] values, boolean mirror) throws IOException {
        int r0 = i * tileRows;
        int c0 = j * tileCols;
        int tr = Math.min(rows, r0 + tileRows) - r0;
        int tc = Math.min(cols, c0 + tileCols) - c0;
        if (r0 >= rows || c0 >= cols || values.length != tr * tc) {
            throw new IllegalArgumentException("tile (" + i + ", " + j + ") of " + values.length + " values does not fit "
                    + rows + "×" + cols + " in " + tileRows + "×" + tileCols + " tiles");
        }
        put(r0, c0, tr, tc, values, false);
        if (mirror) {
            put(c0, r0, tc, tr, values, true);
        }
        log.write(java.nio.ByteBuffer.wrap((i + " " + j + "\n").getBytes(StandardCharsets.UTF_8)));
        log.force(true);
        done.set(i * tilesAcross + j);
    }

    /** Writes a block at (r0, c0), mapping runs of whole rows below the chunk size. */
    private void put(int r0, int c0, int tr, int tc, double[] values, boolean transposed) throws IOException {
        int b = type.bytes();
        long rowBytes = (long) cols * b;
        int perMap = (int) Math.max(1, Math.min(tr, CHUNK / rowBytes));
        for (int a0 = 0; a0 < tr; a0 += perMap) {
            int a1 = Math.min(tr, a0 + perMap);
            long start = dataOffset + (r0 + a0) * rowBytes + (long) c0 * b;
            long length = (a1 - a0 - 1) * rowBytes + (long) tc * b;
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, start, length);
            map.order(ByteOrder.LITTLE_ENDIAN);
            for (int a = a0; a < a1; a++) {
                int pos = (int) ((a - a0) * rowBytes);
                for (int k = 0; k < tc; k++) {
                    double v = transposed ? values[k * tr + a] : values[a * tc + k];
                    if (b == 8) {
                        map.putDouble(pos + k * 8, v);
                    } else {
                        map.putFloat(pos + k * 4, (float) v);
                    }
                }
            }
            map.force();
        }
    }

    /**
     * Renames the finished file into place and deletes the sidecar.
     *
     * @param expectedTiles the number of tiles the matrix needs
     * @throws IOException when tiles are missing or renaming fails
     */
    public void complete(int expectedTiles) throws IOException {
        if (done.cardinality() != expectedTiles) {
            throw new IOException(partial + ": " + done.cardinality() + " of " + expectedTiles + " tiles written");
        }
        channel.force(true);
        close();
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(sidecar);
    }

    @Override
    public void close() throws IOException {
        try (file; log) {
            channel.close();
        }
    }
}
