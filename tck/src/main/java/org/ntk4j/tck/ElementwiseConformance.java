package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Elementwise operations and reductions: axpby, hadamard, affine, scale, addRowVector, columnSums,
 * rowSumsOfSquares and dot, with {@code out} aliasing an input wherever the SPI allows it.
 */
public abstract class ElementwiseConformance extends ConformanceGroup {

    /** For subclasses. */
    protected ElementwiseConformance() {
    }

    /** Edge shapes and one with more than 2¹⁶ elements, where backends tend to switch to parallel loops. */
    private static final int[][] SHAPES = {{1, 1}, {1, 9}, {9, 1}, {5, 3}, {257, 263}};

    Stream<Arguments> dtypesAndShapes() {
        return dtypes().flatMap(d -> Stream.of(SHAPES).map(s -> Arguments.of(d, s[0] + "×" + s[1])));
    }

    private static int[] parse(String shape) {
        String[] p = shape.split("×");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    @DisplayName("axpby computes alpha·x + beta·y, into a third tensor and into x or y themselves")
    void axpby(DType dtype, String shape) {
        int[] s = parse(shape);
        RandomData r = random(31, dtype);
        HostMatrix x = r.uniform(s[0], s[1]);
        HostMatrix y = r.uniform(s[0], s[1]);
        Tolerance tol = Tolerance.of(dtype);
        HostMatrix expected = Reference.axpby(1.5, x, -0.25, y);
        HostMatrix magnitude = Reference.axpbyMagnitude(1.5, x, -0.25, y);
        Tensor tx = tensor(x, dtype);
        Tensor ty = tensor(y, dtype);
        Tensor out = backend.zeros(s[0], s[1], dtype);
        backend.axpby(1.5, tx, -0.25, ty, out);
        Approx.assertRounding("axpby", expected, host(out), magnitude, 2, tol);
        Approx.assertExact("axpby x unchanged", x, host(tx));
        Approx.assertExact("axpby y unchanged", y, host(ty));
        backend.axpby(1.5, tx, -0.25, ty, tx);
        Approx.assertRounding("axpby with out = x", expected, host(tx), magnitude, 2, tol);
        Tensor tx2 = tensor(x, dtype);
        backend.axpby(1.5, tx2, -0.25, ty, ty);
        Approx.assertRounding("axpby with out = y", expected, host(ty), magnitude, 2, tol);
        backend.axpby(2, tx2, -3, tx2, tx2);
        Approx.assertRounding("axpby with x = y = out", Reference.axpby(2, x, -3, x), host(tx2),
                Reference.axpbyMagnitude(2, x, -3, x), 2, tol);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    @DisplayName("hadamard multiplies elementwise, also with out = a, out = b and a = b = out")
    void hadamard(DType dtype, String shape) {
        int[] s = parse(shape);
        RandomData r = random(32, dtype);
        HostMatrix a = r.uniform(s[0], s[1]);
        HostMatrix b = r.uniform(s[0], s[1]);
        HostMatrix expected = Reference.hadamard(a, b);
        HostMatrix magnitude = Reference.abs(expected);
        Tolerance tol = Tolerance.of(dtype);
        Tensor ta = tensor(a, dtype);
        Tensor tb = tensor(b, dtype);
        Tensor out = backend.zeros(s[0], s[1], dtype);
        backend.hadamard(ta, tb, out);
        Approx.assertRounding("hadamard", expected, host(out), magnitude, 1, tol);
        Approx.assertExact("hadamard a unchanged", a, host(ta));
        Approx.assertExact("hadamard b unchanged", b, host(tb));
        backend.hadamard(ta, tb, ta);
        Approx.assertRounding("hadamard with out = a", expected, host(ta), magnitude, 1, tol);
        Tensor ta2 = tensor(a, dtype);
        backend.hadamard(ta2, tb, tb);
        Approx.assertRounding("hadamard with out = b", expected, host(tb), magnitude, 1, tol);
        backend.hadamard(ta2, ta2, ta2);
        HostMatrix squares = Reference.hadamard(a, a);
        Approx.assertRounding("hadamard with a = b = out", squares, host(ta2), squares, 1, tol);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    @DisplayName("affine computes alpha·x + beta and scale computes alpha·x, in place or not")
    void affineAndScale(DType dtype, String shape) {
        int[] s = parse(shape);
        HostMatrix x = random(33, dtype).uniform(s[0], s[1]);
        Tolerance tol = Tolerance.of(dtype);
        Tensor tx = tensor(x, dtype);
        Tensor out = backend.zeros(s[0], s[1], dtype);
        backend.affine(-1.75, tx, 0.5, out);
        HostMatrix magnitude = Reference.affine(1.75, Reference.abs(x), 0.5);
        Approx.assertRounding("affine", Reference.affine(-1.75, x, 0.5), host(out), magnitude, 2, tol);
        Approx.assertExact("affine x unchanged", x, host(tx));
        backend.scale(3.5, tx, out);
        Approx.assertRounding("scale", Reference.affine(3.5, x, 0), host(out),
                Reference.affine(3.5, Reference.abs(x), 0), 1, tol);
        backend.affine(-1.75, tx, 0.5, tx);
        Approx.assertRounding("affine with out = x", Reference.affine(-1.75, x, 0.5), host(tx), magnitude, 2, tol);
        backend.scale(0, tx, tx);
        Approx.assertExact("scale by 0 in place", HostMatrix.zeros(s[0], s[1]), host(tx));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    @DisplayName("addRowVector adds a 1×c row to every row, also in place")
    void addRowVector(DType dtype, String shape) {
        int[] s = parse(shape);
        RandomData r = random(34, dtype);
        HostMatrix a = r.uniform(s[0], s[1]);
        HostMatrix row = r.uniform(1, s[1]);
        HostMatrix expected = Reference.addRowVector(a, row);
        HostMatrix magnitude = Reference.addRowVector(Reference.abs(a), Reference.abs(row));
        Tolerance tol = Tolerance.of(dtype);
        Tensor ta = tensor(a, dtype);
        Tensor tr = tensor(row, dtype);
        Tensor out = backend.zeros(s[0], s[1], dtype);
        backend.addRowVector(ta, tr, out);
        Approx.assertRounding("addRowVector", expected, host(out), magnitude, 1, tol);
        Approx.assertExact("addRowVector row unchanged", row, host(tr));
        backend.addRowVector(ta, tr, ta);
        Approx.assertRounding("addRowVector with out = a", expected, host(ta), magnitude, 1, tol);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    @DisplayName("columnSums and rowSumsOfSquares reduce along each axis, overwriting what out held")
    void reductions(DType dtype, String shape) {
        int[] s = parse(shape);
        HostMatrix a = random(35, dtype).uniform(s[0], s[1]);
        Tolerance tol = Tolerance.of(dtype);
        Tensor ta = tensor(a, dtype);
        Tensor sums = tensor(filled(1, s[1], 99), dtype);
        backend.columnSums(ta, sums);
        Approx.assertRounding("columnSums", Reference.columnSums(a), host(sums),
                Reference.columnSums(Reference.abs(a)), s[0], tol);
        Tensor squares = tensor(filled(s[0], 1, -99), dtype);
        backend.rowSumsOfSquares(ta, squares);
        HostMatrix expected = Reference.rowSumsOfSquares(a);
        Approx.assertRounding("rowSumsOfSquares", expected, host(squares), expected, s[1] + 1, tol);
        Approx.assertExact("reductions leave a unchanged", a, host(ta));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    @DisplayName("dot sums a ⊙ b in double precision, also for a tensor with itself")
    void dot(DType dtype, String shape) {
        int[] s = parse(shape);
        RandomData r = random(36, dtype);
        HostMatrix a = r.uniform(s[0], s[1]);
        HostMatrix b = r.uniform(s[0], s[1]);
        Tensor ta = tensor(a, dtype);
        Tensor tb = tensor(b, dtype);
        int n = a.data().length;
        // products of F32 values are exact in double, so the bound is that of a double-precision sum for all dtypes
        double magnitude = Reference.dot(Reference.abs(a), Reference.abs(b));
        double expected = Reference.dot(a, b);
        double got = backend.dot(ta, tb);
        double bound = Tolerance.F64.rounding(n, magnitude);
        assertTrue(Math.abs(got - expected) <= bound,
                "dot " + shape + " " + dtype + " = " + got + ", expected " + expected + " within " + bound);
        double self = backend.dot(ta, ta);
        double selfExpected = Reference.dot(a, a);
        assertTrue(Math.abs(self - selfExpected) <= Tolerance.F64.rounding(n, selfExpected),
                "dot(a, a) = " + self + ", expected " + selfExpected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("elementwise operations reject mismatched shapes, naming them, before writing out")
    void shapeMismatch(DType dtype) {
        HostMatrix o = random(37, dtype).uniform(2, 3);
        Tensor a = tensor(o, dtype);
        Tensor b = backend.zeros(3, 2, dtype);
        Tensor col = backend.zeros(2, 1, dtype);
        Tensor out = tensor(o, dtype);
        assertIllegalArgument(() -> backend.axpby(1, a, 1, b, out), "2×3", "3×2");
        assertIllegalArgument(() -> backend.axpby(1, a, 1, a, b), "2×3", "3×2");
        assertIllegalArgument(() -> backend.hadamard(a, b, out), "2×3", "3×2");
        assertIllegalArgument(() -> backend.affine(1, a, 0, b), "2×3", "3×2");
        assertIllegalArgument(() -> backend.scale(2, b, out), "2×3", "3×2");
        assertIllegalArgument(() -> backend.addRowVector(a, backend.zeros(1, 2, dtype), out), "1×2");
        assertIllegalArgument(() -> backend.addRowVector(a, backend.zeros(1, 3, dtype), b), "2×3", "3×2");
        assertIllegalArgument(() -> backend.columnSums(a, backend.zeros(1, 2, dtype)), "1×2");
        assertIllegalArgument(() -> backend.rowSumsOfSquares(a, backend.zeros(3, 1, dtype)), "3×1");
        assertIllegalArgument(() -> backend.dot(a, b), "2×3", "3×2");
        assertIllegalArgument(() -> backend.map(org.ntk4j.backend.Activation.TANH, a, col), "2×1");
        Approx.assertExact("out after rejected calls", o, host(out));
        Approx.assertExact("a after rejected calls", o, host(a));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    @DisplayName("columnSums and rowSumsOfSquares reject out being the input")
    void reductionAliasingRejected(DType dtype) {
        Tensor row = backend.zeros(1, 4, dtype);
        Tensor one = backend.zeros(1, 1, dtype);
        assertEachThrows(IllegalArgumentException.class, "out being the input", dtype, List.of(
                call("columnSums(1×4 row, itself)", () -> backend.columnSums(row, row)),
                call("rowSumsOfSquares(1×1, itself)", () -> backend.rowSumsOfSquares(one, one)),
                call("columnSums(1×1, itself)", () -> backend.columnSums(one, one))));
    }
}
