package org.ntk4j.kernel;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/**
 * The structured Jacobian of a block of inputs: the forward trace (layer inputs x^l) and the back-propagated
 * deltas δ^l of one-hot output cotangents. For {@link OutputAxes#FULL} one set of deltas with N·O rows (row
 * i·O + a: sample i, cotangent e_a); for {@link OutputAxes#TRACED} O sets of N rows (set a: cotangent e_a on
 * every sample). Nothing of size P (the parameter count) is formed.
 */
final class NtkFactors implements AutoCloseable {

    final Mlp mlp;
    final ForwardTrace trace;
    final boolean ownsTrace;
    final OutputAxes axes;
    /** FULL: one entry; TRACED: one entry per output. Each: δ^0..δ^{L−1}. */
    final List<List<Tensor>> deltas = new ArrayList<>();
    /** FULL: the sample of every delta row; TRACED: null. */
    final int[] rows;
    long flops;

    private NtkFactors(Mlp mlp, ForwardTrace trace, boolean ownsTrace, OutputAxes axes, int[] rows) {
        this.mlp = mlp;
        this.trace = trace;
        this.ownsTrace = ownsTrace;
        this.axes = axes;
        this.rows = rows;
    }

    static NtkFactors of(Mlp mlp, Params params, Tensor x, OutputAxes axes) {
        ForwardTrace trace = mlp.forward(params, x);
        NtkFactors f = of(mlp, params, trace, true, axes);
        for (int l = 0; l < mlp.depth(); l++) {
            f.flops += KernelTiming.gemm(x.rows(), mlp.width(l + 1), mlp.width(l));
        }
        return f;
    }

    static NtkFactors of(Mlp mlp, Params params, ForwardTrace trace, boolean ownsTrace, OutputAxes axes) {
        Backend be = params.backend();
        int n = trace.rows();
        int o = mlp.outputDim();
        int[] rows = null;
        if (axes == OutputAxes.FULL) {
            rows = new int[n * o];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i / o;
            }
        }
        NtkFactors f = new NtkFactors(mlp, trace, ownsTrace, axes, rows);
        try {
            if (axes == OutputAxes.FULL) {
                double[] eye = new double[n * o * o];
                for (int i = 0; i < n * o; i++) {
                    eye[i * o + i % o] = 1;
                }
                try (Tensor cot = be.fromHost(eye, n * o, o, trace.output().dtype())) {
                    f.deltas.add(mlp.backpropagate(params, trace, rows, cot));
                }
                f.countBackprop(n * o);
            } else {
                for (int a = 0; a < o; a++) {
                    double[] col = new double[n * o];
                    for (int i = 0; i < n; i++) {
                        col[i * o + a] = 1;
                    }
                    try (Tensor cot = be.fromHost(col, n, o, trace.output().dtype())) {
                        f.deltas.add(mlp.backpropagate(params, trace, null, cot));
                    }
                    f.countBackprop(n);
                }
            }
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private void countBackprop(int m) {
        for (int l = mlp.depth() - 1; l >= 1; l--) {
            flops += KernelTiming.gemm(m, mlp.width(l), mlp.width(l + 1));
        }
    }

    /** @return the number of kernel rows this block contributes: N·O for FULL, N for TRACED */
    int kernelRows() {
        return axes == OutputAxes.FULL ? trace.rows() * mlp.outputDim() : trace.rows();
    }

    @Override
    public void close() {
        for (List<Tensor> ds : deltas) {
            ds.forEach(Tensor::close);
        }
        if (ownsTrace) {
            trace.close();
        }
    }
}
