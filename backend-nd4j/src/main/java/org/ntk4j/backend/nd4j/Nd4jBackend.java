package org.ntk4j.backend.nd4j;

import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.Triangle;
import org.ntk4j.backend.WindowGeometry;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.backend.spi.WindowLoops;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The native CPU backend on ND4J, F64 and F32. Tensors are detached, contiguous row-major INDArrays whose
 * off-heap memory is freed when the tensor is closed; no operation leaves an intermediate array behind.
 * GEMM, dot products and the dense solvers call ND4J's OpenBLAS directly ({@link Nd4jNative}); elementwise
 * operations and reductions are ND4J ops writing into the output array; activations without an exact ND4J
 * op, and the infinite-width duals, are computed on the host from the reference formulas
 * ({@link Nd4jActivations}).
 */
public final class Nd4jBackend implements Backend {

    private final ScopeStack scopes = new ScopeStack();

    /** The option naming the number of threads ND4J's own (non-BLAS) ops may use; 0 leaves ND4J's setting. */
    public static final String OP_THREADS = "nd4j.opThreads";

    /**
     * @param options {@code threads()} sets OpenBLAS's thread count when positive (0 keeps OpenBLAS's default,
     *     one per core); the property {@value #OP_THREADS} sets the threads of ND4J's elementwise ops and
     *     reductions, by default 1 (or {@code threads()} when that is positive). Both settings are process-wide.
     */
    Nd4jBackend(BackendOptions options) {
        int threads = options.threads();
        int opThreads;
        try {
            opThreads = options.property(OP_THREADS).map(String::strip).map(Integer::parseInt)
                    .orElse(threads > 0 ? threads : 1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("backend option " + OP_THREADS + " must be a whole number, got '"
                    + options.property(OP_THREADS).orElse("") + "'", e);
        }
        if (opThreads < 0) {
            throw new IllegalArgumentException("backend option " + OP_THREADS + " must be >= 0, got " + opThreads);
        }
        if (threads > 0) {
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        if (opThreads > 0) {
            Nd4j.getEnvironment().setMaxMasterThreads(opThreads);
        }
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Set<DType> dtypes() {
        return Set.of(DType.F64, DType.F32);
    }

    @Override
    public TensorScope scope() {
        return scopes.open();
    }

    /** Wraps a new array this backend made; frees it if the wrapping fails. */
    Nd4jTensor wrap(INDArray a, DType dtype) {
        try {
            return new Nd4jTensor(this, scopes, a, dtype);
        } catch (RuntimeException e) {
            Nd4jMemory.free(a);
            throw e;
        }
    }

    INDArray arr(Tensor t) {
        return AbstractTensor.own(t, this, Nd4jTensor.class).array();
    }

    // ---------------------------------------------------------------------------------------- memory

    @Override
    public Tensor zeros(int rows, int cols, DType dtype) {
        Checks.requireDimensions(rows, cols);
        return wrap(Nd4jMemory.zeros(rows, cols, dtype), dtype);
    }

    @Override
    public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
        Checks.requireLength("host data", data.length, rows, cols);
        return wrap(Nd4jMemory.fromHost(data, rows, cols, dtype), dtype);
    }

    @Override
    public double[] toHost(Tensor t) {
        return Nd4jMemory.read(arr(t));
    }

    @Override
    public Tensor copy(Tensor t) {
        return wrap(Nd4jMemory.copy(arr(t)), t.dtype());
    }

    @Override
    public Tensor gatherRows(Tensor t, int[] rows) {
        INDArray src = arr(t);
        if (rows.length == 0) {
            throw new IllegalArgumentException("gatherRows: no row indices");
        }
        for (int i : rows) {
            if (i < 0 || i >= t.rows()) {
                throw new IndexOutOfBoundsException("gatherRows: row index " + i + " outside 0.." + (t.rows() - 1)
                        + " of " + t.shape());
            }
        }
        int cols = t.cols();
        INDArray out = Nd4jMemory.empty(rows.length, cols, t.dtype());
        long bytes = (long) cols * t.dtype().bytes();
        org.bytedeco.javacpp.Pointer from = src.data().addressPointer();
        org.bytedeco.javacpp.Pointer to = out.data().addressPointer();
        for (int r = 0; r < rows.length; r++) {
            Nd4jMemory.copyBytes(from, rows[r] * bytes, to, r * bytes, bytes);
        }
        return wrap(out, t.dtype());
    }

    @Override
    public Tensor concatRows(List<Tensor> parts) {
        for (Tensor p : parts) {
            arr(p);
        }
        int rows = Checks.requireConcatRows("concatRows", parts);
        Tensor first = parts.get(0);
        INDArray out = Nd4jMemory.empty(rows, first.cols(), first.dtype());
        org.bytedeco.javacpp.Pointer to = out.data().addressPointer();
        long offset = 0;
        for (Tensor p : parts) {
            long bytes = p.size() * p.dtype().bytes();
            Nd4jMemory.copyBytes(arr(p).data().addressPointer(), 0, to, offset, bytes);
            offset += bytes;
        }
        return wrap(out, first.dtype());
    }

    @Override
    public Tensor transpose(Tensor t) {
        INDArray a = arr(t);
        return wrap(Nd4jMemory.copy(a.transpose()), t.dtype());
    }

    // ----------------------------------------------------------------------------------------- BLAS 3

    @Override
    public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        INDArray ma = arr(a);
        INDArray mb = arr(b);
        INDArray mc = arr(c);
        Checks.requireSameDType("gemm", a, b, c);
        Checks.requireGemmShapes(a, transA, b, transB, c);
        Nd4jNative.gemm(alpha, ma, transA, mb, transB, beta, mc);
    }

    /** A·Aᵀ by {@code syrk} on one triangle, mirrored: half the multiplications of the default's GEMM. */
    @Override
    public Tensor gram(Tensor a) {
        INDArray ma = arr(a);
        DType dtype = a.dtype();
        Tensor out = wrap(Nd4jMemory.empty(a.rows(), a.rows(), dtype), dtype);
        Nd4jNative.syrk(ma, arr(out));
        return out;
    }

    /**
     * Overrides the default's zeroed output and scaled-bias temporary: the product is written over an unset
     * array, and the scaled bias is added in one loop (small doubles) or one broadcast op.
     */
    @Override
    public Tensor denseForward(Tensor x, Tensor w, Tensor bias, double weightScale, double biasScale) {
        INDArray mx = arr(x);
        INDArray mw = arr(w);
        INDArray mb = bias == null ? null : arr(bias);
        DType dtype = bias == null ? Checks.requireSameDType("denseForward", x, w)
                : Checks.requireSameDType("denseForward", x, w, bias);
        if (x.cols() != w.rows()) {
            throw new IllegalArgumentException("denseForward: inputs " + x.shape() + " do not fit weights " + w.shape());
        }
        if (bias != null) {
            Checks.requireShape("denseForward bias", bias, 1, w.cols());
        }
        Tensor z = wrap(Nd4jMemory.empty(x.rows(), w.cols(), dtype), dtype);
        INDArray mz = arr(z);
        Nd4jNative.gemm(weightScale, mx, false, mw, false, 0, mz);
        if (mb == null) {
            return z;
        }
        if (Nd4jLoops.small(mz)) {
            Nd4jLoops.addRowVector(mz, biasScale, mb, mz);
        } else if (biasScale == 1) {
            Nd4j.exec(new BroadcastAddOp(mz, mb, mz, 1));
        } else {
            try (Tensor scaled = zeros(1, w.cols(), dtype)) {
                affine(biasScale, mb, 0, arr(scaled));
                Nd4j.exec(new BroadcastAddOp(mz, arr(scaled), mz, 1));
            }
        }
        return z;
    }

    // ------------------------------------------------------------------------------------ elementwise

    @Override
    public void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out) {
        INDArray mx = arr(x);
        INDArray my = arr(y);
        INDArray mo = arr(out);
        Checks.requireSameDType("axpby", x, y, out);
        Checks.requireSameShape("axpby", x, y);
        Checks.requireSameShape("axpby", x, out);
        if (Nd4jLoops.small(mo)) {
            Nd4jLoops.axpby(alpha, mx, beta, my, mo);
        } else if (x == y) {
            Nd4j.exec(new ScalarMultiplication(mx, null, mo, alpha + beta));
        } else if (out == x) {
            Nd4j.exec(new ScalarMultiplication(mx, null, mo, alpha));
            Nd4jNative.axpy(beta, my, mo);
        } else {
            // out is y or a third tensor: out ← beta·y, then out += alpha·x
            Nd4j.exec(new ScalarMultiplication(my, null, mo, beta));
            Nd4jNative.axpy(alpha, mx, mo);
        }
    }

