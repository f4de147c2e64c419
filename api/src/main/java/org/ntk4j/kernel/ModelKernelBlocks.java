package org.ntk4j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.layers.KernelValue;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.tensor.Tensor;

/**
 * A model's analytic kernels within a memory budget: the largest block that fits by {@link Model#kernelBytes},
 * the one-line refusal when not even one pair of samples fits, and kernels larger than a block assembled from
 * sub-blocks. Immutable.
 */
final class ModelKernelBlocks {

    private final Model model;
    /** The bytes a block may take, or 0 for the heap's free memory. */
    private final long budget;

    ModelKernelBlocks(Model model, long budget) {
        this.model = model;
        this.budget = budget;
    }

    /**
     * @param limit the largest block wanted, ≥ 1
     * @return the largest n ≤ limit whose n × n block fits, or 0
     */
    int largestBlock(int limit) {
        long free = available();
        int n = limit;
        while (n > 0 && model.kernelBytes(n, n) > free) {
            n = n > 64 ? n * 3 / 4 : n - 1;
        }
        return n;
    }

    private long available() {
        return budget > 0 ? budget : freeHeap();
    }

    private static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Refuses, in one line, a block of a model kernel that cannot fit in the heap. */
    void requireFits(int n1, int n2) {
        long need = model.kernelBytes(n1, n2);
        long free = available();
        if (need > free) {
            int fits = largestBlock(Math.max(n1, n2));
            String advice = fits > 0 ? "blocks of at most " + fits + " × " + fits + " samples fit"
                    : "not even one pair of samples fits: use smaller images or pool earlier";
            throw new IllegalArgumentException(String.format(Locale.ROOT, "analytic kernel of %s: a block of"
                    + " %d × %d samples needs about %.1f MiB (%s layout, %d position pairs per sample pair), more than"
                    + " the %.1f MiB %s; %s", model, n1, n2, need / 1048576.0, model.kernelLayout(),
                    model.kernelPositionPairs(), free / 1048576.0, budget > 0 ? "budget" : "free in the heap", advice));
        }
    }

    /**
     * A model's kernels of x1 against x2 (null: x1 itself) on the backend, in sub-blocks of at most
     * {@link #largestBlock} samples a side when the whole would not fit, assembled by row concatenations and
     * transposes; tensors belong to the caller's scope.
     */
    AnalyticNtk.Kernels compute(Backend be, Tensor x1, Tensor x2) {
        Tensor other = x2 == null ? x1 : x2;
        int n1 = x1.rows();
        int n2 = other.rows();
        int b = largestBlock(Math.max(n1, n2));
        requireFits(Math.max(1, Math.min(b, n1)), Math.max(1, Math.min(b, n2)));
        if (n1 <= b && n2 <= b) {
            KernelValue v = model.kernel(be, x1, x2);
            return new AnalyticNtk.Kernels(v.nngp(), v.ntk());
        }
        List<Tensor> nngpCols = new ArrayList<>();
        List<Tensor> ntkCols = new ArrayList<>();
        for (int c0 = 0; c0 < n2; c0 += b) {
            int[] cols = range(c0, Math.min(n2, c0 + b));
            List<Tensor> nngpRows = new ArrayList<>();
            List<Tensor> ntkRows = new ArrayList<>();
            try (Tensor xc = be.gatherRows(other, cols)) {
                for (int r0 = 0; r0 < n1; r0 += b) {
                    try (Tensor xr = be.gatherRows(x1, range(r0, Math.min(n1, r0 + b)));
                         KernelValue v = model.kernel(be, xr, xc)) {
                        nngpRows.add(be.copy(v.nngp()));
                        ntkRows.add(be.copy(v.ntk()));
                    }
                }
                nngpCols.add(transposedConcat(be, nngpRows));
                ntkCols.add(transposedConcat(be, ntkRows));
            }
        }
        // the column blocks, each transposed, stack to the transpose of the whole
        return new AnalyticNtk.Kernels(transposedConcat(be, nngpCols), transposedConcat(be, ntkCols));
    }

    /** Stacks row blocks and returns the transpose of the stack; closes the parts. */
    private static Tensor transposedConcat(Backend be, List<Tensor> parts) {
        try (Tensor all = be.concatRows(parts)) {
            return be.transpose(all);
        } finally {
            parts.forEach(Tensor::close);
        }
    }

    private static int[] range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }
}
