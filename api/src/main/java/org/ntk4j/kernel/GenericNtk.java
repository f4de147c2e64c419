package org.ntk4j.kernel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ntk4j.backend.Backend;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.LayerTrace;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The exact empirical NTK Θ(x, x') = J(x)·J(x')ᵀ of any layered {@link Model}, by Jacobian contraction one
 * parameter group and one sample block at a time, so the full Jacobian is never formed:
 *
 * <pre>
 *   Θ(X_A, X_B) = Σ_k J_k(X_A)·J_k(X_B)ᵀ
 * </pre>
 *
 * where J_k(X) holds the per-sample Jacobian rows of parameter k ({@link LayerTrace#backward}). For the full
 * kernel ({@link OutputAxes#FULL}) each sample is replicated O times and sent back with the O one-hot output
 * cotangents in one backward pass (row i·O + a is sample i, output a); for the traced kernel there are O backward
 * passes of N rows, each with one output's cotangent, and the products are averaged over the outputs.
 *
 * <p>Memory: one row block's Jacobian rows, block·O × P values for P parameters, plus one parameter's rows of
 * the column block and the tile; blocks of {@code batchSize} samples keep this bounded
 * ({@link #computeTiled}). The cost is dominated by the contraction, 2·(N·O)²·P flops for the full kernel
 * (2·N²·O·P traced), against the structured {@link EmpiricalNtk}'s per-layer Grams for dense chains.
 *
 * <p>Only backend primitives are used, so it runs on every backend. Every computation is timed into
 * {@code ntk4j.kernel.compute} (tags backend, kind = empirical), its contraction flops are added to
 * {@code ntk4j.backend.flops}, and the {@link KernelListener} is told. Instances are immutable.
 */
public final class GenericNtk {

    private static final String KIND = "empirical";

    private final Model model;
    private final MeterRegistry registry;
    private final KernelListener listener;

    /**
     * A kernel of {@code model} that reports to {@link Metrics#globalRegistry} and no listener.
     *
     * @param model the model
     */
    public GenericNtk(Model model) {
        this(model, Metrics.globalRegistry, KernelListener.NONE);
    }

    private GenericNtk(Model model, MeterRegistry registry, KernelListener listener) {
        this.model = Objects.requireNonNull(model, "model");
        this.registry = registry;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * @param r the registry for the timer and flop counter, or {@code null} for none
     * @return a copy reporting there
     */
    public GenericNtk withMeterRegistry(MeterRegistry r) {
        return new GenericNtk(model, r, listener);
    }

    /**
     * @param l the listener told after every computation
     * @return a copy with that listener
     */
    public GenericNtk withListener(KernelListener l) {
        return new GenericNtk(model, registry, l);
    }

    /** @return the model */
    public Model model() {
        return model;
    }

    /**
     * @param params the parameters (not modified)
     * @param x N × input-size inputs (not modified)
     * @param axes full (N·O × N·O) or traced (N × N)
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, Tensor x, OutputAxes axes) {
        return compute(params, x, null, axes);
    }

    /**
     * The cross kernel Θ(X1, X2) in one block.
     *
     * @param params the parameters (not modified)
     * @param x1 N1 × input-size inputs (not modified)
     * @param x2 N2 × input-size inputs, or {@code null} for X1 itself (not modified)
     * @param axes full (N1·O × N2·O) or traced (N1 × N2)
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, Tensor x1, Tensor x2, OutputAxes axes) {
        model.checkParams(params);
        Backend be = params.backend();
        long t0 = System.nanoTime();
        long[] flops = {0};
        Tensor out;
        try (TensorScope scope = be.scope(); Rows a = rows(params, x1, axes)) {
            out = scope.keep(block(params, a, x2, axes, flops));
        }
        KernelTiming.record(registry, listener, KIND, be.name(), out.rows(), out.cols(), System.nanoTime() - t0,
                flops[0]);
        return out;
    }

    /**
     * The kernel tile by tile: X1 and X2 are cut into blocks of {@code batchSize} samples; each block pair's tile
     * is computed on the backend and copied to the host (for a symmetric kernel only the tiles on and above the
     * diagonal, mirrored). The result equals {@link #compute(Params, Tensor, Tensor, OutputAxes)}.
     *
     * @param params the parameters (not modified)
     * @param x1 N1 × input-size inputs (not modified)
     * @param x2 N2 × input-size inputs, or {@code null} for X1 itself (not modified)
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
        model.checkParams(params);
        Backend be = params.backend();
        long t0 = System.nanoTime();
        boolean symmetric = x2 == null;
        Tensor other = symmetric ? x1 : x2;
        int per = axes == OutputAxes.FULL ? model.outputDim() : 1;
        int n1 = x1.rows();
        int n2 = other.rows();
        int t1 = (n1 + batchSize - 1) / batchSize;
        int t2 = (n2 + batchSize - 1) / batchSize;
        int total = symmetric ? t1 * (t1 + 1) / 2 : t1 * t2;
        int cols = n2 * per;
        double[] data = new double[Math.multiplyExact(n1 * per, cols)];
        long[] flops = {0};
        int done = 0;
        for (int i = 0; i < t1; i++) {
            int r0 = i * batchSize;
            int r1 = Math.min(n1, r0 + batchSize);
            try (TensorScope rowScope = be.scope(); Rows a = rows(params, slice(be, x1, r0, r1), axes)) {
                for (int j = symmetric ? i : 0; j < t2; j++) {
                    int c0 = j * batchSize;
                    int c1 = Math.min(n2, c0 + batchSize);
                    try (TensorScope tileScope = be.scope()) {
                        Tensor xb = symmetric && j == i ? null : slice(be, other, c0, c1);
                        double[] tile = be.toHost(block(params, a, xb, axes, flops));
                        int tr = (r1 - r0) * per;
                        int tc = (c1 - c0) * per;
                        for (int p = 0; p < tr; p++) {
                            for (int q = 0; q < tc; q++) {
                                double v = tile[p * tc + q];
                                data[(r0 * per + p) * cols + c0 * per + q] = v;
                                if (symmetric && j != i) {
                                    data[(c0 * per + q) * cols + r0 * per + p] = v;
                                }
                            }
                        }
                    }
                    progress.tileDone(++done, total);
                }
            }
        }
        KernelTiming.record(registry, listener, KIND, be.name(), n1 * per, cols, System.nanoTime() - t0, flops[0]);
        return new HostMatrix(data, n1 * per, cols);
    }

    private static Tensor slice(Backend be, Tensor x, int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return be.gatherRows(x, idx);
    }

    /**
     * One parameter's Jacobian rows of one backward pass: explicit rows, or the factors of rows
     * scale·(left_n ⊗ right_n).
     */
    private static final class Piece {
        final Tensor rows;
        final double scale;
        final Tensor left;
        final Tensor right;

        Piece(Tensor rows) {
            this(rows, 1, null, null);
        }

        Piece(Tensor rows, double scale, Tensor left, Tensor right) {
            this.rows = rows;
            this.scale = scale;
            this.left = left;
            this.right = right;
        }

        boolean factored() {
            return rows == null;
        }

        /** @return the explicit rows (new when factored: the caller closes it then) */
        Tensor explicit(Backend be) {
            if (!factored()) {
                return rows;
            }
            return LayerTrace.outerRows(scale, left, right);
        }
    }

    /** One block's per-sample Jacobian rows: per backward pass (one for full, O for traced), per parameter. */
    private static final class Rows implements AutoCloseable {
        final List<Piece[]> passes = new ArrayList<>();
        final List<Tensor> owned = new ArrayList<>();
        final int rows;

        Rows(int rows) {
            this.rows = rows;
        }

        @Override
        public void close() {
            owned.forEach(Tensor::close);
        }
    }

    /**
     * Gram matrices of factor pairs, computed once per pair of tensors: the inputs of a dense layer are the same in
     * every traced pass, so their Gram is shared by the O passes.
     */
    private static final class Grams implements AutoCloseable {
        private final Map<Tensor, Map<Tensor, Tensor>> cache = new IdentityHashMap<>();
        private final List<Tensor> made = new ArrayList<>();

        Tensor get(Backend be, Tensor a, Tensor b, long[] flops) {
            return cache.computeIfAbsent(a, k -> new IdentityHashMap<>()).computeIfAbsent(b, k -> {
                Tensor g = be.zeros(a.rows(), b.rows(), a.dtype());
                be.gemm(1, a, false, b, true, 0, g);
                flops[0] += KernelTiming.gemm(a.rows(), b.rows(), a.cols());
                made.add(g);
                return g;
            });
        }

        @Override
        public void close() {
            made.forEach(Tensor::close);
        }
    }

    /** acc ← acc + w·J_aᵀ-contraction: acc += w·Ja·Jbᵀ, by the factors' Grams when both are factored. */
    private static void contract(Backend be, double w, Piece a, Piece b, Tensor acc, Grams grams, long[] flops) {
        if (a.factored() && b.factored()) {
            Tensor gl = grams.get(be, a.left, b.left, flops);
            try (Tensor gr = be.zeros(a.right.rows(), b.right.rows(), acc.dtype())) {
                be.gemm(1, a.right, false, b.right, true, 0, gr);
                flops[0] += KernelTiming.gemm(a.right.rows(), b.right.rows(), a.right.cols());
                be.hadamard(gr, gl, gr);
                be.axpby(1, acc, w * a.scale * b.scale, gr, acc);
            }
            return;
        }
        Tensor ja = a.explicit(be);
        Tensor jb = b.explicit(be);
        try {
            be.gemm(w, ja, false, jb, true, 1, acc);
            flops[0] += KernelTiming.gemm(ja.rows(), jb.rows(), ja.cols());
        } finally {
            if (ja != a.rows) {
                ja.close();
            }
            if (jb != b.rows) {
                jb.close();
            }
        }
    }

    /**
     * The kernel of block A (its rows already made) with block B = {@code xb}, or with itself when {@code xb} is
     * null; B's Jacobian rows are contracted one parameter at a time as its backward pass produces them.
     */
    private Tensor block(Params params, Rows a, Tensor xb, OutputAxes axes, long[] flops) {
        Backend be = params.backend();
        int o = model.outputDim();
        double w = axes == OutputAxes.FULL ? 1 : 1.0 / o;
        DType dtype = params.dtype();
        try (Grams grams = new Grams()) {
            if (xb == null) {
                Tensor acc = be.zeros(a.rows, a.rows, dtype);
                for (Piece[] pass : a.passes) {
                    for (Piece piece : pass) {
                        contract(be, w, piece, piece, acc, grams, flops);
                    }
                }
                return acc;
            }
            int rowsB = axes == OutputAxes.FULL ? xb.rows() * o : xb.rows();
            Tensor acc = be.zeros(a.rows, rowsB, dtype);
            backwardPasses(params, xb, axes, new PassSink() {
                @Override
                public void accept(int pass, int param, Tensor t) {
                    try (t) {
                        contract(be, w, a.passes.get(pass)[param], new Piece(t), acc, grams, flops);
                    }
                }

                @Override
                public void acceptOuter(int pass, int param, double scale, Tensor left, Tensor right) {
                    contract(be, w, a.passes.get(pass)[param], new Piece(null, scale, left, right), acc, grams,
                            flops);
                }
            });
            return acc;
        }
    }

    /** Runs the backward passes of a block and keeps every Jacobian tile (factors copied: they belong to traces). */
    private Rows rows(Params params, Tensor x, OutputAxes axes) {
        Backend be = params.backend();
        int passes = axes == OutputAxes.FULL ? 1 : model.outputDim();
        int count = model.parameters().size();
        Rows r = new Rows(axes == OutputAxes.FULL ? x.rows() * model.outputDim() : x.rows());
        for (int p = 0; p < passes; p++) {
            r.passes.add(new Piece[count]);
        }
        Tensor[] leftSource = new Tensor[count];
        Tensor[] leftCopy = new Tensor[count];
        backwardPasses(params, x, axes, new PassSink() {
            @Override
            public void accept(int pass, int param, Tensor t) {
                r.owned.add(t);
                r.passes.get(pass)[param] = new Piece(t);
            }

            @Override
            public void acceptOuter(int pass, int param, double scale, Tensor left, Tensor right) {
                if (leftSource[param] != left) {
                    leftSource[param] = left;
                    leftCopy[param] = be.copy(left);
                    r.owned.add(leftCopy[param]);
                }
                Tensor rc = be.copy(right);
                r.owned.add(rc);
                r.passes.get(pass)[param] = new Piece(null, scale, leftCopy[param], rc);
            }
        });
        return r;
    }

    /** Receives the Jacobian rows of one backward pass: explicit tiles (owned) or factors (borrowed). */
    private interface PassSink {
        void accept(int pass, int param, Tensor rows);

        void acceptOuter(int pass, int param, double scale, Tensor left, Tensor right);
    }

    /** @return a layer sink that tells {@code sink} the pass */
    private static LayerTrace.JacobianSink forPass(PassSink sink, int pass) {
        return new LayerTrace.JacobianSink() {
            @Override
            public void accept(int param, Tensor rows) {
                sink.accept(pass, param, rows);
            }

            @Override
            public void acceptOuter(int param, double scale, Tensor left, Tensor right) {
                sink.acceptOuter(pass, param, scale, left, right);
            }
        };
    }

    /**
     * The per-sample backward passes of a block: one pass with O one-hot cotangents per replicated sample (full),
     * or O passes of the block's samples with output a's cotangent (traced).
     */
    private void backwardPasses(Params params, Tensor x, OutputAxes axes, PassSink sink) {
        Backend be = params.backend();
        int o = model.outputDim();
        int n = x.rows();
        if (axes == OutputAxes.FULL) {
            int[] replicate = new int[n * o];
            double[] oneHot = new double[n * o * o];
            for (int i = 0; i < n * o; i++) {
                replicate[i] = i / o;
                oneHot[i * o + i % o] = 1;
            }
            try (Tensor xr = be.gatherRows(x, replicate); LayerTrace trace = model.forward(params, xr);
                 Tensor cot = be.fromHost(oneHot, n * o, o, params.dtype())) {
                trace.backward(cot, false, forPass(sink, 0));
            }
        } else {
            try (LayerTrace trace = model.forward(params, x)) {
                for (int a = 0; a < o; a++) {
                    double[] column = new double[n * o];
                    for (int i = 0; i < n; i++) {
                        column[i * o + a] = 1;
                    }
                    int pass = a;
                    try (Tensor cot = be.fromHost(column, n, o, params.dtype())) {
                        trace.backward(cot, false, forPass(sink, pass));
                    }
                }
            }
        }
    }
}