    @Override
    public void hadamard(Tensor a, Tensor b, Tensor out) {
        INDArray ma = arr(a);
        INDArray mb = arr(b);
        INDArray mo = arr(out);
        Checks.requireSameDType("hadamard", a, b, out);
        Checks.requireSameShape("hadamard", a, b);
        Checks.requireSameShape("hadamard", a, out);
        if (Nd4jLoops.small(mo)) {
            Nd4jLoops.hadamard(ma, mb, mo);
        } else {
            Nd4j.exec(new MulOp(ma, mb, mo));
        }
    }

    /** Overrides the host-copying default with ND4J's native op. */
    @Override
    public void divide(Tensor a, Tensor b, Tensor out) {
        INDArray ma = arr(a);
        INDArray mb = arr(b);
        INDArray mo = arr(out);
        Checks.requireSameDType("divide", a, b, out);
        Checks.requireSameShape("divide", a, b);
        Checks.requireSameShape("divide", a, out);
        Nd4j.exec(new DivOp(ma, mb, mo));
    }

    /** Overrides the host-copying default with ND4J's native op. */
    @Override
    public void sqrt(Tensor x, Tensor out) {
        INDArray mx = arr(x);
        INDArray mo = arr(out);
        Checks.requireSameDType("sqrt", x, out);
        Checks.requireSameShape("sqrt", x, out);
        Nd4j.exec(new Sqrt(mx, mo));
    }

