package org.ntk4j.kernel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.ForwardTrace;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The exact empirical NTK Θ(x, x') = J(x)·J(x')ᵀ of an {@link Mlp} at given parameters, computed in the
 * structured form of DESIGN §5a without ever forming the P-sized Jacobian:
 *
 * <pre>
 *   Θ_ab(x, x') = Σ_l ⟨δ^l_a(x), δ^l_b(x')⟩ · ( s_w(l)²·⟨x^l(x), x^l(x')⟩ + s_b² )
 * </pre>
 *
 * where x^l is layer l's input, δ^l_a the derivative of output a with respect to layer l's pre-activation,
 * s_w, s_b the layer's forward scales ({@link Mlp#weightScale}, {@link Mlp#biasScale}; the bias term is
 * dropped without biases). Per layer: one Gram of the inputs and one of the deltas, combined by a Hadamard
 * product — GEMM-bound. This holds for both parameterizations.
 *
 * <p>The full kernel ({@link OutputAxes#FULL}) back-propagates O one-hot cotangents per sample in one pass
 * (the input Grams enter once per pair of outputs, through
 * {@link Backend#ntkLayerAccumulate(Tensor, Tensor, int, int, double, double, Tensor)}); the traced one does O passes of N rows for the layers
 * below the last hidden one, whose output-averaged delta Grams reduce to a single Gram each (see
 * {@code NtkFactors}). The product
 * Jᵀ·u for a vector u of length N·O (index i·O + a) is one backward pass: {@code mlp.vjp(params, trace, U)}
 * with U the row-major N×O matrix of u.
 *
 * <p>Every computation is timed into the Micrometer timer {@code ntk4j.kernel.compute} (tags backend,
 * kind = empirical), its GEMM flops are added to the counter {@code ntk4j.backend.flops} (tags backend,
 * op = kernel.empirical) and the {@link KernelListener} is told. Instances are immutable.
 */
public final class EmpiricalNtk {

    private static final String KIND = "empirical";

    private final Mlp mlp;
    private final MeterRegistry registry;
    private final KernelListener listener;

    /**
     * A kernel of {@code mlp} that reports to {@link Metrics#globalRegistry} and no listener.
     *
     * @param mlp the network
     */
    public EmpiricalNtk(Mlp mlp) {
        this(mlp, Metrics.globalRegistry, KernelListener.NONE);
    }

    private EmpiricalNtk(Mlp mlp, MeterRegistry registry, KernelListener listener) {
        this.mlp = Objects.requireNonNull(mlp, "mlp");
        this.registry = registry;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * @param r the registry for the timer and flop counter, or {@code null} for none
     * @return a copy reporting there
     */
    public EmpiricalNtk withMeterRegistry(MeterRegistry r) {
        return new EmpiricalNtk(mlp, r, listener);
    }

    /**
     * @param l the listener told after every computation
     * @return a copy with that listener
     */
    public EmpiricalNtk withListener(KernelListener l) {
        return new EmpiricalNtk(mlp, registry, l);
    }

    /** @return the network */
    public Mlp mlp() {
        return mlp;
    }

    /**
     * The kernel of a set of inputs with itself.
     *
     * @param params the parameters (not modified)
     * @param x N×d0 inputs (not modified)
     * @param axes full (N·O × N·O) or traced (N × N)
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, Tensor x, OutputAxes axes) {
        return compute(params, x, null, axes);
    }

    /**
     * The cross kernel Θ(X1, X2).
     *
     * @param params the parameters (not modified)
     * @param x1 N1×d0 inputs (not modified)
     * @param x2 N2×d0 inputs, or {@code null} for X1 itself (not modified)
     * @param axes full (N1·O × N2·O) or traced (N1 × N2)
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, Tensor x1, Tensor x2, OutputAxes axes) {
        mlp.checkParams(params);
        Backend be = params.backend();
        long t0 = System.nanoTime();
        Tensor out;
        long flops;
        try (TensorScope scope = be.scope(); NtkFactors f1 = NtkFactors.of(mlp, params, x1, axes);
             NtkFactors f2 = x2 == null ? null : NtkFactors.of(mlp, params, x2, axes)) {
            long[] count = {f1.flops + (f2 == null ? 0 : f2.flops)};
            out = scope.keep(block(be, f1, f2 == null ? f1 : f2, count));
            flops = count[0];
        }
        KernelTiming.record(registry, listener, KIND, be.name(), out.rows(), out.cols(), System.nanoTime() - t0, flops);
        return out;
    }

    /**
     * The kernel of a batch with itself from a forward trace the caller already has (a training step's), so
     * the forward pass is not repeated: Θ_B, as the proximal optimizer needs it.
     *
     * @param params the parameters the trace was made with (not modified)
     * @param trace the forward trace (not modified; stays open)
     * @param axes full or traced
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, ForwardTrace trace, OutputAxes axes) {
        mlp.checkParams(params);
        Backend be = params.backend();
        long t0 = System.nanoTime();
        Tensor out;
        long flops;
        try (TensorScope scope = be.scope(); NtkFactors f = NtkFactors.of(mlp, params, trace, false, axes)) {
            long[] count = {f.flops};
            out = scope.keep(block(be, f, f, count));
            flops = count[0];
        }
        KernelTiming.record(registry, listener, KIND, be.name(), out.rows(), out.cols(), System.nanoTime() - t0, flops);
        return out;
    }

    /**
     * The kernel computed tile by tile: X1 and X2 are cut into blocks of {@code batchSize} samples, each
     * block pair's kernel is computed on the backend and copied to the host. The backend holds at most two
     * blocks' factors and one tile at a time (for a symmetric kernel only the tiles on and above the diagonal
     * are computed and mirrored). The result equals {@link #compute(Params, Tensor, Tensor, OutputAxes)}.
     *
     * @param params the parameters (not modified)
     * @param x1 N1×d0 inputs (not modified)
     * @param x2 N2×d0 inputs, or {@code null} for X1 itself (not modified)
     * @param axes full or traced
     * @param batchSize samples per block, ≥ 1
     * @param progress told after every tile
     * @return the kernel on the host
     */
    public HostMatrix computeTiled(Params params, Tensor x1, Tensor x2, OutputAxes axes, int batchSize,
                                  TileProgress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        mlp.checkParams(params);
        Backend be = params.backend();
        long t0 = System.nanoTime();
        boolean symmetric = x2 == null;
        Tensor other = symmetric ? x1 : x2;
        int per = axes == OutputAxes.FULL ? mlp.outputDim() : 1;
        int n1 = x1.rows();
        int n2 = other.rows();
        int t1 = (n1 + batchSize - 1) / batchSize;
        int t2 = (n2 + batchSize - 1) / batchSize;
        int total = symmetric ? t1 * (t1 + 1) / 2 : t1 * t2;
        int cols = n2 * per;
        double[] data = new double[n1 * per * cols];
        long[] count = {0};
        int done = 0;
        for (int i = 0; i < t1; i++) {
            int r0 = i * batchSize;
            int r1 = Math.min(n1, r0 + batchSize);
            try (TensorScope rowScope = be.scope();
                 NtkFactors f1 = NtkFactors.of(mlp, params, slice(be, x1, r0, r1), axes)) {
                count[0] += f1.flops;
                for (int j = symmetric ? i : 0; j < t2; j++) {
                    int c0 = j * batchSize;
                    int c1 = Math.min(n2, c0 + batchSize);
                    try (TensorScope tileScope = be.scope()) {
                        NtkFactors f2 = symmetric && j == i ? f1 : NtkFactors.of(mlp, params, slice(be, other, c0, c1), axes);
                        if (f2 != f1) {
                            count[0] += f2.flops;
                        }
                        double[] tile = be.toHost(block(be, f1, f2, count));
                        int tr = (r1 - r0) * per;
                        int tc = (c1 - c0) * per;
                        for (int a = 0; a < tr; a++) {
                            for (int b = 0; b < tc; b++) {
                                double v = tile[a * tc + b];
                                data[(r0 * per + a) * cols + c0 * per + b] = v;
                                if (symmetric && j != i) {
                                    data[(c0 * per + b) * cols + r0 * per + a] = v;
                                }
                            }
                        }
                        if (f2 != f1) {
                            f2.close();
                        }
                    }
                    progress.tileDone(++done, total);
                }
            }
        }
        KernelTiming.record(registry, listener, KIND, be.name(), n1 * per, cols, System.nanoTime() - t0, count[0]);
        return new HostMatrix(data, n1 * per, cols);
    }

    private static Tensor slice(Backend be, Tensor x, int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return be.gatherRows(x, idx);
    }

    /** Σ_l (delta Gram) ⊙ (scaled input Gram + bias variance) for two blocks of factors. */
    private static Tensor block(Backend be, NtkFactors f1, NtkFactors f2, long[] flops) {
        Mlp mlp = f1.mlp;
        int o = mlp.outputDim();
        int r1 = f1.kernelRows();
        int r2 = f2.kernelRows();
        int n1 = f1.trace.rows();
        int n2 = f2.trace.rows();
        double biasVariance = mlp.hasBias() ? mlp.biasScale() * mlp.biasScale() : 0;
        Tensor acc = be.zeros(r1, r2, f1.trace.output().dtype());
        for (int l = 0; l < mlp.depth(); l++) {
            int width = mlp.width(l + 1);
            Tensor dg;
            if (f1.axes == OutputAxes.FULL) {
                dg = product(be, f1.deltas.get(0).get(l), f2.deltas.get(0).get(l), f1 == f2);
                flops[0] += KernelTiming.gemm(r1, r2, width);
            } else if (l == mlp.depth() - 2) {
                dg = product(be, f1.hidden, f2.hidden, f1 == f2);
                flops[0] += KernelTiming.gemm(r1, r2, width);
            } else {
                dg = be.zeros(r1, r2, acc.dtype());
            }
            try (dg) {
                if (f1.axes == OutputAxes.TRACED && l == mlp.depth() - 1) {
                    be.affine(0, dg, 1, dg);
                } else if (f1.axes == OutputAxes.TRACED && l < mlp.depth() - 2) {
                    for (int a = 0; a < o; a++) {
                        be.gemm(1.0 / o, f1.deltas.get(a).get(l), false, f2.deltas.get(a).get(l), true, a == 0 ? 0 : 1, dg);
                        flops[0] += KernelTiming.gemm(r1, r2, width);
                    }
                }
                Tensor ig = product(be, f1.trace.input(l), f2.trace.input(l), f1 == f2);
                flops[0] += KernelTiming.gemm(n1, n2, mlp.width(l));
                double s = mlp.weightScale(l);
                if (f1.axes == OutputAxes.FULL) {
                    be.ntkLayerAccumulate(dg, ig, o, o, s * s, biasVariance, acc);
                } else {
                    be.ntkLayerAccumulate(dg, ig, s * s, biasVariance, acc);
                }
                ig.close();
            }
        }
        return acc;
    }

    /** A·Bᵀ as a new tensor; {@link Backend#gram} when B is A (a backend may then compute one triangle). */
    private static Tensor product(Backend be, Tensor a, Tensor b, boolean same) {
        return same ? be.gram(a) : be.crossGram(a, b);
    }

    /**
     * The Jacobian-transpose product Jᵀ·u as one backward pass, for the proximal optimizer.
     *
     * @param params the parameters of the trace (not modified)
     * @param trace the forward trace of the batch (not modified)
     * @param u N×O cotangent: u reshaped row-major, element i·O + a at row i, column a (not modified)
     * @return new gradients in the parameters' layout
     */
    public Params jacobianTransposeTimes(Params params, ForwardTrace trace, Tensor u) {
        return mlp.vjp(params, trace, u);
    }
}
