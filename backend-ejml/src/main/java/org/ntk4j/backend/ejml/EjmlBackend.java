package org.ntk4j.backend.ejml;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.ejml.EjmlParameters;
import org.ejml.data.DGrowArray;
import org.ejml.data.DMatrixRBlock;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.block.MatrixOps_DDRB;
import org.ejml.dense.block.decomposition.chol.CholeskyOuterForm_DDRB;
import org.ejml.dense.block.decomposition.chol.CholeskyOuterForm_MT_DDRB;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.dense.row.mult.MatrixMultProduct_DDRM;
import org.ejml.dense.row.mult.MatrixMultProduct_MT_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.NotPositiveDefiniteException;
import org.ntk4j.backend.SingularMatrixException;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.backend.WindowGeometry;
import org.ntk4j.backend.spi.AbstractTensor;
import org.ntk4j.backend.spi.ActivationDuals;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.backend.spi.DualRows;
import org.ntk4j.backend.spi.HostTriangular;
import org.ntk4j.backend.spi.ScopeStack;
import org.ntk4j.backend.spi.WindowLoops;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The pure-Java backend on EJML, F64 only. GEMMs above {@value #THREADED_GEMM_FLOPS} flops use EJML's
 * threaded kernels ({@code CommonOps_MT_DDRM}); elementwise loops and activation duals run on parallel
 * streams above {@value #PARALLEL_ELEMENTS} elements. Solvers are EJML's dense Cholesky, LU and symmetric
 * QR eigen decompositions.
 */
public final class EjmlBackend implements Backend {

    static final long THREADED_GEMM_FLOPS = 1L << 22;
    static final int PARALLEL_ELEMENTS = 1 << 16;

    private final ScopeStack scopes = new ScopeStack();
    private final boolean threaded;

    /** @param threaded whether large operations may use several threads */
    EjmlBackend(boolean threaded) {
        this.threaded = threaded;
    }

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public Set<DType> dtypes() {
        return Set.of(DType.F64);
    }

    @Override
    public TensorScope scope() {
        return scopes.open();
    }

    private EjmlTensor wrap(DMatrixRMaj m) {
        return new EjmlTensor(this, scopes, m);
    }

    private EjmlTensor own(Tensor t) {
        return AbstractTensor.own(t, this, EjmlTensor.class);
    }

    private static void requireF64(DType dtype) {
        if (dtype != DType.F64) {
            throw new IllegalArgumentException("the ejml backend supports F64 only, not " + dtype);
        }
    }

    // ---------------------------------------------------------------------------------------- memory

    @Override
    public Tensor zeros(int rows, int cols, DType dtype) {
        requireF64(dtype);
        Checks.requireDimensions(rows, cols);
        return wrap(new DMatrixRMaj(rows, cols));
    }

    @Override
    public Tensor fromHost(double[] data, int rows, int cols, DType dtype) {
        requireF64(dtype);
        Checks.requireLength("host data", data.length, rows, cols);
        return wrap(new DMatrixRMaj(rows, cols, true, data.clone()));
    }

    @Override
    public double[] toHost(Tensor t) {
        EjmlTensor e = own(t);
        return Arrays.copyOf(e.data(), (int) e.size());
    }

    @Override
    public Tensor copy(Tensor t) {
        return wrap(own(t).matrix().copy());
    }

    @Override
    public Tensor gatherRows(Tensor t, int[] rows) {
        EjmlTensor src = own(t);
        if (rows.length == 0) {
            throw new IllegalArgumentException("gatherRows: no row indices");
        }
        int cols = src.cols();
        DMatrixRMaj out = new DMatrixRMaj(rows.length, cols);
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            if (i < 0 || i >= src.rows()) {
                throw new IndexOutOfBoundsException("gatherRows: row index " + i + " outside 0.." + (src.rows() - 1)
                        + " of " + src.shape());
            }
            System.arraycopy(src.data(), i * cols, out.data, r * cols, cols);
        }
        return wrap(out);
    }

    @Override
    public Tensor concatRows(List<Tensor> parts) {
        for (Tensor p : parts) {
            own(p);
        }
        int rows = Checks.requireConcatRows("concatRows", parts);
        DMatrixRMaj out = new DMatrixRMaj(rows, parts.get(0).cols());
        int offset = 0;
        for (Tensor p : parts) {
            double[] d = own(p).data();
            int n = (int) p.size();
            System.arraycopy(d, 0, out.data, offset, n);
            offset += n;
        }
        return wrap(out);
    }

    @Override
    public Tensor transpose(Tensor t) {
        return wrap(CommonOps_DDRM.transpose(own(t).matrix(), null));
    }

    // ----------------------------------------------------------------------------------------- BLAS 3

    /**
     * A·Aᵀ by EJML's symmetric outer product, which computes one triangle and mirrors it: about half the work
     * of the general product.
     *
     * @param a an n×d tensor (not modified)
     * @return a new n×n tensor A·Aᵀ
     */
    @Override
    public Tensor gram(Tensor a) {
        DMatrixRMaj ma = own(a).matrix();
        DMatrixRMaj out = new DMatrixRMaj(ma.numRows, ma.numRows);
        if (threaded && (long) ma.numRows * ma.numRows * ma.numCols >= THREADED_GEMM_FLOPS) {
            MatrixMultProduct_MT_DDRM.outer(ma, out);
        } else {
            MatrixMultProduct_DDRM.outer(ma, out);
        }
        return wrap(out);
    }

    @Override
    public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        DMatrixRMaj ma = own(a).matrix();
        DMatrixRMaj mb = own(b).matrix();
        DMatrixRMaj mc = own(c).matrix();
        Checks.requireGemmShapes(a, transA, b, transB, c);
        long flops = 2L * c.rows() * c.cols() * (transA ? a.rows() : a.cols());
        boolean mt = threaded && flops >= THREADED_GEMM_FLOPS;
        if (beta == 0) {
            if (transA && transB) {
                if (mt) CommonOps_MT_DDRM.multTransAB(alpha, ma, mb, mc); else CommonOps_DDRM.multTransAB(alpha, ma, mb, mc);
            } else if (transA) {
                if (mt) CommonOps_MT_DDRM.multTransA(alpha, ma, mb, mc); else CommonOps_DDRM.multTransA(alpha, ma, mb, mc);
            } else if (transB) {
                if (mt) CommonOps_MT_DDRM.multTransB(alpha, ma, mb, mc); else CommonOps_DDRM.multTransB(alpha, ma, mb, mc);
            } else {
                if (mt) CommonOps_MT_DDRM.mult(alpha, ma, mb, mc); else CommonOps_DDRM.mult(alpha, ma, mb, mc);
            }
            return;
        }
        if (beta != 1) {
            CommonOps_DDRM.scale(beta, mc);
        }
        if (transA && transB) {
            if (mt) CommonOps_MT_DDRM.multAddTransAB(alpha, ma, mb, mc); else CommonOps_DDRM.multAddTransAB(alpha, ma, mb, mc);
        } else if (transA) {
            if (mt) CommonOps_MT_DDRM.multAddTransA(alpha, ma, mb, mc); else CommonOps_DDRM.multAddTransA(alpha, ma, mb, mc);
        } else if (transB) {
            if (mt) CommonOps_MT_DDRM.multAddTransB(alpha, ma, mb, mc); else CommonOps_DDRM.multAddTransB(alpha, ma, mb, mc);
        } else {
            if (mt) CommonOps_MT_DDRM.multAdd(alpha, ma, mb, mc); else CommonOps_DDRM.multAdd(alpha, ma, mb, mc);
        }
    }

    // ------------------------------------------------------------------------------------ elementwise

    /** Runs body(i) for every i in [0, n), in parallel when n is large and threads are allowed. */
    private void forEach(int n, java.util.function.IntConsumer body) {
        if (threaded && n >= PARALLEL_ELEMENTS) {
            int chunk = 1 << 12;
            IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
                int end = Math.min(n, (c + 1) * chunk);
                for (int i = c * chunk; i < end; i++) {
                    body.accept(i);
                }
            });
        } else {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        }
    }

    @Override
    public void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out) {
        double[] dx = own(x).data();
        double[] dy = own(y).data();
        double[] d = own(out).data();
        Checks.requireSameShape("axpby", x, y);
        Checks.requireSameShape("axpby", x, out);
        forEach((int) out.size(), i -> d[i] = alpha * dx[i] + beta * dy[i]);
    }

    @Override
    public void hadamard(Tensor a, Tensor b, Tensor out) {
        double[] da = own(a).data();
        double[] db = own(b).data();
        double[] d = own(out).data();
        Checks.requireSameShape("hadamard", a, b);
        Checks.requireSameShape("hadamard", a, out);
        forEach((int) out.size(), i -> d[i] = da[i] * db[i]);
    }

    @Override
    public void affine(double alpha, Tensor x, double beta, Tensor out) {
        double[] dx = own(x).data();
        double[] d = own(out).data();
        Checks.requireSameShape("affine", x, out);
        forEach((int) out.size(), i -> d[i] = alpha * dx[i] + beta);
    }

    @Override
    public void addRowVector(Tensor a, Tensor row, Tensor out) {
        double[] da = own(a).data();
        double[] dr = own(row).data();
        double[] d = own(out).data();
        Checks.requireShape("addRowVector row", row, 1, a.cols());
        Checks.requireSameShape("addRowVector", a, out);
        int cols = a.cols();
        forEach((int) out.size(), i -> d[i] = da[i] + dr[i % cols]);
    }

    @Override
    public void columnSums(Tensor a, Tensor out) {
        double[] da = own(a).data();
        double[] d = own(out).data();
        Checks.requireShape("columnSums out", out, 1, a.cols());
        Checks.requireDistinct("columnSums", a, out);
        int rows = a.rows();
        int cols = a.cols();
        Arrays.fill(d, 0);
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                d[j] += da[base + j];
            }
        }
    }

    @Override
    public void rowSumsOfSquares(Tensor a, Tensor out) {
        double[] da = own(a).data();
        double[] d = own(out).data();
        Checks.requireShape("rowSumsOfSquares out", out, a.rows(), 1);
        Checks.requireDistinct("rowSumsOfSquares", a, out);
        int cols = a.cols();
        forEach(a.rows(), i -> {
            double s = 0;
            for (int j = i * cols, end = j + cols; j < end; j++) {
                s += da[j] * da[j];
            }
            d[i] = s;
        });
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        double[] da = own(a).data();
        double[] db = own(b).data();
        Checks.requireSameShape("dot", a, b);
        double s = 0;
        for (int i = 0, n = (int) a.size(); i < n; i++) {
            s += da[i] * db[i];
        }
        return s;
    }

    /** {@inheritDoc} Any: every activation is evaluated from {@link Activation#apply} on this backend's own arrays. */
    @Override
    public boolean accelerates(Activation f) {
        return true;
    }

    @Override
    public void map(Activation f, Tensor x, Tensor out) {
        double[] dx = own(x).data();
        double[] d = own(out).data();
        Checks.requireSameShape("map", x, out);
        forEach((int) out.size(), i -> d[i] = f.apply(dx[i]));
    }

    @Override
    public void mapDerivative(Activation f, Tensor x, Tensor out) {
        double[] dx = own(x).data();
        double[] d = own(out).data();
        Checks.requireSameShape("mapDerivative", x, out);
        forEach((int) out.size(), i -> d[i] = f.derivative(dx[i]));
    }

    @Override
    public void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot) {
        double[] dk = own(k12).data();
        double[] d1 = own(q1).data();
        double[] d2 = own(q2).data();
        double[] ok = own(outK).data();
        double[] okd = own(outKdot).data();
        Checks.requireDualMapArguments(k12, q1, q2, outK, outKdot);
        int cols = k12.cols();
        rows(f, k12.rows(), cols).forEach(i -> DualRows.dual(f, d1[i], d2, dk, i * cols, ok, i * cols, okd, i * cols,
                cols));
    }

    /** Overrides the default's two temporaries and four passes with one pass over both kernels. */
    @Override
    public void dualLayer(Activation f, Tensor sigma, Tensor q1, Tensor q2, double weightVariance,
                          double biasVariance, Tensor theta) {
        double[] ds = own(sigma).data();
        double[] d1 = own(q1).data();
        double[] d2 = own(q2).data();
        double[] dt = own(theta).data();
        Checks.requireDualLayerArguments(sigma, q1, q2, theta);
        int cols = sigma.cols();
        rows(f, sigma.rows(), cols).forEach(i -> DualRows.layer(f, d1[i], d2, ds, i * cols, dt, i * cols, cols,
                weightVariance, biasVariance));
    }

    /** The rows of a dual, in parallel when the backend is threaded and the work is large. */
    private IntStream rows(Activation f, int rows, int cols) {
        IntStream range = IntStream.range(0, rows);
        if (threaded && (!ActivationDuals.hasClosedForm(f) || (long) rows * cols >= PARALLEL_ELEMENTS)) {
            range = range.parallel();
        }
        return range;
    }

    // ---------------------------------------------------------------------------------- linear algebra

    @Override
    public void choleskySolve(Tensor a, Tensor b, Tensor out) {
        DMatrixRMaj ma = own(a).matrix();
        DMatrixRMaj mb = own(b).matrix();
        DMatrixRMaj mo = own(out).matrix();
        Checks.requireSquareSystem("choleskySolve", a, b, out);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(a.rows());
        DMatrixRMaj work = lowerSymmetrized(ma);
        if (!solver.setA(work)) {
            throw new NotPositiveDefiniteException("choleskySolve: the " + a.shape()
                    + " matrix is not symmetric positive definite");
        }
        DMatrixRMaj rhs = mb == mo ? mb.copy() : mb;
        solver.solve(rhs, mo);
        requireFinite("choleskySolve", mo, a);
    }

    /** Overrides the copying default: the lower triangle is mirrored in A itself, which EJML then factors. */
    @Override
    public void choleskySolveInPlace(Tensor a, Tensor b, Tensor out) {
        DMatrixRMaj ma = own(a).matrix();
        DMatrixRMaj mb = own(b).matrix();
        DMatrixRMaj mo = own(out).matrix();
        Checks.requireSquareSystem("choleskySolve", a, b, out);
        int n = ma.numRows;
        double[] d = ma.data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[j * n + i] = d[i * n + j];
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
        if (!solver.setA(ma)) {
            throw new NotPositiveDefiniteException("choleskySolve: the " + a.shape()
                    + " matrix is not symmetric positive definite");
        }
        DMatrixRMaj rhs = mb == mo ? mb.copy() : mb;
        solver.solve(rhs, mo);
        requireFinite("choleskySolve", mo, a);
    }

    /**
     * Overrides the host default with EJML's blocked outer-form Cholesky (threaded when this backend is): the
     * array is rearranged into blocks in place, factored, and rearranged back, so no copy of A is made.
     */
    @Override
    public void choleskyFactorInPlace(Tensor a) {
        double[] d = own(a).data();
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("choleskyFactorInPlace: A must be square, got " + a.shape());
        }
        int n = a.rows();
        int block = EjmlParameters.BLOCK_WIDTH_CHOL;
        DGrowArray work = new DGrowArray();
        MatrixOps_DDRB.convertRowToBlock(n, n, block, d, work);
        DMatrixRBlock blocks = DMatrixRBlock.wrap(d, n, n, block);
        boolean ok = threaded ? new CholeskyOuterForm_MT_DDRB(true).decompose(blocks)
                : new CholeskyOuterForm_DDRB(true).decompose(blocks);
        MatrixOps_DDRB.convertBlockToRow(n, n, block, d, work);
        for (int i = 0; i < n; i++) {
            Arrays.fill(d, i * n + i + 1, (i + 1) * n, 0);
            ok &= d[i * n + i] > 0 && Double.isFinite(d[i * n + i]);
        }
        if (!ok) {
            throw new NotPositiveDefiniteException("choleskyFactorInPlace: the " + a.shape()
                    + " matrix is not positive definite");
        }
    }

    /** Overrides the copying default: substitution on the tensors' own arrays. */
    @Override
    public void triangularSolve(Tensor l, boolean transpose, Tensor b, Tensor out) {
        double[] dl = own(l).data();
        double[] db = own(b).data();
        double[] dout = own(out).data();
        Checks.requireSquareSystem("triangularSolve", l, b, out);
        int n = l.rows();
        for (int i = 0; i < n; i++) {
            if (dl[i * n + i] == 0) {
                throw new SingularMatrixException("triangularSolve: the " + l.shape()
                        + " triangular matrix is singular (diagonal entry " + i + " is zero)");
            }
        }
        if (dout != db) {
            System.arraycopy(db, 0, dout, 0, (int) b.size());
        }
        HostTriangular.solveLower(dl, n, transpose, dout, b.cols());
    }

    /** Overrides the copying default: the product is computed from L's own array. */
    @Override
    public void triangularGram(Tensor l, Tensor out) {
        double[] dl = own(l).data();
        double[] dout = own(out).data();
        Checks.requireSameDType("triangularGram", l, out);
        if (l.rows() != l.cols()) {
            throw new IllegalArgumentException("triangularGram: L must be square, got " + l.shape());
        }
        Checks.requireSameShape("triangularGram out", l, out);
        double[] c = HostTriangular.transposeTimesSelf(dl, l.rows());
        System.arraycopy(c, 0, dout, 0, c.length);
    }

    /** Overrides the default: one pass over the arrays, in parallel by rows. */
    @Override
    public void ntkLayerAccumulate(Tensor deltaGram, Tensor inputGram, int rowRepeat, int colRepeat,
                                   double inputScale, double biasVariance, Tensor acc) {
        double[] dg = own(deltaGram).data();
        double[] ig = own(inputGram).data();
        double[] d = own(acc).data();
        Checks.requireSameShape("ntkLayerAccumulate", deltaGram, acc);
        if (rowRepeat < 1 || colRepeat < 1 || deltaGram.rows() != inputGram.rows() * rowRepeat
                || deltaGram.cols() != inputGram.cols() * colRepeat) {
            throw new IllegalArgumentException("ntkLayerAccumulate: delta Gram " + deltaGram.shape()
                    + " is not the input Gram " + inputGram.shape() + " repeated " + rowRepeat + "×" + colRepeat);
        }
        int cols = acc.cols();
        int n2 = inputGram.cols();
        java.util.function.IntConsumer row = r -> {
            int gi = (r / rowRepeat) * n2;
            int base = r * cols;
            for (int j = 0; j < n2; j++) {
                double v = inputScale * ig[gi + j] + biasVariance;
                int c0 = base + j * colRepeat;
                for (int q = c0; q < c0 + colRepeat; q++) {
                    d[q] += dg[q] * v;
                }
            }
        };
        if (threaded && acc.size() >= PARALLEL_ELEMENTS) {
            IntStream.range(0, acc.rows()).parallel().forEach(row);
        } else {
            for (int r = 0; r < acc.rows(); r++) {
                row.accept(r);
            }
        }
    }

    /** Overrides the default's eight passes, temporary and host copies with one pass over the arrays. */
    @Override
    public void adamUpdate(Tensor g, Tensor m, Tensor v, double beta1, double beta2, double step, double vScale,
                           double eps, Tensor mOut, Tensor vOut, Tensor uOut) {
        double[] dg = own(g).data();
        double[] dm = own(m).data();
        double[] dv = own(v).data();
        double[] om = own(mOut).data();
        double[] ov = own(vOut).data();
        double[] ou = own(uOut).data();
        Checks.requireAdamArguments(g, m, v, mOut, vOut, uOut);
        double a1 = 1 - beta1;
        double a2 = 1 - beta2;
        forEach((int) g.size(), i -> {
            double gi = dg[i];
            double mi = beta1 * dm[i] + a1 * gi;
            double vi = beta2 * dv[i] + a2 * (gi * gi);
            om[i] = mi;
            ov[i] = vi;
            ou[i] = -step * (mi / (Math.sqrt(vScale * vi) + eps));
        });
    }

    /** Overrides the host-copying default: reads the diagonal in place. */
    @Override
    public double trace(Tensor a) {
        Checks.requireShape("trace", a, a.cols(), a.cols());
        return CommonOps_DDRM.trace(own(a).matrix());
    }

    /** Overrides the default's host identity: writes the diagonal in place. */
    @Override
    public void addToDiagonal(double shift, Tensor a) {
        double[] d = own(a).data();
        Checks.requireShape("addToDiagonal", a, a.cols(), a.cols());
        int n = a.rows();
        for (int i = 0; i < n; i++) {
            d[i * (n + 1)] += shift;
        }
    }

    /** Overrides the default: the loops run on the tensor's array. */
    @Override
    public Tensor im2col(Tensor x, WindowGeometry g) {
        double[] d = own(x).data();
        WindowLoops.requireIm2col(x, g);
        int rows = x.rows() * g.positions();
        DMatrixRMaj out = new DMatrixRMaj(rows, g.windowSize());
        WindowLoops.im2col(d, x.rows(), g, out.data);
        return wrap(out);
    }

    /** Overrides the default: the loops run on the tensor's array. */
    @Override
    public Tensor col2im(Tensor cols, WindowGeometry g) {
        double[] d = own(cols).data();
        int n = WindowLoops.requireCol2im(cols, g);
        DMatrixRMaj out = new DMatrixRMaj(n, g.sampleSize());
        WindowLoops.col2im(d, n, g, out.data);
        return wrap(out);
    }

    /** Overrides the default: the loops run on the tensors' arrays. */
    @Override
    public void segmentedOuterSums(double alpha, Tensor a, Tensor b, Tensor out) {
        double[] da = own(a).data();
        double[] db = own(b).data();
        double[] dout = own(out).data();
        int segment = WindowLoops.requireSegmentedOuterSums(a, b, out);
        WindowLoops.segmentedOuterSums(alpha, da, a.cols(), db, b.cols(), out.rows(), segment, dout);
    }

    /** Overrides the default: one array copy. */
    @Override
    public Tensor reshape(Tensor t, int rows, int cols) {
        double[] d = own(t).data();
        if ((long) rows * cols != t.size() || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("reshape: cannot view " + t.shape() + " as " + rows + "×" + cols);
        }
        return wrap(DMatrixRMaj.wrap(rows, cols, Arrays.copyOf(d, (int) t.size())));
    }

    @Override
    public void luSolve(Tensor a, Tensor b, Tensor out) {
        DMatrixRMaj ma = own(a).matrix();
        DMatrixRMaj mb = own(b).matrix();
        DMatrixRMaj mo = own(out).matrix();
        Checks.requireSquareSystem("luSolve", a, b, out);
        LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
        LinearSolverDense<DMatrixRMaj> solver = new LinearSolverLu_DDRM(lu);
        if (!solver.setA(ma.copy()) || hasNegligiblePivot(lu.getLU(), ma)) {
            throw new SingularMatrixException("luSolve: the " + a.shape() + " matrix is singular to working precision");
        }
        DMatrixRMaj rhs = mb == mo ? mb.copy() : mb;
        solver.solve(rhs, mo);
        requireFinite("luSolve", mo, a);
    }

    /** A copy of the symmetric matrix whose lower triangle is {@code m}'s: the upper triangle is never read. */
    private static DMatrixRMaj lowerSymmetrized(DMatrixRMaj m) {
        int n = m.numRows;
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = m.data[i * n + j];
                out.data[i * n + j] = v;
                out.data[j * n + i] = v;
            }
        }
        return out;
    }

    /**
     * Whether a pivot of the LU factorization (the diagonal of U) is at most n·ε·max|a_ij|: singular to
     * working precision, judged relative to the matrix's own scale.
     */
    private static boolean hasNegligiblePivot(DMatrixRMaj luFactors, DMatrixRMaj a) {
        int n = a.numRows;
        double scale = CommonOps_DDRM.elementMaxAbs(a);
        double threshold = n * Math.ulp(1.0) * scale;
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(luFactors.get(i, i)) > threshold)) {
                return true;
            }
        }
        return false;
    }

    private static void requireFinite(String op, DMatrixRMaj m, Tensor a) {
        for (double v : m.data) {
            if (!Double.isFinite(v)) {
                if (op.startsWith("chol")) {
                    throw new NotPositiveDefiniteException(op + ": the " + a.shape() + " matrix is not positive definite");
                }
                throw new SingularMatrixException(op + ": the " + a.shape() + " matrix is singular to working precision");
            }
        }
    }

    @Override
    public SymmetricEigen symmetricEigen(Tensor a) {
        DMatrixRMaj ma = own(a).matrix();
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("symmetricEigen: A must be square, got " + a.shape());
        }
        int n = a.rows();
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(ma.copy())) {
            throw new ArithmeticException("symmetricEigen: the decomposition of the " + a.shape() + " matrix failed");
        }
        Integer[] order = new Integer[n];
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            lambda[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> lambda[i]));
        DMatrixRMaj values = new DMatrixRMaj(n, 1);
        DMatrixRMaj vectors = new DMatrixRMaj(n, n);
        for (int j = 0; j < n; j++) {
            values.data[j] = lambda[order[j]];
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            double norm = Math.sqrt(CommonOps_DDRM.dot(v, v));
            for (int i = 0; i < n; i++) {
                vectors.data[i * n + j] = v.data[i] / norm;
            }
        }
        return new SymmetricEigen(wrap(values), wrap(vectors));
    }

    @Override
    public void close() {
        // heap memory only: nothing to release
    }

    @Override
    public String toString() {
        return "EjmlBackend[threaded=" + threaded + "]";
    }
}
