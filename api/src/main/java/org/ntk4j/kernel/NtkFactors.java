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
 * every sample) for the layers below the last hidden one, and two shortcuts that make the traced kernel's
 * top layers output-independent:
 * <ul>
 *   <li>output layer L−1: δ_a = e_a, so (1/O)·Σ_a ⟨δ_a, δ'_a⟩ = 1;</li>
 *   <li>last hidden layer L−2: δ_a = φ'(z) ⊙ (s·W_{:,a}), so (1/O)·Σ_a ⟨δ_a(x), δ_a(x')⟩ = ⟨h(x), h(x')⟩ with
 *       h = φ'(z)·diag(√c), c_k = (s²/O)·Σ_a W_ka² (s = s_w(L−1), W = W^{L−1}): one Gram instead of O.</li>
 * </ul>
 * Nothing of size P (the parameter count) is formed.
 */
final class NtkFactors implements AutoCloseable {

    final Mlp mlp;
    final ForwardTrace trace;
    final boolean ownsTrace;
    final OutputAxes axes;
    /**
     * FULL: one entry, δ^0..δ^{L−1}. TRACED: one entry per output, δ^0..δ^{L−3} (null above: use
     * {@link #hidden} for L−2 and ones for L−1).
     */
    final List<List<Tensor>> deltas = new ArrayList<>();
    /** TRACED with L ≥ 2: h, N×d_{L−1}, whose Gram is the output-averaged delta Gram of layer L−2. */
    Tensor hidden;
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
                    if (mlp.depth() < 3) {
                        break;
                    }
                    try (Tensor cot = be.fromHost(col, n, o, trace.output().dtype())) {
                        List<Tensor> d = new ArrayList<>(mlp.backpropagate(params, trace, null, cot));
                        for (int l = mlp.depth() - 2; l < mlp.depth(); l++) {
                            d.get(l).close();
                            d.set(l, null);
                        }
                        f.deltas.add(d);
                    }
                    f.countBackprop(n);
                }
                if (mlp.depth() >= 2) {
                    f.hidden = hidden(mlp, params, trace, be);
                }
            }
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** h = φ'(z^{L−2})·diag(√c), c_k = (s²/O)·Σ_a W^{L−1}_ka², as a Hadamard product with √c repeated on every row. */
    private static Tensor hidden(Mlp mlp, Params params, ForwardTrace trace, Backend be) {
        int top = mlp.depth() - 1;
        int d = mlp.width(top);
        Tensor w = params.tensor(mlp.weightIndex(top));
        double s = mlp.weightScale(top);
        double[] c;
        try (Tensor sq = be.zeros(d, 1, w.dtype())) {
            be.rowSumsOfSquares(w, sq);
            c = be.toHost(sq);
        }
        Tensor deriv = trace.derivative(top - 1);
        int n = deriv.rows();
        double[] scale = new double[n * d];
        for (int k = 0; k < d; k++) {
            scale[k] = Math.sqrt(s * s * c[k] / mlp.outputDim());
        }
        for (int i = 1; i < n; i++) {
            System.arraycopy(scale, 0, scale, i * d, d);
        }
        Tensor h = be.fromHost(scale, n, d, w.dtype());
        be.hadamard(deriv, h, h);
        return h;
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
            for (Tensor t : ds) {
                if (t != null) {
                    t.close();
                }
            }
        }
        if (hidden != null) {
            hidden.close();
        }
        if (ownsTrace) {
            trace.close();
        }
    }
}
