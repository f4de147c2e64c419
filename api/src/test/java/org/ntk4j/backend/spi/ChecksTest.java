package org.ntk4j.backend.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** The shared argument checks for concatRows and the dense solvers, on shape-only tensors. */
class ChecksTest {

    /** A tensor that has a shape and a dtype and nothing else. */
    private record Shape(int rows, int cols, DType dtype) implements Tensor {
        @Override
        public Backend backend() {
            throw new UnsupportedOperationException("shape only");
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private static void assertMessage(Runnable r, String... parts) {
        String m = assertThrows(IllegalArgumentException.class, r::run).getMessage();
        for (String p : parts) {
            assertTrue(m.contains(p), () -> "message '" + m + "' lacks '" + p + "'");
        }
    }

    @Test
    @DisplayName("requireConcatRows returns the total rows and names empty input, column, dtype and overflow problems")
    void concatRows() {
        assertEquals(7, Checks.requireConcatRows("concatRows", List.of(new Shape(3, 2, DType.F64),
                new Shape(4, 2, DType.F64))));
        assertMessage(() -> Checks.requireConcatRows("concatRows", List.of()), "concatRows", "no tensors");
        assertMessage(() -> Checks.requireConcatRows("concatRows", List.of(new Shape(3, 2, DType.F64),
                new Shape(3, 4, DType.F64))), "column counts differ", "3×2", "3×4");
        assertMessage(() -> Checks.requireConcatRows("concatRows", List.of(new Shape(3, 2, DType.F64),
                new Shape(3, 2, DType.F32))), "mixed dtypes");
        Shape big = new Shape(Integer.MAX_VALUE, 1, DType.F32);
        assertMessage(() -> Checks.requireConcatRows("concatRows", List.of(big, big)),
                String.valueOf(2L * Integer.MAX_VALUE), "more than an int holds");
    }

    @Test
    @DisplayName("requireSquareSystem accepts n×n, n×k, n×k and names a non-square A, a misfit B or out")
    void squareSystem() {
        Checks.requireSquareSystem("luSolve", new Shape(3, 3, DType.F64), new Shape(3, 2, DType.F64),
                new Shape(3, 2, DType.F64));
        assertMessage(() -> Checks.requireSquareSystem("luSolve", new Shape(3, 2, DType.F64),
                new Shape(3, 1, DType.F64), new Shape(3, 1, DType.F64)), "luSolve", "square", "3×2");
        assertMessage(() -> Checks.requireSquareSystem("luSolve", new Shape(3, 3, DType.F64),
                new Shape(2, 1, DType.F64), new Shape(2, 1, DType.F64)), "luSolve B", "2×1", "3×1");
        assertMessage(() -> Checks.requireSquareSystem("luSolve", new Shape(3, 3, DType.F64),
                new Shape(3, 1, DType.F64), new Shape(3, 2, DType.F64)), "luSolve out", "3×1", "3×2");
        assertMessage(() -> Checks.requireSquareSystem("luSolve", new Shape(3, 3, DType.F64),
                new Shape(3, 1, DType.F32), new Shape(3, 1, DType.F64)), "mixed dtypes");
    }
}
