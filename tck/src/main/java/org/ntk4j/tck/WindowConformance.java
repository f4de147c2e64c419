package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.backend.WindowGeometry;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * The window primitives of convolution and pooling layers, whether a backend keeps the SPI's host defaults or
 * overrides them: {@code im2col}, {@code col2im}, {@code segmentedOuterSums} and {@code reshape}, against plain
 * loops written from the definitions (pixel (i·stride + p − padTop, j·stride + q − padLeft) of window (i, j)).
 * im2col and reshape move values and must be exact; the sums are held to the dtype's rounding bound.
 */
public abstract class WindowConformance extends ConformanceGroup {

    /** For subclasses. */
    protected WindowConformance() {
    }

    /** Geometries: SAME 3×3, stride 2 with padding, VALID pooling, 1×1, a non-square window, a single position. */
    private static final WindowGeometry[] GEOMETRIES = {
        new WindowGeometry(5, 4, 2, 3, 3, 1, 1, 1, 5, 4),
        new WindowGeometry(7, 6, 3, 3, 3, 2, 1, 1, 4, 3),
        new WindowGeometry(6, 6, 2, 2, 2, 2, 0, 0, 3, 3),
        new WindowGeometry(3, 5, 4, 1, 1, 1, 0, 0, 3, 5),
        new WindowGeometry(4, 5, 1, 2, 3, 1, 0, 1, 3, 5),
        new WindowGeometry(3, 3, 2, 3, 3, 1, 0, 0, 1, 1),
    };

    /** The value of window (i, j) of sample s at (p, q, c), from the definition. */
    private static double windowValue(HostMatrix x, WindowGeometry g, int s, int i, int j, int p, int q, int c) {
        int y = i * g.stride() + p - g.padTop();
        int xx = j * g.stride() + q - g.padLeft();
        if (y < 0 || y >= g.height() || xx < 0 || xx >= g.width()) {
            return 0;
        }
        return x.get(s, (y * g.width() + xx) * g.channels() + c);
    }

