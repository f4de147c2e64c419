package org.ntk4j.kernel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.layers.KernelValue;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The analytic (infinite-width) NNGP and NTK of an MLP in NTK parameterization, as neural-tangents'
 * {@code stax.serial(Dense, φ, Dense, φ, …, Dense)} computes them (DESIGN §5b). With L dense layers:
 *
 * <pre>
 *   Σ⁰ = x·x'/d0,  Θ⁰ = 0
 *   layer l:  (l &gt; 0 first applies φ)  Σ̃ = E[φ(u)φ(v)],  Θ̃ = Θ ⊙ E[φ'(u)φ'(v)],
 *             (u, v) ~ N(0, [[q, k], [k, q']]) with q = Σ(x, x), q' = Σ(x', x'), k = Σ(x, x')
 *             (l = 0 takes Σ̃ = Σ⁰, Θ̃ = Θ⁰)
 *   dense:    Σ ← σ_w²·Σ̃ + σ_b²,  Θ ← Σ + σ_w²·Θ̃
 * </pre>
 *
 * Each nonlinearity and the dense layer after it are one {@link Backend#dualLayer} on the two n1×n2 kernels,
 * which a backend may fuse into one pass; the expectations are those of {@link Backend#dualMap} (closed forms
 * for IDENTITY, RELU, LEAKY_RELU, ERF, quadrature for the others); the variances q are carried on the host by {@link ActivationDuals}. Widths do
 * not matter; σ_b is 0 for a network without biases. This is the limit, per output, of the traced empirical
 * NTK of the same network in {@link org.ntk4j.nn.Parameterization#NTK NTK parameterization} as its hidden
 * widths grow (the error falls like 1/√width).
 *
 * <p>{@link #of(Model)} gives the kernel of any model of the shipped layers: the input kernel flows through every
 * layer's {@link org.ntk4j.nn.layers.Layer#kernel} map (convolutions, pooling, flatten, layer norm, residual
 * blocks; DESIGN §12). A dense-and-activation model gives the same kernel as the MLP recursion. Its blocks must
 * fit in the heap: {@link Model#kernelBytes} estimates them and computations that cannot fit are refused before
 * they start.
 *
 * <p>Every computation is timed into {@code ntk4j.kernel.compute} (tags backend, kind = analytic), its
 * GEMM flops counted in {@code ntk4j.backend.flops} (op = kernel.analytic), and the listener told.
 * Instances are immutable.
 */
public final class AnalyticNtk {

    private static final String KIND = "analytic";

    private final int depth;
    private final Activation activation;
    private final double sigmaW;
    private final double sigmaB;
    private final MeterRegistry registry;
    private final KernelListener listener;
    /** The model whose layer maps give the kernel, or {@code null} for the MLP recursion. */
    private final Model model;
    /** The bytes a model kernel's block may take, or 0 for the heap's free memory. */
    private final long budget;

    private AnalyticNtk(Model model, long budget, MeterRegistry registry, KernelListener listener) {
        this.model = model;
        this.budget = budget;
        this.depth = 0;
        this.activation = null;
        this.sigmaW = 0;
        this.sigmaB = 0;
        this.registry = registry;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    private AnalyticNtk(int depth, Activation activation, double sigmaW, double sigmaB, MeterRegistry registry,
                        KernelListener listener) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth (number of dense layers) must be ≥ 1, got " + depth);
        }
        if (!(sigmaW > 0) || !(sigmaB >= 0) || !Double.isFinite(sigmaW) || !Double.isFinite(sigmaB)) {
            throw new IllegalArgumentException("need σ_w > 0 and σ_b ≥ 0, finite; got " + sigmaW + ", " + sigmaB);
        }
        this.model = null;
        this.budget = 0;
        this.depth = depth;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.registry = registry;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * @param depth the number of dense layers L ≥ 1 (L − 1 nonlinearities)
     * @param activation the nonlinearity
     * @param sigmaW σ_w &gt; 0
     * @param sigmaB σ_b ≥ 0 (0 for no biases)
     * @return the kernel, reporting to {@link Metrics#globalRegistry}
     */
    public static AnalyticNtk of(int depth, Activation activation, double sigmaW, double sigmaB) {
        return new AnalyticNtk(depth, activation, sigmaW, sigmaB, Metrics.globalRegistry, KernelListener.NONE);
    }

    /**
     * The infinite-width kernels of an architecture. The NNGP is the same for both parameterizations; the
     * NTK is the limit of the NTK parameterization (a standard-parameterized network's empirical NTK grows
     * with its width instead).
     *
     * @param mlp a network; its depth, activation, σ_w and σ_b (0 without biases) are used, its widths not
     * @return the infinite-width kernel of that architecture
     */
    public static AnalyticNtk of(Mlp mlp) {
        return of(mlp.depth(), mlp.activation(), mlp.sigmaW(), mlp.hasBias() ? mlp.sigmaB() : 0);
    }

    /**
     * The infinite-width kernels of a model of the shipped layers, by the layers' kernel maps. As for
     * {@link #of(Mlp)}, the NNGP is that of either parameterization and the NTK the limit of the NTK
     * parameterization; σ_w, σ_b and biases are each layer's.
     *
     * @param model a model whose output is a vector (end an image model with flatten or globalAvgPool and a dense
     *              layer)
     * @return its kernel, reporting to {@link Metrics#globalRegistry}
     * @throws IllegalArgumentException when the model's output is an image
     */
    public static AnalyticNtk of(Model model) {
        if (model.outputShape().isImage()) {
            throw new IllegalArgumentException("analytic kernel: " + model + " outputs images "
                    + model.outputShape() + "; end it with flatten or globalAvgPool and a dense layer");
        }
        return new AnalyticNtk(model, 0, Metrics.globalRegistry, KernelListener.NONE);
    }

    /**
     * @param r the registry for the timer and flop counter, or {@code null} for none
     * @return a copy reporting there
     */
    public AnalyticNtk withMeterRegistry(MeterRegistry r) {
        return model != null ? new AnalyticNtk(model, budget, r, listener)
                : new AnalyticNtk(depth, activation, sigmaW, sigmaB, r, listener);
    }

    /**
     * @param l the listener told after every computation
     * @return a copy with that listener
     */
    public AnalyticNtk withListener(KernelListener l) {
        return model != null ? new AnalyticNtk(model, budget, registry, l)
                : new AnalyticNtk(depth, activation, sigmaW, sigmaB, registry, l);
    }

    /**
     * @param bytes the memory a block of a model kernel may take (its estimate, {@link Model#kernelBytes}), &gt; 0;
     *              by default the heap's free memory. Use it to leave room, or for off-heap and device memory.
     * @return a copy with that budget
     * @throws IllegalStateException for an MLP recursion, whose blocks are plain n1 × n2 matrices
     */
    public AnalyticNtk withMemoryBudget(long bytes) {
        requireModel("a memory budget");
        if (bytes < 1) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes, got " + bytes);
        }
        return new AnalyticNtk(model, bytes, registry, listener);
    }

    private void requireModel(String what) {
        if (model == null) {
            throw new IllegalStateException(this + " is an MLP recursion; " + what + " applies to model kernels");
        }
    }

    /** @return the model of a kernel made by {@link #of(Model)}, or {@code null} for an MLP recursion */
    public Model model() {
        return model;
    }

    /** @return the number of dense layers of an MLP recursion */
    public int depth() {
        requireMlp("depth");
        return depth;
    }

    /** @return the nonlinearity of an MLP recursion */
    public Activation activation() {
        requireMlp("activation");
        return activation;
    }

    /** @return σ_w of an MLP recursion */
    public double sigmaW() {
        requireMlp("σ_w");
        return sigmaW;
    }

    /** @return σ_b of an MLP recursion */
    public double sigmaB() {
        requireMlp("σ_b");
        return sigmaB;
    }

    private void requireMlp(String what) {
        if (model != null) {
            throw new IllegalStateException(this + " is the kernel of a model, with no single " + what
                    + "; see model()");
        }
    }

    /**
     * The largest block that fits: the largest n ≤ {@code limit} with {@link Model#kernelBytes}(n, n) within
     * the heap's free memory ({@code limit} itself for an MLP recursion, whose blocks are n × n values).
     *
     * @param limit the largest block wanted, ≥ 1
     * @return that n, or 0 when not even one pair of samples fits
     */
    public int largestBlock(int limit) {
        return model == null ? limit : blocks().largestBlock(limit);
    }

    private ModelKernelBlocks blocks() {
        return new ModelKernelBlocks(model, budget);
    }




    /**
     * Both kernels of a computation.
     *
     * @param nngp the NNGP kernel Σ (owned by the caller or the current scope)
     * @param ntk the NTK Θ (owned by the caller or the current scope)
     */
    public record Kernels(Tensor nngp, Tensor ntk) implements AutoCloseable {
        /** Closes both tensors. */
        @Override
        public void close() {
            nngp.close();
            ntk.close();
        }
    }

    /**
     * Both kernels on the host.
     *
     * @param nngp the NNGP kernel Σ
     * @param ntk the NTK Θ
     */
    public record HostKernels(HostMatrix nngp, HostMatrix ntk) {
    }

    /**
     * The NNGP and NTK of X1 against X2.
     *
     * @param backend the backend
     * @param x1 N1×d inputs (not modified)
     * @param x2 N2×d inputs, or {@code null} for X1 itself (not modified)
     * @return new N1×N2 kernels
     * @throws IllegalArgumentException for a model kernel of which not even one pair of samples fits in the heap
     *                                  (larger kernels are computed in sub-blocks that fit)
     */
    public Kernels compute(Backend backend, Tensor x1, Tensor x2) {
        long t0 = System.nanoTime();
        Tensor other = x2 == null ? x1 : x2;
        if (other.cols() != x1.cols()) {
            throw new IllegalArgumentException("analytic kernel: inputs have " + x1.cols() + " and " + other.cols()
                    + " columns (" + x1.shape() + ", " + other.shape() + ")");
        }
        Kernels out;
        try (TensorScope scope = backend.scope()) {
            Operand a = operand(backend, x1);
            Kernels k = recurse(backend, a, x2 == null ? a : operand(backend, other));
            out = new Kernels(scope.keep(k.nngp()), scope.keep(k.ntk()));
        }
        KernelTiming.record(registry, listener, KIND, backend.name(), x1.rows(), other.rows(), System.nanoTime() - t0,
                KernelTiming.gemm(x1.rows(), other.rows(), x1.cols()));
        return out;
    }

    /** Receives the kernels of one block of rows. */
    @FunctionalInterface
    public interface RowBlockSink {
        /**
         * @param firstRow the index in X1 of the block's first row
         * @param block the block's rows of both kernels, rows×N2; they belong to the sink (close them when done,
         *              or leave them to the current scope)
         */
        void accept(int firstRow, Kernels block);
    }

    /**
     * Both kernels of X1 against X2, in blocks of rows of X1, each computed on the backend and handed to the sink
     * (GEMM-sized products, no copies to the host). Equal to the rows of {@link #compute}. The variances of both
     * inputs are computed once.
     *
     * @param backend the backend
     * @param x1 N1×d inputs (not modified)
     * @param x2 N2×d inputs, or {@code null} for X1 itself (not modified)
     * @param blockRows rows per block, ≥ 1
     * @param sink told every block, in order
     */
    public void computeRows(Backend backend, Tensor x1, Tensor x2, int blockRows, RowBlockSink sink) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("block rows must be ≥ 1, got " + blockRows);
        }
        long t0 = System.nanoTime();
        Tensor other = x2 == null ? x1 : x2;
        if (other.cols() != x1.cols()) {
            throw new IllegalArgumentException("analytic kernel: inputs have " + x1.cols() + " and " + other.cols()
                    + " columns (" + x1.shape() + ", " + other.shape() + ")");
        }
        int n1 = x1.rows();
        Operand a = operand(backend, x1);
        Operand b = x2 == null ? a : operand(backend, other);
        for (int r0 = 0; r0 < n1; r0 += blockRows) {
            int r1 = Math.min(n1, r0 + blockRows);
            Kernels k;
            try (TensorScope scope = backend.scope()) {
                Kernels block = recurse(backend, r0 == 0 && r1 == n1 ? a : a.rows(backend, r0, r1), b);
                k = new Kernels(scope.keep(block.nngp()), scope.keep(block.ntk()));
            }
            sink.accept(r0, k);
        }
        KernelTiming.record(registry, listener, KIND, backend.name(), n1, other.rows(), System.nanoTime() - t0,
                KernelTiming.gemm(n1, other.rows(), x1.cols()));
    }

    /**
     * Both kernels tile by tile (blocks of {@code batchSize} samples, copied to the host one at a time). Equal
     * to {@link #compute}. For a symmetric kernel ({@code x2} null) only the tiles on and above the diagonal are
     * computed and those below are mirrored: the duals are symmetric in (u, v) (the host reference
     * {@code ActivationDuals} exactly, bit for bit).
     *
     * @param backend the backend
     * @param x1 N1×d inputs (not modified)
     * @param x2 N2×d inputs, or {@code null} for X1 itself (not modified)
     * @param batchSize samples per block, ≥ 1; for a model kernel, lowered to {@link #largestBlock} when its
     *                  blocks would not fit in the heap
     * @param progress told after every tile
     * @return the kernels on the host
     */
    public HostKernels computeTiled(Backend backend, Tensor x1, Tensor x2, int batchSize, TileProgress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        if (model != null) {
            int fits = largestBlock(batchSize);
            blocks().requireFits(Math.max(1, fits), Math.max(1, fits));
            batchSize = fits;
        }
        long t0 = System.nanoTime();
        boolean symmetric = x2 == null;
        Tensor other = symmetric ? x1 : x2;
        int n1 = x1.rows();
        int n2 = other.rows();
        int t1 = (n1 + batchSize - 1) / batchSize;
        int t2 = (n2 + batchSize - 1) / batchSize;
        int total = symmetric ? t1 * (t1 + 1) / 2 : t1 * t2;
        double[] nngp = new double[n1 * n2];
        double[] ntk = new double[n1 * n2];
        int done = 0;
        try (TensorScope outer = backend.scope()) {
            Operand a = operand(backend, x1);
            Operand b = symmetric ? a : operand(backend, other);
            for (int i = 0; i < t1; i++) {
                int r0 = i * batchSize;
                int r1 = Math.min(n1, r0 + batchSize);
                for (int j = symmetric ? i : 0; j < t2; j++) {
                    int c0 = j * batchSize;
                    int c1 = Math.min(n2, c0 + batchSize);
                    try (TensorScope scope = backend.scope()) {
                        Kernels k = recurse(backend, a.rows(backend, r0, r1), b.rows(backend, c0, c1));
                        boolean mirror = symmetric && j != i;
                        place(backend.toHost(k.nngp()), nngp, r0, r1, c0, c1, n2, mirror);
                        place(backend.toHost(k.ntk()), ntk, r0, r1, c0, c1, n2, mirror);
                    }
                    progress.tileDone(++done, total);
                }
            }
        }
        KernelTiming.record(registry, listener, KIND, backend.name(), n1, n2, System.nanoTime() - t0,
                KernelTiming.gemm(n1, n2, x1.cols()));
        return new HostKernels(new HostMatrix(nngp, n1, n2), new HostMatrix(ntk, n1, n2));
    }




    /** Copies a tile into place and, when {@code mirror}, its transpose into the mirrored place. */
    private static void place(double[] tile, double[] out, int r0, int r1, int c0, int c1, int cols, boolean mirror) {
        int tc = c1 - c0;
        for (int a = 0; a < r1 - r0; a++) {
            System.arraycopy(tile, a * tc, out, (r0 + a) * cols + c0, tc);
            if (mirror) {
                for (int b = 0; b < tc; b++) {
                    out[(c0 + b) * cols + r0 + a] = tile[a * tc + b];
                }
            }
        }
    }

    /**
     * Inputs with the variances q = Σ(x, x) after every dense layer but the last, computed once on the host
     * (O(N) values per layer) and reused by every block.
     */
    private record Operand(Tensor x, double[][] q) {
        Operand rows(Backend be, int from, int to) {
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            double[][] part = new double[q.length][];
            for (int l = 0; l < q.length; l++) {
                part[l] = java.util.Arrays.copyOfRange(q[l], from, to);
            }
            return new Operand(be.gatherRows(x, idx), part);
        }
    }

    private Operand operand(Backend be, Tensor x) {
        if (model != null) {
            return new Operand(x, new double[0][]);
        }
        double d = x.cols();
        double[] q;
        try (Tensor sq = be.zeros(x.rows(), 1, x.dtype())) {
            be.rowSumsOfSquares(x, sq);
            q = be.toHost(sq);
        }
        double sw2 = sigmaW * sigmaW;
        double sb2 = sigmaB * sigmaB;
        double[][] qs = new double[depth - 1][];
        double[] pair = new double[2];
        for (int l = 0; l < depth - 1; l++) {
            for (int i = 0; i < q.length; i++) {
                double v = l == 0 ? q[i] / d : dualDiagonal(qs[l - 1][i], pair);
                q[i] = sw2 * v + sb2;
            }
            qs[l] = q.clone();
        }
        return new Operand(x, qs);
    }

    private double dualDiagonal(double q, double[] pair) {
        ActivationDuals.dual(activation, q, q, q, pair);
        return pair[0];
    }

    /** The recursion on the backend; tensors it makes belong to the caller's scope. */
    private Kernels recurse(Backend be, Operand a, Operand b) {
        if (model != null) {
            return blocks().compute(be, a.x(), a == b ? null : b.x());
        }
        DType dt = a.x().dtype();
        int n1 = a.x().rows();
        int n2 = b.x().rows();
        Tensor sigma = be.zeros(n1, n2, dt);
        be.gemm(1.0 / a.x().cols(), a.x(), false, b.x(), true, 0, sigma);
        double sw2 = sigmaW * sigmaW;
        double sb2 = sigmaB * sigmaB;
        be.affine(sw2, sigma, sb2, sigma);
        Tensor theta = be.copy(sigma);
        for (int l = 1; l < depth; l++) {
            try (Tensor tq1 = be.fromHost(a.q()[l - 1], n1, 1, dt);
                 Tensor tq2 = be.fromHost(b.q()[l - 1], n2, 1, dt)) {
                ActivationPaths.dualLayer(be, activation, sigma, tq1, tq2, sw2, sb2, theta);
            }
        }
        return new Kernels(sigma, theta);
    }


    @Override
    public String toString() {
        if (model != null) {
            return "analytic-ntk[" + model + "]";
        }
        return "analytic-ntk[depth " + depth + ", " + activation.name() + ", σw=" + sigmaW + ", σb=" + sigmaB + "]";
    }
}