    @Override
    public void affine(double alpha, Tensor x, double beta, Tensor out) {
        INDArray mx = arr(x);
        INDArray mo = arr(out);
        Checks.requireSameDType("affine", x, out);
        Checks.requireSameShape("affine", x, out);
        affine(alpha, mx, beta, mo);
    }

    /** out ← alpha·x + beta on arrays of equal shape; aliasing allowed. */
    static void affine(double alpha, INDArray x, double beta, INDArray out) {
        if (Nd4jLoops.small(out)) {
            Nd4jLoops.affine(alpha, x, beta, out);
            return;
        }
        Nd4j.exec(new ScalarMultiplication(x, null, out, alpha));
        if (beta != 0) {
            Nd4j.exec(new ScalarAdd(out, null, out, beta));
        }
    }

    @Override
    public void addRowVector(Tensor a, Tensor row, Tensor out) {
        INDArray ma = arr(a);
        INDArray mr = arr(row);
        INDArray mo = arr(out);
        Checks.requireSameDType("addRowVector", a, row, out);
        Checks.requireShape("addRowVector row", row, 1, a.cols());
        Checks.requireSameShape("addRowVector", a, out);
        if (Nd4jLoops.small(mo)) {
            Nd4jLoops.addRowVector(ma, 1, mr, mo);
        } else {
            Nd4j.exec(new BroadcastAddOp(ma, mr, mo, 1));
        }
    }

    @Override
    public void columnSums(Tensor a, Tensor out) {
        INDArray ma = arr(a);
        INDArray mo = arr(out);
        Checks.requireSameDType("columnSums", a, out);
        Checks.requireShape("columnSums out", out, 1, a.cols());
        Checks.requireDistinct("columnSums", out, a);
        if (Nd4jLoops.small(ma)) {
            Nd4jLoops.columnSums(ma, mo);
        } else {
            Nd4j.exec(new Sum(ma, mo, true, 0));
        }
    }

