package org.ntk4j.cli;

import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.tensor.Tensor;

/** The kernel kinds of {@code ntk4j kernel} other than the empirical NTK. */
final class AnalyticKernels {

    /** Added to the --kind help text. */
    static final String KIND_HELP = "";

    /**
     * A computed kernel.
     *
     * @param values row-major values
     * @param rows rows
     * @param cols columns
     * @param description what it is, for the output
     */
    record Result(double[] values, int rows, int cols, String description) {
    }

    private AnalyticKernels() {
    }

    static Result compute(String kind, String kernel, ModelOptions model, Backend backend, Tensor x, Dataset data) {
        throw new UsageException("unknown --kind '" + kind + "'; known: empirical");
    }
}
