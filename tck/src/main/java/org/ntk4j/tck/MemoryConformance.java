package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** Memory: zeros, host round trips, copy, gatherRows, concatRows, transpose, and the dtype capability flags. */
public abstract class MemoryConformance extends ConformanceGroup {

    /** For subclasses. */
    protected MemoryConformance() {
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {7, 1}, {5, 3}, {3, 8}, {64, 33}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("zeros makes tensors of the asked shape and dtype, all zero")
    void zeros(DType dtype) {
        for (int[] s : SHAPES) {
            Tensor t = backend.zeros(s[0], s[1], dtype);
            assertEquals(s[0], t.rows());
            assertEquals(s[1], t.cols());
            assertEquals(dtype, t.dtype());
            assertTrue(t.backend() == backend, "tensor.backend() is the backend that made it");
            Approx.assertExact("zeros " + t.shape(), HostMatrix.zeros(s[0], s[1]), host(t));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("fromHost then toHost returns the values, rounded to float for F32")
    void hostRoundTrip(DType dtype) {
        RandomData unrounded = random(11, DType.F64);
        for (int[] s : SHAPES) {
            HostMatrix m = unrounded.normal(s[0], s[1]);
            HostMatrix expected = m.copy();
            if (dtype == DType.F32) {
                for (int i = 0; i < expected.data().length; i++) {
                    expected.data()[i] = (float) expected.data()[i];
                }
            }
            Approx.assertExact("toHost(fromHost) " + m.shape() + " " + dtype, expected, host(tensor(m, dtype)));
        }
        double[] special = {0.0, -0.0, Double.MIN_NORMAL, 1e300, -1e-300, 1.0 / 3, Math.PI, 65504.0};
        HostMatrix expected = new HostMatrix(2, 4, special.clone());
        if (dtype == DType.F32) {
            for (int i = 0; i < special.length; i++) {
                expected.data()[i] = (float) special[i];
            }
        }
        Approx.assertExact("toHost(fromHost) of special values " + dtype, expected,
                host(backend.fromHost(special, 2, 4, dtype)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("fromHost neither keeps nor changes the caller's array, and toHost returns a fresh one")
    void hostArraysAreCopied(DType dtype) {
        double[] values = {1, 2, 3, 4, 5, 6};
        HostMatrix expected = new HostMatrix(2, 3, values.clone());
        double[] data = values.clone();
        Tensor t = backend.fromHost(data, 2, 3, dtype);
        assertArrayEquals(values, data, "fromHost " + dtype + " changed the caller's array");
        data[0] = 100;
        Approx.assertExact("toHost " + dtype + " after the caller changed the array it gave fromHost (fromHost must "
                + "copy it, not keep it)", expected, host(t));
        Tensor u = backend.fromHost(data, 2, 3, dtype);
        backend.affine(0, u, 7, u);
        assertEquals(100, data[0], "an operation writing into a tensor " + dtype + " changed the array it was made "
                + "from (fromHost must copy it, not keep it)");
        double[] first = backend.toHost(t);
        first[1] = 200;
        double[] second = backend.toHost(t);
        assertNotSame(first, second, "toHost " + dtype + " returned the same array twice");
        Approx.assertExact("toHost " + dtype + " after the caller changed an array toHost returned earlier (toHost "
                + "must return a fresh copy)", expected, new HostMatrix(2, 3, second));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("fromHost and zeros reject a length that does not match the shape, and dimensions below 1")
    void badHostData(DType dtype) {
        assertIllegalArgument(() -> backend.fromHost(new double[5], 2, 3, dtype), "5", "2×3");
        assertThrows(IllegalArgumentException.class, () -> backend.fromHost(new double[0], 0, 3, dtype));
        assertThrows(IllegalArgumentException.class, () -> backend.zeros(0, 3, dtype));
        assertThrows(IllegalArgumentException.class, () -> backend.zeros(3, -1, dtype));
    }

    @Test
    @DisplayName("dtypes it does not list are rejected, and mixed dtypes in one call are rejected")
    void dtypeCapabilities() {
        for (DType d : unsupportedDtypes()) {
            assertEachThrows(IllegalArgumentException.class, "a dtype the backend does not list", d, List.of(
                    call("zeros", () -> backend.zeros(2, 2, d)),
                    call("fromHost", () -> backend.fromHost(new double[4], 2, 2, d))), d.name());
        }
        if (backend.dtypes().size() > 1) {
            Tensor a = backend.zeros(2, 2, DType.F64);
            Tensor b = backend.zeros(2, 2, DType.F32);
            Tensor c = backend.zeros(2, 2, DType.F64);
            assertEachThrows(IllegalArgumentException.class, "an F32 tensor among F64 ones", DType.F64, List.of(
                    call("axpby(y F32)", () -> backend.axpby(1, a, 1, b, a)),
                    call("hadamard(b F32)", () -> backend.hadamard(a, b, c)),
                    call("gemm(B F32)", () -> backend.gemm(1, a, false, b, false, 0, c)),
                    call("gemm(C F32)", () -> backend.gemm(1, a, false, c, false, 0, b)),
                    call("concatRows(F64, F32)", () -> backend.concatRows(List.of(a, b)))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("copy returns an independent tensor with the same shape, dtype and values")
    void copy(DType dtype) {
        HostMatrix m = random(12, dtype).uniform(4, 6);
        Tensor t = tensor(m, dtype);
        Tensor c = backend.copy(t);
        assertNotSame(t, c);
        assertEquals(dtype, c.dtype());
        Approx.assertExact("copy", m, host(c));
        backend.affine(0, c, 7, c);
        Approx.assertExact("the original after its copy changed", m, host(t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gatherRows picks rows in any order, with repeats, including a single row")
    void gatherRows(DType dtype) {
        HostMatrix m = random(13, dtype).uniform(6, 4);
        Tensor t = tensor(m, dtype);
        int[][] cases = {{0}, {5}, {3, 3, 3}, {5, 0, 2, 2, 1, 4, 3}, {1, 1, 0, 5, 5, 5, 5, 5, 5, 5}};
        for (int[] rows : cases) {
            Tensor g = backend.gatherRows(t, rows);
            Approx.assertExact("gatherRows " + Arrays.toString(rows), Reference.gatherRows(m, rows), host(g));
        }
        HostMatrix col = random(14, dtype).uniform(5, 1);
        Approx.assertExact("gatherRows of a column", Reference.gatherRows(col, new int[] {4, 0, 4}),
                host(backend.gatherRows(tensor(col, dtype), new int[] {4, 0, 4})));
        Approx.assertExact("gatherRows source unchanged", m, host(t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("gatherRows rejects indices outside the rows, naming the index, and an empty index list")
    void gatherRowsBadIndices(DType dtype) {
        Tensor t = tensor(random(15, dtype).uniform(6, 4), dtype);
        for (int bad : new int[] {-1, 6, 1000}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> backend.gatherRows(t, new int[] {0, bad}));
            assertTrue(e instanceof IndexOutOfBoundsException || e instanceof IllegalArgumentException,
                    "gatherRows with index " + bad + " threw " + e);
            assertMessageContains(e, String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(t, new int[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("concatRows stacks one or several tensors, and rejects differing column counts naming both shapes")
    void concatRows(DType dtype) {
        RandomData r = random(16, dtype);
        List<HostMatrix> hosts = List.of(r.uniform(1, 3), r.uniform(4, 3), r.uniform(2, 3), r.uniform(1, 3));
        List<Tensor> parts = new ArrayList<>();
        for (HostMatrix h : hosts) {
            parts.add(tensor(h, dtype));
        }
        Approx.assertExact("concatRows of four", Reference.concatRows(hosts), host(backend.concatRows(parts)));
        Approx.assertExact("concatRows of one", hosts.get(1), host(backend.concatRows(List.of(parts.get(1)))));
        Approx.assertExact("concatRows of a tensor with itself",
                Reference.concatRows(List.of(hosts.get(0), hosts.get(0))),
                host(backend.concatRows(List.of(parts.get(0), parts.get(0)))));
        Tensor wide = backend.zeros(2, 4, dtype);
        assertIllegalArgument(() -> backend.concatRows(List.of(parts.get(1), wide)), "4×3", "2×4");
        assertThrows(IllegalArgumentException.class, () -> backend.concatRows(List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("transpose turns r×c into c×r for rows, columns, squares and non-squares")
    void transpose(DType dtype) {
        RandomData r = random(17, dtype);
        for (int[] s : SHAPES) {
            HostMatrix m = r.uniform(s[0], s[1]);
            Tensor t = backend.transpose(tensor(m, dtype));
            assertEquals(dtype, t.dtype());
            Approx.assertExact("transpose of " + m.shape(), Reference.transpose(m), host(t));
        }
    }
}
