package org.ntk4j.predict;

import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/** Kernel blocks of host samples against tensors already on a backend, one tile of rows at a time. */
public final class KernelTiles {

    private KernelTiles() {
    }

    /**
     * K(X[r0, r1), B) on the host.
     *
     * @param backend the backend
     * @param kernel the kernel
     * @param x row-major N×d samples on the host (not modified)
     * @param d the number of features
     * @param r0 the first row, inclusive
     * @param r1 the last row, exclusive
     * @param b Nb×d inputs on the backend (not modified)
     * @return row-major (r1 − r0)×Nb values
     */
    public static double[] block(Backend backend, CrossKernel kernel, double[] x, int d, int r0, int r1, Tensor b) {
        double[] rows = new double[(r1 - r0) * d];
        System.arraycopy(x, r0 * d, rows, 0, rows.length);
        try (TensorScope scope = backend.scope()) {
            Tensor a = backend.fromHost(rows, r1 - r0, d, DType.F64);
            return backend.toHost(kernel.block(backend, a, b));
        }
    }

    /**
     * K(A, B) for host samples A against B, in tiles of rows.
     *
     * @param backend the backend
     * @param kernel the kernel
     * @param x row-major Na×d samples on the host (not modified)
     * @param d the number of features
     * @param b Nb×d inputs on the backend (not modified)
     * @param tileRows rows per tile ≥ 1
     * @param phase the phase name progress is told
     * @param progress told after every tile
     * @return row-major Na×Nb values
     */
    public static double[] full(Backend backend, CrossKernel kernel, double[] x, int d, Tensor b, int tileRows,
                                String phase, FalkonProgress progress) {
        int n = x.length / d;
        int nb = b.rows();
        double[] out = new double[Math.multiplyExact(n, nb)];
        int tiles = (n + tileRows - 1) / tileRows;
        for (int t = 0; t < tiles; t++) {
            int r0 = t * tileRows;
            int r1 = Math.min(n, r0 + tileRows);
            System.arraycopy(block(backend, kernel, x, d, r0, r1, b), 0, out, r0 * nb, (r1 - r0) * nb);
            progress.kernelTile(phase, t + 1, tiles);
        }
        return out;
    }
}