    private static HostMatrix im2colReference(HostMatrix x, WindowGeometry g) {
        HostMatrix out = HostMatrix.zeros(x.rows() * g.positions(), g.windowSize());
        for (int s = 0; s < x.rows(); s++) {
            for (int i = 0; i < g.outHeight(); i++) {
                for (int j = 0; j < g.outWidth(); j++) {
                    int row = s * g.positions() + i * g.outWidth() + j;
                    for (int p = 0; p < g.kernelHeight(); p++) {
                        for (int q = 0; q < g.kernelWidth(); q++) {
                            for (int c = 0; c < g.channels(); c++) {
                                out.set(row, (p * g.kernelWidth() + q) * g.channels() + c,
                                        windowValue(x, g, s, i, j, p, q, c));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** col2im from the definition: each pixel sums the window entries that read it; also Σ|terms| per pixel. */
    private static HostMatrix[] col2imReference(HostMatrix cols, WindowGeometry g) {
        int n = cols.rows() / g.positions();
        HostMatrix out = HostMatrix.zeros(n, g.sampleSize());
        HostMatrix magnitude = HostMatrix.zeros(n, g.sampleSize());
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < g.outHeight(); i++) {
                for (int j = 0; j < g.outWidth(); j++) {
                    for (int p = 0; p < g.kernelHeight(); p++) {
                        for (int q = 0; q < g.kernelWidth(); q++) {
                            int y = i * g.stride() + p - g.padTop();
                            int xx = j * g.stride() + q - g.padLeft();
                            if (y < 0 || y >= g.height() || xx < 0 || xx >= g.width()) {
                                continue;
                            }
                            for (int c = 0; c < g.channels(); c++) {
                                double v = cols.get(s * g.positions() + i * g.outWidth() + j,
                                        (p * g.kernelWidth() + q) * g.channels() + c);
                                int col = (y * g.width() + xx) * g.channels() + c;
                                out.set(s, col, out.get(s, col) + v);
                                magnitude.set(s, col, magnitude.get(s, col) + Math.abs(v));
                            }
                        }
                    }
                }
            }
        }
        return new HostMatrix[] {out, magnitude};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("im2col puts each window in a row, zeros in the padding, exactly")
    void im2col(DType dtype) {
        RandomData r = random(91, dtype);
        for (WindowGeometry g : GEOMETRIES) {
            for (int n : new int[] {1, 3}) {
                HostMatrix x = r.uniform(n, g.sampleSize());
                Tensor tx = tensor(x, dtype);
                Tensor cols = backend.im2col(tx, g);
                assertEquals(dtype, cols.dtype());
                Approx.assertExact("im2col " + g + ", N=" + n, im2colReference(x, g), host(cols));
                Approx.assertExact("im2col leaves x unchanged", x, host(tx));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("col2im adds every window entry back to its pixel and drops the padding")
    void col2im(DType dtype) {
        RandomData r = random(92, dtype);
        Tolerance tol = Tolerance.of(dtype);
        for (WindowGeometry g : GEOMETRIES) {
            for (int n : new int[] {1, 3}) {
                HostMatrix cols = r.uniform(n * g.positions(), g.windowSize());
                Tensor tc = tensor(cols, dtype);
                HostMatrix[] expected = col2imReference(cols, g);
                Tensor x = backend.col2im(tc, g);
                assertEquals(dtype, x.dtype());
                Approx.assertRounding("col2im " + g + ", N=" + n, expected[0], host(x), expected[1],
                        g.kernelHeight() * g.kernelWidth(), tol);
                Approx.assertExact("col2im leaves cols unchanged", cols, host(tc));
            }
        }
    }

    private static HostMatrix[] segmentedReference(double alpha, HostMatrix a, HostMatrix b, int n) {
        int segment = a.rows() / n;
        HostMatrix out = HostMatrix.zeros(n, a.cols() * b.cols());
        HostMatrix magnitude = HostMatrix.zeros(n, a.cols() * b.cols());
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < a.cols(); i++) {
                for (int j = 0; j < b.cols(); j++) {
                    double v = 0;
                    double m = 0;
                    for (int k = s * segment; k < (s + 1) * segment; k++) {
                        v += a.get(k, i) * b.get(k, j);
                        m += Math.abs(a.get(k, i) * b.get(k, j));
                    }
                    out.set(s, i * b.cols() + j, alpha * v);
                    magnitude.set(s, i * b.cols() + j, Math.abs(alpha) * m);
                }
            }
        }
        return new HostMatrix[] {out, magnitude};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("segmentedOuterSums is α·Σ over each sample's rows of aᵀ·b, flattened; the old out is ignored")
    void segmentedOuterSums(DType dtype) {
        RandomData r = random(93, dtype);
        Tolerance tol = Tolerance.of(dtype);
        int[][] shapes = {{1, 1, 1, 1}, {4, 1, 3, 5}, {3, 6, 1, 4}, {2, 5, 7, 1}, {5, 9, 12, 8}, {1, 40, 18, 6}};
        for (int[] s : shapes) {
            int n = s[0];
            HostMatrix a = r.uniform(n * s[1], s[2]);
            HostMatrix b = r.uniform(n * s[1], s[3]);
            for (double alpha : new double[] {1, -0.37}) {
                Tensor out = tensor(filled(n, s[2] * s[3], Double.NaN), dtype);
                backend.segmentedOuterSums(alpha, tensor(a, dtype), tensor(b, dtype), out);
                HostMatrix[] expected = segmentedReference(alpha, a, b, n);
                Approx.assertRounding("segmentedOuterSums N=" + n + ", S=" + s[1] + ", p=" + s[2] + ", q=" + s[3]
                        + ", α=" + alpha, expected[0], host(out), expected[1], s[1], tol);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("reshape keeps the row-major values in a new tensor")
    void reshape(DType dtype) {
        RandomData r = random(94, dtype);
        HostMatrix x = r.uniform(6, 4);
        Tensor tx = tensor(x, dtype);
        for (int[] shape : new int[][] {{24, 1}, {1, 24}, {3, 8}, {6, 4}}) {
            Tensor y = backend.reshape(tx, shape[0], shape[1]);
            assertEquals(dtype, y.dtype());
            Approx.assertExact("reshape to " + shape[0] + "×" + shape[1], new HostMatrix(shape[0], shape[1], x.data()),
                    host(y));
            backend.scale(2, y, y);
            Approx.assertExact("reshape leaves its input unchanged", x, host(tx));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("mismatched shapes and aliasing are refused with the shapes named")
    void errors(DType dtype) {
        WindowGeometry g = GEOMETRIES[0];
        Tensor x = backend.zeros(2, g.sampleSize() + 1, dtype);
        assertIllegalArgument(() -> backend.im2col(x, g), "im2col", x.shape(), String.valueOf(g.sampleSize()));
        Tensor cols = backend.zeros(g.positions() + 1, g.windowSize(), dtype);
        assertIllegalArgument(() -> backend.col2im(cols, g), "col2im", cols.shape());
        Tensor cols2 = backend.zeros(g.positions(), g.windowSize() + 1, dtype);
        assertIllegalArgument(() -> backend.col2im(cols2, g), "col2im", cols2.shape());
        Tensor a = backend.zeros(6, 2, dtype);
        Tensor b = backend.zeros(6, 3, dtype);
        Tensor b5 = backend.zeros(5, 3, dtype);
        Tensor out = backend.zeros(3, 6, dtype);
        Tensor out4 = backend.zeros(4, 6, dtype);
        Tensor wide = backend.zeros(3, 7, dtype);
        assertIllegalArgument(() -> backend.segmentedOuterSums(1, a, b5, out), "segmentedOuterSums", b5.shape());
        assertIllegalArgument(() -> backend.segmentedOuterSums(1, a, b, out4), "segmentedOuterSums", out4.shape());
        assertIllegalArgument(() -> backend.segmentedOuterSums(1, a, b, wide), "segmentedOuterSums", wide.shape());
        Tensor alias = backend.zeros(1, 1, dtype);
        assertIllegalArgument(() -> backend.segmentedOuterSums(1, alias, alias, alias), "segmentedOuterSums", "out");
        assertIllegalArgument(() -> backend.reshape(a, 5, 2), "reshape", a.shape());
        assertThrows(IllegalArgumentException.class, () -> new WindowGeometry(5, 4, 2, 3, 3, 0, 1, 1, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> new WindowGeometry(5, 4, 2, 3, 3, 1, -1, 1, 5, 4));
    }
}
