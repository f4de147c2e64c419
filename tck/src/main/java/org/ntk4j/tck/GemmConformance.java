package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** BLAS 3: {@code gemm} for every transpose combination, scalars, edge shapes and its argument checks. */
public abstract class GemmConformance extends ConformanceGroup {

    /** For subclasses. */
    protected GemmConformance() {
    }

    /**
     * m, k, n: scalars, row times column, column times row, vector cases, square operands (where a transpose
     * flag that is ignored goes unseen by shape checks), non-square, and a large product.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 9, 1}, {5, 1, 4}, {1, 6, 7}, {6, 4, 1}, {5, 5, 5}, {4, 6, 6}, {7, 5, 3}, {3, 8, 6},
        {150, 130, 140}};

    Stream<Arguments> shapesAndTransposes() {
        List<Arguments> out = new ArrayList<>();
        dtypes().forEach(d -> {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    out.add(Arguments.of(d, s[0] + "×" + s[1] + "×" + s[2], (t & 1) != 0, (t & 2) != 0));
                }
            }
        });
        return out.stream();
    }

    /** Runs one GEMM on random data with the given scalars and compares it with the reference. */
    private void check(DType dtype, int m, int k, int n, boolean transA, boolean transB, double alpha, double beta,
                       long seed) {
        RandomData r = random(seed, dtype);
        HostMatrix a = transA ? r.uniform(k, m) : r.uniform(m, k);
        HostMatrix b = transB ? r.uniform(n, k) : r.uniform(k, n);
        HostMatrix c = r.uniform(m, n);
        Tensor ta = tensor(a, dtype);
        Tensor tb = tensor(b, dtype);
        Tensor tc = tensor(c, dtype);
        backend.gemm(alpha, ta, transA, tb, transB, beta, tc);
        String what = "gemm " + m + "×" + k + "×" + n + (transA ? " Aᵀ" : " A") + (transB ? "·Bᵀ" : "·B")
                + " alpha=" + alpha + " beta=" + beta + " " + dtype;
        Approx.assertRounding(what, Reference.gemm(alpha, a, transA, b, transB, beta, c), host(tc),
                Reference.gemmMagnitude(alpha, a, transA, b, transB, beta, c), k + 1, Tolerance.of(dtype));
        Approx.assertExact(what + ": A unchanged", a, host(ta));
        Approx.assertExact(what + ": B unchanged", b, host(tb));
    }

    @ParameterizedTest(name = "{0} {1} transA={2} transB={3}")
    @MethodSource("shapesAndTransposes")
    @DisplayName("gemm computes alpha·op(A)·op(B) + beta·C for every transpose combination and shape")
    void transposesAndShapes(DType dtype, String mkn, boolean transA, boolean transB) {
        String[] p = mkn.split("×");
        check(dtype, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), transA, transB,
                1.25, -0.75, mkn.hashCode() * 4L + (transA ? 1 : 0) + (transB ? 2 : 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gemm honours alpha and beta: 1 and 0, 1 and 1, 0 and 2, negative, and fractional")
    void scalars(DType dtype) {
        double[][] ab = {{1, 0}, {1, 1}, {0, 2}, {-2.5, 0.5}, {0.1, -3}, {-1, -1}};
        long seed = 100;
        for (double[] s : ab) {
            check(dtype, 4, 6, 5, false, false, s[0], s[1], seed++);
            check(dtype, 4, 6, 5, true, true, s[0], s[1], seed++);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gemm with beta = 0 ignores the old C, even NaN and infinity")
    void betaZeroIgnoresNaN(DType dtype) {
        RandomData r = random(21, dtype);
        for (int t = 0; t < 4; t++) {
            boolean transA = (t & 1) != 0;
            boolean transB = (t & 2) != 0;
            for (int[] s : new int[][] {{1, 1, 1}, {3, 4, 5}, {130, 140, 150}}) {
                HostMatrix a = transA ? r.uniform(s[1], s[0]) : r.uniform(s[0], s[1]);
                HostMatrix b = transB ? r.uniform(s[2], s[1]) : r.uniform(s[1], s[2]);
                HostMatrix c = filled(s[0], s[2], Double.NaN);
                c.data()[0] = Double.POSITIVE_INFINITY;
                Tensor tc = tensor(c, dtype);
                backend.gemm(0.5, tensor(a, dtype), transA, tensor(b, dtype), transB, 0, tc);
                HostMatrix zero = HostMatrix.zeros(s[0], s[2]);
                Approx.assertRounding("gemm beta=0 over NaN, transA=" + transA + " transB=" + transB,
                        Reference.gemm(0.5, a, transA, b, transB, 0, zero), host(tc),
                        Reference.gemmMagnitude(0.5, a, transA, b, transB, 0, zero), s[1], Tolerance.of(dtype));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gemm rejects shapes that do not fit, naming them, before writing C")
    void shapeMismatch(DType dtype) {
        RandomData r = random(22, dtype);
        HostMatrix c0 = r.uniform(3, 2);
        Tensor a = tensor(r.uniform(3, 4), dtype);
        Tensor b = tensor(r.uniform(5, 2), dtype);
        Tensor c = tensor(c0, dtype);
        assertIllegalArgument(() -> backend.gemm(1, a, false, b, false, 0, c), "3×4", "5×2");
        assertIllegalArgument(() -> backend.gemm(1, a, true, b, false, 1, c), "3×4", "5×2");
        Tensor b2 = tensor(r.uniform(4, 2), dtype);
        Tensor wrongC = tensor(r.uniform(2, 3), dtype);
        assertIllegalArgument(() -> backend.gemm(1, a, false, b2, false, 0, wrongC), "2×3");
        assertIllegalArgument(() -> backend.gemm(1, a, false, b2, true, 0, c), "4×2");
        Approx.assertExact("C after rejected gemm calls", c0, host(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gemm rejects C being the same tensor as A or B")
    void aliasingRejected(DType dtype) {
        HostMatrix m = random(23, dtype).uniform(3, 3);
        Tensor a = tensor(m, dtype);
        Tensor b = tensor(random(24, dtype).uniform(3, 3), dtype);
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(1, a, false, b, false, 0, a));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(1, b, false, a, true, 1, a));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(1, a, false, a, false, 0, a));
        Approx.assertExact("A after rejected aliasing gemm calls", m, host(a));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gemm accepts A and B being the same tensor (A·Aᵀ, Aᵀ·A)")
    void sameInputTwice(DType dtype) {
        HostMatrix a = random(25, dtype).uniform(4, 7);
        Tensor ta = tensor(a, dtype);
        Tensor out = backend.zeros(4, 4, dtype);
        backend.gemm(1, ta, false, ta, true, 0, out);
        Approx.assertRounding("gemm A·Aᵀ", Reference.gemm(1, a, false, a, true, 0, null), host(out),
                Reference.gemmMagnitude(1, a, false, a, true, 0, null), 7, Tolerance.of(dtype));
        Tensor out2 = backend.zeros(7, 7, dtype);
        backend.gemm(2, ta, true, ta, false, 0, out2);
        Approx.assertRounding("gemm 2·Aᵀ·A", Reference.gemm(2, a, true, a, false, 0, null), host(out2),
                Reference.gemmMagnitude(2, a, true, a, false, 0, null), 4, Tolerance.of(dtype));
    }
}
