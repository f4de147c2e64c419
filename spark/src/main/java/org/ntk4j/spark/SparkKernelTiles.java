package org.ntk4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ntk4j.backend.Backend;
import org.ntk4j.io.AtomicFiles;
import org.ntk4j.io.Json;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.MappedNpyWriter;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.NpyType;
import org.ntk4j.predict.KernelTiles;
import org.ntk4j.predict.OutOfCoreKernel;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The exact N×N kernel computed tile by tile on Spark executors: one task per tile on or above the diagonal,
 * each written as its own {@code tile-I-J.npy} into a folder every executor and the driver can reach (a shared
 * file system), then an {@code index.json} naming them. A tile already there is not computed again, so a
 * failed job resumes. {@link #assemble} turns the folder into one {@code .npy}, byte for byte what
 * {@link OutOfCoreKernel} writes on one machine.
 */
public final class SparkKernelTiles {

    /** The name of the folder's index. */
    public static final String INDEX = "index.json";

    private SparkKernelTiles() {
    }

    /** One tile's coordinates. */
    private record Tile(int i, int j) implements Serializable {
        private static final long serialVersionUID = 1L;

        String file() {
            return "tile-" + i + "-" + j + ".npy";
        }
    }

    /**
     * Computes the missing tiles and writes the index.
     *
     * @param sc the Spark context
     * @param spec the kernel
     * @param x row-major N×d samples (not modified; broadcast)
     * @param d the number of features
     * @param dir the shared folder (created if missing)
     * @param type {@link NpyType#FLOAT32} or {@link NpyType#FLOAT64}
     * @param tile samples per tile ≥ 1
     * @return the number of tiles computed in this job
     * @throws IOException when the folder or the index cannot be written
     */
    public static int write(JavaSparkContext sc, KernelSpec spec, double[] x, int d, Path dir, NpyType type, int tile)
            throws IOException {
        if (type != NpyType.FLOAT32 && type != NpyType.FLOAT64) {
            throw new IllegalArgumentException("kernel tiles: type must be float32 or float64, got " + type);
        }
        Files.createDirectories(dir);
        int n = x.length / d;
        int tiles = (n + tile - 1) / tile;
        List<Tile> todo = new ArrayList<>();
        List<Object> listed = new ArrayList<>();
        for (int j = 0; j < tiles; j++) {
            for (int i = 0; i <= j; i++) {
                Tile t = new Tile(i, j);
                if (!Files.exists(dir.resolve(t.file()))) {
                    todo.add(t);
                }
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("i", i);
                e.put("j", j);
                e.put("file", t.file());
                listed.add(e);
            }
        }
        if (!todo.isEmpty()) {
            Broadcast<double[]> bx = sc.broadcast(x);
            String folder = dir.toAbsolutePath().toString();
            sc.parallelize(todo, todo.size()).foreach(t -> writeTile(spec, bx.value(), d, n, tile, t, type,
                    Paths.get(folder)));
            bx.destroy();
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("rows", n);
        index.put("cols", n);
        index.put("tile", tile);
        index.put("dtype", type.descr());
        index.put("symmetric", true);
        index.put("kernel", spec.toString());
        index.put("tiles", listed);
        AtomicFiles.writeString(dir.resolve(INDEX), Json.write(index));
        return todo.size();
    }

    private static void writeTile(KernelSpec spec, double[] x, int d, int n, int tile, Tile t, NpyType type, Path dir) {
        Backend be = ExecutorBackend.get();
        int r0 = t.i() * tile;
        int r1 = Math.min(n, r0 + tile);
        int c0 = t.j() * tile;
        int c1 = Math.min(n, c0 + tile);
        double[] values;
        try (TensorScope scope = be.scope()) {
            double[] cols = new double[(c1 - c0) * d];
            System.arraycopy(x, c0 * d, cols, 0, cols.length);
            Tensor b = be.fromHost(cols, c1 - c0, d, DType.F64);
            values = KernelTiles.block(be, spec.kernel(), x, d, r0, r1, b);
        }
        NpyArray a;
        if (type == NpyType.FLOAT64) {
            a = NpyArray.ofDoubles(values, r1 - r0, c1 - c0);
        } else {
            float[] f = new float[values.length];
            for (int k = 0; k < f.length; k++) {
                f[k] = (float) values[k];
            }
            a = NpyArray.ofFloats(f, r1 - r0, c1 - c0);
        }
        try {
            Npy.write(dir.resolve(t.file()), a);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(t.file()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the folder's tiles, each with its mirror, into one memory-mapped {@code .npy} (resumable, as
     * {@link MappedNpyWriter}).
     *
     * @param dir the folder with {@code index.json}
     * @param target the {@code .npy} to make
     * @throws IOException when a tile or the index is missing or malformed, or writing fails
     */
    public static void assemble(Path dir, Path target) throws IOException {
        Path indexFile = dir.resolve(INDEX);
        Object parsed = Json.parse(Files.readString(indexFile), indexFile.toString());
        if (!(parsed instanceof Map<?, ?> index) || !(index.get("tiles") instanceof List<?> tiles)) {
            throw new MalformedDataException(indexFile + ": not a kernel tile index (no \"tiles\" list)");
        }
        int n = ((Number) index.get("rows")).intValue();
        int tile = ((Number) index.get("tile")).intValue();
        NpyType type = "<f4".equals(index.get("dtype")) ? NpyType.FLOAT32 : NpyType.FLOAT64;
        try (MappedNpyWriter w = MappedNpyWriter.open(target, n, n, type, tile, tile,
                String.valueOf(index.get("kernel")))) {
            for (Object o : tiles) {
                Map<?, ?> e = (Map<?, ?>) o;
                int i = ((Number) e.get("i")).intValue();
                int j = ((Number) e.get("j")).intValue();
                if (!w.isDone(i, j)) {
                    w.writeTile(i, j, Npy.read(dir.resolve(String.valueOf(e.get("file")))).toDoubles(), i != j);
                }
            }
            w.complete(tiles.size());
        }
    }
}