    @Override
    public void rowSumsOfSquares(Tensor a, Tensor out) {
        INDArray ma = arr(a);
        INDArray mo = arr(out);
        Checks.requireSameDType("rowSumsOfSquares", a, out);
        Checks.requireShape("rowSumsOfSquares out", out, a.rows(), 1);
        Checks.requireDistinct("rowSumsOfSquares", out, a);
        if (a.cols() == 1) {
            // ND4J's reduction along a dimension of length 1 does not write its output: square instead
            Nd4j.exec(new MulOp(ma, ma, mo));
        } else {
            Nd4j.exec(new SquaredNorm(ma, mo, true, 1));
        }
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        INDArray ma = arr(a);
        INDArray mb = arr(b);
        Checks.requireSameDType("dot", a, b);
        Checks.requireSameShape("dot", a, b);
        return Nd4jNative.dot(ma, mb);
    }

    /**
     * {@inheritDoc} Any: the built-ins with an ND4J op run as that op, and every other activation is evaluated from
     * {@link Activation#apply} and {@link Activation#derivative} in this backend's own buffers ({@link Nd4jActivations},
     * {@link Nd4jDuals}).
     */
    @Override
    public boolean accelerates(Activation f) {
        return true;
    }

    @Override
    public void map(Activation f, Tensor x, Tensor out) {
        INDArray mx = arr(x);
        INDArray mo = arr(out);
        Checks.requireSameDType("map", x, out);
        Checks.requireSameShape("map", x, out);
        Nd4jActivations.apply(f, mx, mo);
    }

    @Override
    public void mapDerivative(Activation f, Tensor x, Tensor out) {
        INDArray mx = arr(x);
        INDArray mo = arr(out);
        Checks.requireSameDType("mapDerivative", x, out);
        Checks.requireSameShape("mapDerivative", x, out);
        Nd4jActivations.derivative(f, mx, mo);
    }

