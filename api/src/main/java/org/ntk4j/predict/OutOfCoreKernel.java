package org.ntk4j.predict;

import java.io.IOException;
import java.nio.file.Path;
import org.ntk4j.backend.Backend;
import org.ntk4j.io.MappedNpyWriter;
import org.ntk4j.io.NpyType;
import org.ntk4j.kernel.TileProgress;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The exact N×N kernel K(X, X) written straight to a memory-mapped {@code .npy} file tile by tile, never held
 * whole: the tiles on and above the diagonal are computed and each is written with its mirror. A killed run
 * resumes from the tiles already recorded ({@link MappedNpyWriter}).
 */
public final class OutOfCoreKernel {

    private OutOfCoreKernel() {
    }

    /**
     * @param n the samples
     * @param tile samples per tile
     * @return the tiles on and above the diagonal
     */
    public static int tileCount(int n, int tile) {
        int t = (n + tile - 1) / tile;
        return t * (t + 1) / 2;
    }

    /**
     * Computes and writes the missing tiles, then moves the file into place.
     *
     * @param backend the backend the tiles are computed on
     * @param kernel the kernel
     * @param x row-major N×d samples (not modified)
     * @param d the number of features
     * @param target the {@code .npy} file to make
     * @param type {@link NpyType#FLOAT32} or {@link NpyType#FLOAT64}
     * @param tile samples per tile ≥ 1
     * @param identity the kernel and data, recorded so that only a run with the same settings resumes
     * @param progress told after every tile, counting those finished earlier
     * @return the number of tiles computed in this run
     * @throws IOException when writing fails, or a partial file has other settings
     */
    public static int write(Backend backend, CrossKernel kernel, double[] x, int d, Path target, NpyType type,
                            int tile, String identity, TileProgress progress) throws IOException {
        int n = x.length / d;
        int tiles = (n + tile - 1) / tile;
        int total = tileCount(n, tile);
        int computed = 0;
        try (MappedNpyWriter w = MappedNpyWriter.open(target, n, n, type, tile, tile, identity)) {
            for (int j = 0; j < tiles; j++) {
                int c0 = j * tile;
                int c1 = Math.min(n, c0 + tile);
                if (allDone(w, j)) {
                    continue;
                }
                try (TensorScope scope = backend.scope()) {
                    double[] cols = new double[(c1 - c0) * d];
                    System.arraycopy(x, c0 * d, cols, 0, cols.length);
                    Tensor b = backend.fromHost(cols, c1 - c0, d, DType.F64);
                    for (int i = 0; i <= j; i++) {
                        if (w.isDone(i, j)) {
                            continue;
                        }
                        int r0 = i * tile;
                        w.writeTile(i, j, KernelTiles.block(backend, kernel, x, d, r0, Math.min(n, r0 + tile), b),
                                i != j);
                        computed++;
                        progress.tileDone(w.doneCount(), total);
                    }
                }
            }
            w.complete(total);
        }
        return computed;
    }

    private static boolean allDone(MappedNpyWriter w, int j) {
        for (int i = 0; i <= j; i++) {
            if (!w.isDone(i, j)) {
                return false;
            }
        }
        return true;
    }
}
