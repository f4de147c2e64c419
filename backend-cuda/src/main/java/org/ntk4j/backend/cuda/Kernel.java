package org.ntk4j.backend.cuda;

import java.util.Locale;
import org.ntk4j.tensor.DType;

/**
 * The kernels of the PTX modules in {@code src/main/resources/org/ntk4j/backend/cuda/ptx}, each with its
 * parameter signature, one letter per parameter: {@code I} int, {@code J} long, {@code D} double,
 * {@code P} device pointer. Every kernel exists as {@code name_f32} and {@code name_f64}; scalars are
 * passed as doubles and rounded in the kernel.
 */
enum Kernel {
    AXPBY("elementwise", "JDPDPP"),
    HADAMARD("elementwise", "JPPP"),
    AFFINE("elementwise", "JDPDP"),
    SQRT("elementwise", "JPP"),
    DIVIDE("elementwise", "JPPP"),
    ADD_ROW_VECTOR("elementwise", "JIPPP"),
    GATHER_ROWS("elementwise", "IIPPP"),
    TRANSPOSE("elementwise", "IIPP"),
    MAP("activations", "JIDPP"),
    MAP_DERIVATIVE("activations", "JIDPP"),
    DUAL("activations", "IIIDPPPPP"),
    COLUMN_SUMS_PARTIAL("reductions", "IIIPP"),
    COLUMN_SUMS_FINISH("reductions", "IIPP"),
    ROW_SUMS_OF_SQUARES("reductions", "IIPP"),
    DOT_PARTIAL("reductions", "JPPP"),
    GEMM("gemm", "IIIDPIIPIIDPI"),
    IM2COL("windows", "IIIIIIIIIIIPP"),
    COL2IM("windows", "IIIIIIIIIIIPP"),
    SEGMENTED_OUTER_SUMS("windows", "IIIIDPPP"),
    POTRF_BLOCK("cholesky", "IPIIP"),
    TRSM_PANEL("cholesky", "IIPPI"),
    TRSM_LOWER("cholesky", "IIPIPI"),
    TRSM_UPPER("cholesky", "IIPIPI");

    private final String module;
    private final String signature;

    Kernel(String module, String signature) {
        this.module = module;
        this.signature = signature;
    }

    /** @return the PTX module (file name without {@code .ptx}) that holds the kernel */
    String module() {
        return module;
    }

    /** @return one letter per parameter: I int, J long, D double, P device pointer */
    String signature() {
        return signature;
    }

    /**
     * @param dtype the element type
     * @return the kernel's extern "C" name for that type, such as {@code gemm_f32}
     */
    String symbol(DType dtype) {
        return name().toLowerCase(Locale.ROOT) + (dtype == DType.F32 ? "_f32" : "_f64");
    }
}