    @Override
    public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        INDArray mk = arr(k12);
        INDArray m1 = arr(q1);
        INDArray m2 = arr(q2);
        INDArray ok = arr(outK);
        INDArray okd = arr(outKdot);
        Checks.requireSameDType("dualMap", k12, q1, q2, outK, outKdot);
        Checks.requireDualMapArguments(k12, q1, q2, outK, outKdot);
        Nd4jDuals.dual(f, mk, m1, m2, ok, okd);
    }

    /** Overrides the default's two temporaries and four passes with one pass over both kernels' buffers. */
    @Override
    public void dualLayer(Activation f, Tensor sigma, Tensor q1, Tensor q2, double weightVariance,
                          double biasVariance, Tensor theta) {
        INDArray ms = arr(sigma);
        INDArray m1 = arr(q1);
        INDArray m2 = arr(q2);
        INDArray mt = arr(theta);
        Checks.requireSameDType("dualLayer", sigma, q1, q2, theta);
        Checks.requireDualLayerArguments(sigma, q1, q2, theta);
        Nd4jDuals.layer(f, ms, m1, m2, weightVariance, biasVariance, mt);
    }

    /** Overrides the default's gathers and transposes with one pass over the buffers. */
    @Override
    public void ntkLayerAccumulate(Tensor deltaGram, Tensor inputGram, int rowRepeat, int colRepeat,
                                   double inputScale, double biasVariance, Tensor acc) {
        INDArray md = arr(deltaGram);
        INDArray mi = arr(inputGram);
        INDArray ma = arr(acc);
        Checks.requireSameDType("ntkLayerAccumulate", deltaGram, inputGram, acc);
        Checks.requireSameShape("ntkLayerAccumulate", deltaGram, acc);
        if (rowRepeat < 1 || colRepeat < 1 || deltaGram.rows() != inputGram.rows() * rowRepeat
                || deltaGram.cols() != inputGram.cols() * colRepeat) {
            throw new IllegalArgumentException("ntkLayerAccumulate: delta Gram " + deltaGram.shape()
                    + " is not the input Gram " + inputGram.shape() + " repeated " + rowRepeat + "×" + colRepeat);
        }
        Nd4jFused.ntkLayerAccumulate(md, mi, rowRepeat, colRepeat, inputScale, biasVariance, ma);
    }

    /** Overrides the default's eight passes and temporary with one pass over the buffers. */
    @Override
    public void adamUpdate(Tensor g, Tensor m, Tensor v, double beta1, double beta2, double step, double vScale,
                           double eps, Tensor mOut, Tensor vOut, Tensor uOut) {
        INDArray ag = arr(g);
        INDArray am = arr(m);
        INDArray av = arr(v);
        INDArray om = arr(mOut);
        INDArray ov = arr(vOut);
        INDArray ou = arr(uOut);
        Checks.requireAdamArguments(g, m, v, mOut, vOut, uOut);
        Nd4jFused.adamUpdate(ag, am, av, beta1, beta2, step, vScale, eps, om, ov, ou);
    }

    /** Overrides the host-copying default: reads the diagonal in place. */
    @Override
    public double trace(Tensor a) {
        INDArray m = arr(a);
        Checks.requireShape("trace", a, a.cols(), a.cols());
        return Nd4jFused.trace(m);
    }

    /** Overrides the default's host identity: writes the diagonal in place. */
    @Override
    public void addToDiagonal(double shift, Tensor a) {
        INDArray m = arr(a);
        Checks.requireShape("addToDiagonal", a, a.cols(), a.cols());
        Nd4jFused.addToDiagonal(shift, m);
    }

    /** Overrides the host-copying default with a native copy. */
    @Override
    public Tensor reshape(Tensor t, int rows, int cols) {
        INDArray src = arr(t);
        if ((long) rows * cols != t.size() || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("reshape: cannot view " + t.shape() + " as " + rows + "×" + cols);
        }
        INDArray out = Nd4jMemory.empty(rows, cols, t.dtype());
        Nd4jMemory.copyBytes(src.data().addressPointer(), 0, out.data().addressPointer(), 0,
                t.size() * t.dtype().bytes());
        return wrap(out, t.dtype());
    }

    // ---------------------------------------------------------------------------------------- windows

    /** Overrides the default: a loop over the off-heap buffers, no host copies. */
    @Override
    public Tensor im2col(Tensor x, WindowGeometry g) {
        INDArray src = arr(x);
        WindowLoops.requireIm2col(x, g);
        INDArray out = Nd4jMemory.zeros(x.rows() * g.positions(), g.windowSize(), x.dtype());
        Tensor t = wrap(out, x.dtype());
        Nd4jWindows.im2col(src, g, out);
        return t;
    }

    /** Overrides the default: a loop over the off-heap buffers, no host copies. */
    @Override
    public Tensor col2im(Tensor cols, WindowGeometry g) {
        INDArray src = arr(cols);
        int n = WindowLoops.requireCol2im(cols, g);
        INDArray out = Nd4jMemory.zeros(n, g.sampleSize(), cols.dtype());
        Tensor t = wrap(out, cols.dtype());
        Nd4jWindows.col2im(src, g, out);
        return t;
    }

    /** Overrides the default: one batched matrix product. */
    @Override
    public void segmentedOuterSums(double alpha, Tensor a, Tensor b, Tensor out) {
        INDArray ma = arr(a);
        INDArray mb = arr(b);
        INDArray mo = arr(out);
        Checks.requireSameDType("segmentedOuterSums", a, b, out);
        int segment = WindowLoops.requireSegmentedOuterSums(a, b, out);
        Nd4jWindows.segmentedOuterSums(alpha, ma, mb, segment, mo);
    }

    // ---------------------------------------------------------------------------------- linear algebra

    @Override
    public void choleskySolve(Tensor a, Tensor b, Tensor out) {
        Nd4jLinalg.choleskySolve(this, a, b, out, false);
    }

    /** Overrides the copying default: LAPACK factors A in its own buffer. */
    @Override
    public void choleskySolveInPlace(Tensor a, Tensor b, Tensor out) {
        Nd4jLinalg.choleskySolve(this, a, b, out, true);
    }

    @Override
    public void luSolve(Tensor a, Tensor b, Tensor out) {
        Nd4jLinalg.luSolve(this, a, b, out, false);
    }

    /** Overrides the copying default: LAPACK factors A in its own buffer. */
    @Override
    public void luSolveInPlace(Tensor a, Tensor b, Tensor out) {
        Nd4jLinalg.luSolve(this, a, b, out, true);
    }

    /** Overrides the host default: LAPACK {@code potrf} on the tensor's own buffer. */
    @Override
    public void choleskyFactorInPlace(Tensor a) {
        Nd4jLinalg.choleskyFactor(this, a);
    }

    /** Overrides the host default: BLAS {@code trsm} on the buffers. */
    @Override
    public void triangularSolve(Tensor l, boolean transpose, Tensor b, Tensor out) {
        Nd4jLinalg.triangularSolve(this, l, transpose, b, out);
    }

    /** Overrides the host default: LAPACK {@code lauum} on out's buffer, then a mirror of its lower triangle. */
    @Override
    public void triangularGram(Tensor l, Tensor out) {
        Nd4jLinalg.triangularGram(this, l, out);
    }

    /** Overrides the host default: LAPACK {@code potrf} in the one triangle. */
    @Override
    public void choleskyFactorInPlace(Tensor a, Triangle part) {
        Nd4jLinalg.choleskyFactor(this, a, part == Triangle.UPPER);
    }

    /** Overrides the host default: BLAS {@code trsm} with the one triangle. */
    @Override
    public void triangularSolve(Tensor r, Triangle part, boolean transpose, Tensor b, Tensor out) {
        Nd4jLinalg.triangularSolve(this, r, part == Triangle.UPPER, transpose, b, out);
    }

    /** Overrides the host default: LAPACK {@code lauum} in the one triangle. */
    @Override
    public void triangularGramInPlace(Tensor a, Triangle part) {
        Nd4jLinalg.triangularGramInPlace(this, a, part == Triangle.UPPER);
    }

    /** Overrides the host default: strided BLAS copies on the buffer. */
    @Override
    public void mirrorTriangle(Tensor a, Triangle from) {
        INDArray m = arr(a);
        Checks.requireShape("mirrorTriangle", a, a.cols(), a.cols());
        Nd4jNative.mirror(m, from == Triangle.UPPER);
    }

    /** Overrides the host default: reads the n diagonal entries only. */
    @Override
    public double[] diagonal(Tensor a) {
        INDArray m = arr(a);
        Checks.requireShape("diagonal", a, a.cols(), a.cols());
        int n = a.rows();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = m.data().getDouble((long) i * n + i);
        }
        return d;
    }

    /** Overrides the host default: writes the n diagonal entries only. */
    @Override
    public void setDiagonal(double[] d, Tensor a) {
        INDArray m = arr(a);
        Checks.requireShape("setDiagonal", a, a.cols(), a.cols());
        if (d.length != a.rows()) {
            throw new IllegalArgumentException("setDiagonal: " + d.length + " values for the diagonal of " + a.shape());
        }
        int n = a.rows();
        for (int i = 0; i < n; i++) {
            m.data().put((long) i * n + i, d[i]);
        }
    }

    @Override
    public SymmetricEigen symmetricEigen(Tensor a) {
        return Nd4jLinalg.symmetricEigen(this, a);
    }

    @Override
    public void close() {
        // tensors own their memory; ND4J's native state is per process and stays loaded; the kept large
        // buffers are given back
        Nd4jBufferPool.drain();
    }

    @Override
    public String toString() {
        return "Nd4jBackend[" + Nd4j.factory().blas().getBlasVendor() + ", " + Nd4j.factory().blas().getMaxThreads()
                + " threads]";
    }
}
