package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The row-major to column-major mapping of the cuBLAS GEMM call, checked without a GPU: a plain column-major GEMM
 * with cuBLAS's semantics, given the mapped arguments and the row-major arrays, must produce the row-major product.
 */
@DisplayName("The cuBLAS GEMM call")
class CublasMappingTest {

    /** cuBLAS's gemm on column-major arrays: C ← op(X)·op(Y) + beta·C, X first, Y second. */
    private static void columnMajorGemm(int m, int n, int k, boolean tx, double[] x, int ldx, boolean ty, double[] y,
                                        int ldy, double beta, double[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double xv = tx ? x[p + i * ldx] : x[i + p * ldx];
                    double yv = ty ? y[j + p * ldy] : y[p + j * ldy];
                    s += xv * yv;
                }
                c[i + j * ldc] = s + beta * c[i + j * ldc];
            }
        }
    }

    @Test
    @DisplayName("swaps the operands and sizes so that cuBLAS computes the row-major product, in all transpose cases")
    void mapsRowMajorToColumnMajor() {
        SplittableRandom r = new SplittableRandom(3);
        int m = 5;
        int n = 3;
        int k = 4;
        for (int variant = 0; variant < 4; variant++) {
            boolean ta = (variant & 1) != 0;
            boolean tb = (variant & 2) != 0;
            double[] a = r.doubles(m * k, -1, 1).toArray();    // row-major m×k, or k×m when transposed
            double[] b = r.doubles(k * n, -1, 1).toArray();
            int lda = ta ? m : k;
            int ldb = tb ? k : n;
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                    }
                    expected[i * n + j] = s;
                }
            }
            CudaBlas.ColumnMajorCall call = CudaBlas.ColumnMajorCall.of(m, n, k, lda, ta, ldb, tb, n);
            double[] c = new double[m * n];
            columnMajorGemm(call.m(), call.n(), call.k(), call.transFirst(), b, call.ldFirst(), call.transSecond(), a,
                    call.ldSecond(), 0, c, call.ldc());
            assertArrayEquals(expected, c, 1e-12, "transA=" + ta + " transB=" + tb);
        }
    }
}
