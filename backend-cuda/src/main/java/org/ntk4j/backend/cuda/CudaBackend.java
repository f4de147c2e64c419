package org.ntk4j.backend.cuda;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import jcuda.driver.CUdeviceptr;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.ActivationPaths;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.WindowGeometry;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.backend.spi.WindowLoops;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The GPU backend: tensors live in device memory and every operation runs as one of the project's CUDA
 * kernels (PTX loaded with {@code cuModuleLoadData}), F32 and F64. GEMM uses cuBLAS instead when it was
 * selected at creation ({@link #gemmEngine()}). {@link #choleskySolve} factors and solves on the device
 * (blocked, right-looking); {@link #luSolve} and {@link #symmetricEigen} copy the matrix to the host and
 * use EJML, then copy the result back.
 *
 * <p>Kernels are queued on the device's default stream; calls that return host values wait for them.
 * Closing a tensor or scope frees its device memory; {@link #deviceMemoryUsed()} and the gauge
 * {@code ntk4j.backend.memory.used} (tag {@code backend=cuda}) show what is held. Closing the backend frees
 * every tensor still open. One thread at a time may use an instance.
 */
public final class CudaBackend implements Backend {

    static final int THREADS = 256;
    /** The rows and columns of C per block of the GEMM kernel ({@code GEMM_TM}, {@code GEMM_TN} in gemm.cu). */
    static final int GEMM_TILE = 128;
    private static final long MAX_BLOCKS = 1 << 16;
    private static final int MAX_GRID_Y = 65535;

    private final Device cuda;
    private final MemoryLedger ledger;
    private final CudaBlas blas;
    private final String description;
    private final ScopeStack scopes = new ScopeStack();
    private final Set<CudaTensor> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CudaLinalg linalg;
    private boolean closed;

    /**
     * @param cuda the device (owned from now on: closed with the backend)
     * @param ledger the context's memory ledger
     * @param blas cuBLAS for GEMM, or {@code null} for the project's kernels (owned from now on)
     * @param description the device, for {@link #toString()}
     */
    CudaBackend(Device cuda, MemoryLedger ledger, CudaBlas blas, String description) {
        this.cuda = cuda;
        this.ledger = ledger;
        this.blas = blas;
        this.description = description;
        this.linalg = new CudaLinalg(this, cuda);
    }

    @Override
    public String name() {
        return CudaBackendProvider.NAME;
    }

    @Override
    public Set<DType> dtypes() {
        return Set.of(DType.F32, DType.F64);
    }

    @Override
    public TensorScope scope() {
        return scopes.open();
    }

    /** @return the device bytes held now by this backend's tensors and scratch buffers */
    public long deviceMemoryUsed() {
        return ledger.used();
    }

    /** @return the most device bytes held at once since the backend was created */
    public long deviceMemoryPeak() {
        return ledger.peak();
    }

    /**
     * Registers the gauge {@code ntk4j.backend.memory.used} (bytes, tag {@code backend=cuda}) that reports
     * {@link #deviceMemoryUsed()}.
     *
     * @param registry the registry (modified: the gauge is added)
     * @return the gauge
     */
    public Gauge bindMemoryGauge(MeterRegistry registry) {
        return ledger.bind(registry);
    }

    /** @return {@code "cublas"} when GEMM runs on cuBLAS, {@code "kernels"} when on the project's kernel */
    public String gemmEngine() {
        return blas != null ? "cublas" : "kernels";
    }

    // ---------------------------------------------------------------------------------------- memory

    CudaTensor own(Tensor t) {
        return AbstractTensor.own(t, this, CudaTensor.class);
    }

    private static DType requireSupported(DType dtype) {
        if (dtype == null) {
            throw new NullPointerException("dtype");
        }
        return dtype;
    }

    /** @return a new tensor with uninitialized device memory, registered with the current scope */
    CudaTensor allocate(int rows, int cols, DType dtype) {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        Checks.requireDimensions(rows, cols);
        long bytes = (long) rows * cols * requireSupported(dtype).bytes();
        CUdeviceptr p = cuda.alloc(bytes);
        CudaTensor t;
        try {
            t = new CudaTensor(this, scopes, rows, cols, dtype, p, bytes);
        } catch (RuntimeException | Error e) {
            cuda.free(p, bytes);
            throw e;
        }
        live.add(t);
        return t;
    }

    /** Frees a tensor's memory; called once by {@link CudaTensor#release()}. */
    void free(CudaTensor t) {
        if (live.remove(t)) {
            cuda.free(t.pointer(), t.bytes());
        }
    }

    @Override
    public Tensor zeros(int rows, int cols, DType dtype) {
        CudaTensor t = allocate(rows, cols, dtype);
        cuda.zero(t.pointer(), t.bytes());
        return t;
    }

    @Override
    public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
        Checks.requireLength("host data", data.length, rows, cols);
        CudaTensor t = allocate(rows, cols, dtype);
        upload(t, data);
        return t;
    }

    /** Copies host values into a tensor of the same size, rounding to float for F32. */
    void upload(CudaTensor t, double[] data) {
        if (t.dtype() == DType.F64) {
            cuda.upload(t.pointer(), data);
        } else {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            cuda.upload(t.pointer(), f);
        }
    }

    @Override
    public double[] toHost(Tensor t) {
        CudaTensor c = own(t);
        if (c.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("toHost: tensor " + c.shape() + " is too large for a Java array");
        }
        int n = (int) c.size();
        if (c.dtype() == DType.F64) {
            double[] out = new double[n];
            cuda.download(out, c.pointer());
            return out;
        }
        float[] f = new float[n];
        cuda.download(f, c.pointer());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public Tensor copy(Tensor t) {
        CudaTensor src = own(t);
        CudaTensor out = allocate(src.rows(), src.cols(), src.dtype());
        cuda.copy(out.pointer(), src.pointer(), src.bytes());
        return out;
    }

    @Override
    public Tensor gatherRows(Tensor t, int[] rows) {
        CudaTensor src = own(t);
        if (rows.length == 0) {
            throw new IllegalArgumentException("gatherRows: no row indices");
        }
        for (int i : rows) {
            if (i < 0 || i >= src.rows()) {
                throw new IndexOutOfBoundsException("gatherRows: row index " + i + " outside 0.." + (src.rows() - 1)
                        + " of " + src.shape());
            }
        }
        CudaTensor out = allocate(rows.length, src.cols(), src.dtype());
        long idxBytes = 4L * rows.length;
        CUdeviceptr idx = cuda.alloc(idxBytes);
        try {
            cuda.upload(idx, rows);
            cuda.launch(Kernel.GATHER_ROWS, src.dtype(), blocks(out.size()), 1, THREADS, 1,
                    rows.length, src.cols(), src.pointer(), idx, out.pointer());
        } finally {
            cuda.free(idx, idxBytes);
        }
        return out;
    }

    @Override
    public Tensor concatRows(List<Tensor> parts) {
        for (Tensor p : parts) {
            own(p);
        }
        int rows = Checks.requireConcatRows("concatRows", parts);
        Tensor first = parts.get(0);
        CudaTensor out = allocate(rows, first.cols(), first.dtype());
        long offset = 0;
        for (Tensor p : parts) {
            CudaTensor c = own(p);
            cuda.copy(out.pointer().withByteOffset(offset), c.pointer(), c.bytes());
            offset += c.bytes();
        }
        return out;
    }

    @Override
    public Tensor transpose(Tensor t) {
        CudaTensor src = own(t);
        CudaTensor out = allocate(src.cols(), src.rows(), src.dtype());
        int gridX = ceilDiv(src.cols(), 32);
        int gridY = Math.min(ceilDiv(src.rows(), 32), MAX_GRID_Y);
        cuda.launch(Kernel.TRANSPOSE, src.dtype(), gridX, gridY, 32, 8, src.rows(), src.cols(), src.pointer(),
                out.pointer());
        return out;
    }

    /** Overrides the default: one copy on the device. */
    @Override
    public Tensor reshape(Tensor t, int rows, int cols) {
        CudaTensor src = own(t);
        if ((long) rows * cols != t.size() || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("reshape: cannot view " + t.shape() + " as " + rows + "×" + cols);
        }
        CudaTensor out = allocate(rows, cols, src.dtype());
        cuda.copy(out.pointer(), src.pointer(), src.bytes());
        return out;
    }

    // ---------------------------------------------------------------------------------------- windows

    @Override
    public Tensor im2col(Tensor x, WindowGeometry g) {
        CudaTensor src = own(x);
        WindowLoops.requireIm2col(x, g);
        CudaTensor out = allocate(x.rows() * g.positions(), g.windowSize(), src.dtype());
        cuda.launch(Kernel.IM2COL, src.dtype(), blocks(out.size()), 1, THREADS, 1, x.rows(), g.height(), g.width(),
                g.channels(), g.kernelHeight(), g.kernelWidth(), g.stride(), g.padTop(), g.padLeft(), g.outHeight(),
                g.outWidth(), src.pointer(), out.pointer());
        return out;
    }

    @Override
    public Tensor col2im(Tensor cols, WindowGeometry g) {
        CudaTensor src = own(cols);
        int n = WindowLoops.requireCol2im(cols, g);
        CudaTensor out = allocate(n, g.sampleSize(), src.dtype());
        cuda.launch(Kernel.COL2IM, src.dtype(), blocks(out.size()), 1, THREADS, 1, n, g.height(), g.width(),
                g.channels(), g.kernelHeight(), g.kernelWidth(), g.stride(), g.padTop(), g.padLeft(), g.outHeight(),
                g.outWidth(), src.pointer(), out.pointer());
        return out;
    }

    @Override
    public void segmentedOuterSums(double alpha, Tensor a, Tensor b, Tensor out) {
        CudaTensor ta = own(a);
        CudaTensor tb = own(b);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("segmentedOuterSums", a, b, out);
        int segment = WindowLoops.requireSegmentedOuterSums(a, b, out);
        cuda.launch(Kernel.SEGMENTED_OUTER_SUMS, dtype, blocks(out.size()), 1, THREADS, 1, out.rows(), segment,
                a.cols(), b.cols(), alpha, ta.pointer(), tb.pointer(), to.pointer());
    }

    // ----------------------------------------------------------------------------------------- BLAS 3

    @Override
    public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        CudaTensor ta = own(a);
        CudaTensor tb = own(b);
        CudaTensor tc = own(c);
        DType dtype = Checks.requireSameDType("gemm", a, b, c);
        Checks.requireGemmShapes(a, transA, b, transB, c);
        int k = transA ? a.rows() : a.cols();
        gemm(dtype, c.rows(), c.cols(), k, alpha, ta.pointer(), a.cols(), transA, tb.pointer(), b.cols(), transB,
                beta, tc.pointer(), c.cols());
    }

    /**
     * The GEMM on raw row-major device matrices with leading dimensions (used by the Cholesky solver on
     * sub-blocks): C (m×n) ← alpha·op(A)·op(B) + beta·C; with beta = 0, C is only written.
     */
    void gemm(DType dtype, int m, int n, int k, double alpha, CUdeviceptr a, int lda, boolean transA,
              CUdeviceptr b, int ldb, boolean transB, double beta, CUdeviceptr c, int ldc) {
        if (blas != null) {
            cuda.enter(); // cuBLAS runs in the context current on this thread
            blas.gemm(dtype, m, n, k, alpha, a, lda, transA, b, ldb, transB, beta, c, ldc);
            return;
        }
        int gridY = ceilDiv(m, GEMM_TILE);
        if (gridY > MAX_GRID_Y) {
            throw new IllegalArgumentException("gemm: " + m + " rows of C exceed the kernel's grid limit of "
                    + ((long) GEMM_TILE * MAX_GRID_Y));
        }
        cuda.launch(Kernel.GEMM, dtype, ceilDiv(n, GEMM_TILE), gridY, 16, 16, m, n, k, alpha, a, lda, transA ? 1 : 0,
                b, ldb, transB ? 1 : 0, beta, c, ldc);
    }

    // ------------------------------------------------------------------------------------ elementwise

    @Override
    public void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out) {
        CudaTensor tx = own(x);
        CudaTensor ty = own(y);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("axpby", x, y, out);
        Checks.requireSameShape("axpby", x, y);
        Checks.requireSameShape("axpby", x, out);
        cuda.launch(Kernel.AXPBY, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), alpha, tx.pointer(), beta,
                ty.pointer(), to.pointer());
    }

    @Override
    public void hadamard(Tensor a, Tensor b, Tensor out) {
        CudaTensor ta = own(a);
        CudaTensor tb = own(b);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("hadamard", a, b, out);
        Checks.requireSameShape("hadamard", a, b);
        Checks.requireSameShape("hadamard", a, out);
        cuda.launch(Kernel.HADAMARD, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), ta.pointer(),
                tb.pointer(), to.pointer());
    }

    @Override
    public void affine(double alpha, Tensor x, double beta, Tensor out) {
        CudaTensor tx = own(x);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("affine", x, out);
        Checks.requireSameShape("affine", x, out);
        cuda.launch(Kernel.AFFINE, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), alpha, tx.pointer(), beta,
                to.pointer());
    }

    /** {@inheritDoc} On the device; correctly rounded, so the same as the default's host computation. */
    @Override
    public void sqrt(Tensor x, Tensor out) {
        CudaTensor tx = own(x);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("sqrt", x, out);
        Checks.requireSameShape("sqrt", x, out);
        cuda.launch(Kernel.SQRT, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), tx.pointer(), to.pointer());
    }

    /** {@inheritDoc} On the device; IEEE division, so the same as the default's host computation. */
    @Override
    public void divide(Tensor a, Tensor b, Tensor out) {
        CudaTensor ta = own(a);
        CudaTensor tb = own(b);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("divide", a, b, out);
        Checks.requireSameShape("divide", a, b);
        Checks.requireSameShape("divide", a, out);
        cuda.launch(Kernel.DIVIDE, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), ta.pointer(), tb.pointer(),
                to.pointer());
    }

    @Override
    public void addRowVector(Tensor a, Tensor row, Tensor out) {
        CudaTensor ta = own(a);
        CudaTensor tr = own(row);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("addRowVector", a, row, out);
        Checks.requireShape("addRowVector row", row, 1, a.cols());
        Checks.requireSameShape("addRowVector", a, out);
        cuda.launch(Kernel.ADD_ROW_VECTOR, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), a.cols(),
                ta.pointer(), tr.pointer(), to.pointer());
    }

    @Override
    public void columnSums(Tensor a, Tensor out) {
        CudaTensor ta = own(a);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("columnSums", a, out);
        Checks.requireShape("columnSums out", out, 1, a.cols());
        requireDistinct("columnSums", out, a);
        int rows = a.rows();
        int cols = a.cols();
        // chunks of rows summed in parallel, at most 4 Mi partial sums (32 MiB of scratch)
        int chunks = (int) Math.max(1, Math.min(Math.min(1024, ceilDiv(rows, 64)), (1L << 22) / cols));
        int chunkRows = ceilDiv(rows, chunks);
        chunks = ceilDiv(rows, chunkRows);
        long partialBytes = 8L * chunks * cols;
        CUdeviceptr partial = cuda.alloc(partialBytes);
        try {
            cuda.launch(Kernel.COLUMN_SUMS_PARTIAL, dtype, ceilDiv(cols, 32), chunks, 32, 8, rows, cols, chunkRows,
                    ta.pointer(), partial);
            cuda.launch(Kernel.COLUMN_SUMS_FINISH, dtype, blocks(cols), 1, THREADS, 1, cols, chunks, partial,
                    to.pointer());
        } finally {
            cuda.free(partial, partialBytes);
        }
    }

    @Override
    public void rowSumsOfSquares(Tensor a, Tensor out) {
        CudaTensor ta = own(a);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("rowSumsOfSquares", a, out);
        Checks.requireShape("rowSumsOfSquares out", out, a.rows(), 1);
        requireDistinct("rowSumsOfSquares", out, a);
        cuda.launch(Kernel.ROW_SUMS_OF_SQUARES, dtype, Math.min(ceilDiv(a.rows(), 8), MAX_GRID_Y), 1, 32, 8,
                a.rows(), a.cols(), ta.pointer(), to.pointer());
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        CudaTensor ta = own(a);
        CudaTensor tb = own(b);
        DType dtype = Checks.requireSameDType("dot", a, b);
        Checks.requireSameShape("dot", a, b);
        int blocks = (int) Math.min(1024, Math.max(1, (a.size() + THREADS - 1) / THREADS));
        long partialBytes = 8L * blocks;
        CUdeviceptr partial = cuda.alloc(partialBytes);
        double[] sums = new double[blocks];
        try {
            cuda.launch(Kernel.DOT_PARTIAL, dtype, blocks, 1, THREADS, 1, a.size(), ta.pointer(), tb.pointer(),
                    partial);
            cuda.download(sums, partial);
        } finally {
            cuda.free(partial, partialBytes);
        }
        double s = 0;
        for (double v : sums) {
            s += v;
        }
        return s;
    }

    /**
     * {@inheritDoc} The built-ins, which have kernels ({@code ACT_*} in {@code common.cuh}); called with any other
     * activation, {@link #map}, {@link #mapDerivative}, {@link #dualMap} and {@link #dualLayer} take the generic
     * path on the host ({@link ActivationPaths}).
     */
    @Override
    public boolean accelerates(Activation f) {
        return f instanceof Activation.Builtin;
    }

    @Override
    public void map(Activation f, Tensor x, Tensor out) {
        if (!(f instanceof Activation.Builtin b)) {
            ActivationPaths.hostMap(this, f, x, out);
            return;
        }
        CudaTensor tx = own(x);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("map", x, out);
        Checks.requireSameShape("map", x, out);
        cuda.launch(Kernel.MAP, dtype, blocks(out.size()), 1, THREADS, 1, out.size(), activationCode(b.kind()),
                b.alpha(), tx.pointer(), to.pointer());
    }

    @Override
    public void mapDerivative(Activation f, Tensor x, Tensor out) {
        if (!(f instanceof Activation.Builtin b)) {
            ActivationPaths.hostMapDerivative(this, f, x, out);
            return;
        }
        CudaTensor tx = own(x);
        CudaTensor to = own(out);
        DType dtype = Checks.requireSameDType("mapDerivative", x, out);
        Checks.requireSameShape("mapDerivative", x, out);
        cuda.launch(Kernel.MAP_DERIVATIVE, dtype, blocks(out.size()), 1, THREADS, 1, out.size(),
                activationCode(b.kind()), b.alpha(), tx.pointer(), to.pointer());
    }

    @Override
    public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        if (!(f instanceof Activation.Builtin b)) {
            ActivationPaths.hostDualMap(this, f, k12, q1, q2, outK, outKdot);
            return;
        }
        CudaTensor tk = own(k12);
        CudaTensor t1 = own(q1);
        CudaTensor t2 = own(q2);
        CudaTensor ok = own(outK);
        CudaTensor okd = own(outKdot);
        DType dtype = Checks.requireSameDType("dualMap", k12, q1, q2, outK, outKdot);
        Checks.requireShape("dualMap q1", q1, k12.rows(), 1);
        Checks.requireShape("dualMap q2", q2, k12.cols(), 1);
        Checks.requireSameShape("dualMap outK", k12, outK);
        Checks.requireSameShape("dualMap outKdot", k12, outKdot);
        requireDistinct("dualMap", outK, outKdot, k12, q1, q2);
        requireDistinct("dualMap", outKdot, k12, q1, q2);
        cuda.launch(Kernel.DUAL, dtype, blocks(k12.size()), 1, THREADS, 1, k12.rows(), k12.cols(),
                activationCode(b.kind()), b.alpha(), tk.pointer(), t1.pointer(), t2.pointer(), ok.pointer(),
                okd.pointer());
    }

    /**
     * @param kind an activation kind
     * @return its code in the kernels ({@code ACT_*} in {@code common.cuh})
     */
    static int activationCode(Activation.Kind kind) {
        switch (kind) {
            case IDENTITY: return 0;
            case RELU: return 1;
            case LEAKY_RELU: return 2;
            case ERF: return 3;
            case TANH: return 4;
            case GELU: return 5;
            case SIGMOID: return 6;
            case SOFTPLUS: return 7;
            default: throw new IllegalArgumentException("no kernel for activation " + kind);
        }
    }

    static void requireDistinct(String op, Tensor out, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t == out) {
                throw new IllegalArgumentException(op + ": output must not alias an input");
            }
        }
    }

    // ---------------------------------------------------------------------------------- linear algebra

    @Override
    public void choleskySolve(Tensor a, Tensor b, Tensor out) {
        linalg.choleskySolve(own(a), own(b), own(out));
    }

    /** {@inheritDoc} Runs on the host: the matrix is copied there, solved with EJML's LU, and X copied back. */
    @Override
    public void luSolve(Tensor a, Tensor b, Tensor out) {
        linalg.luSolve(own(a), own(b), own(out));
    }

    /** {@inheritDoc} Runs on the host: the matrix is copied there and decomposed with EJML. */
    @Override
    public SymmetricEigen symmetricEigen(Tensor a) {
        return linalg.symmetricEigen(own(a));
    }

    /** Frees every tensor still open, then the device context. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        RuntimeException failure = null;
        try {
            for (CudaTensor t : new ArrayList<>(live)) {
                t.close();
            }
            if (blas != null) {
                cuda.enter();
                blas.close();
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            closed = true;
            try {
                cuda.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** @return blocks of {@value #THREADS} threads for a grid-stride loop over n elements */
    static int blocks(long n) {
        return (int) Math.max(1, Math.min((n + THREADS - 1) / THREADS, MAX_BLOCKS));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String toString() {
        return "CudaBackend[" + description + ", gemm: " + gemmEngine() + "]";
    }
}
