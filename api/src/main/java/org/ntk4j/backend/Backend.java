package org.ntk4j.backend;

import java.util.List;
import java.util.Set;
import org.ntk4j.backend.spi.Checks;
import org.ntk4j.backend.spi.HostTriangular;
import org.ntk4j.backend.spi.WindowLoops;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * A compute backend: it owns tensors and runs the primitive operations on them.
 *
 * <p>The interface is the contract a backend implements. It has a small set of abstract primitives —
 * memory, one GEMM, a few elementwise and reduction operations, activations and their infinite-width
 * duals, and three dense solvers — and composite operations as {@code default} methods built from them,
 * which a backend may override with fused versions that give the same results.
 *
 * <h2>Common rules</h2>
 * <ul>
 *   <li>All tensors passed to one call belong to this backend, are open, and have one dtype; otherwise
 *       the call throws {@link IllegalArgumentException} (foreign backend, mixed dtypes) or
 *       {@link IllegalStateException} (closed tensor).</li>
 *   <li>Shapes are checked before anything is written; a mismatch throws {@link IllegalArgumentException}
 *       naming the shapes involved.</li>
 *   <li>An argument named {@code out} (or {@code c} for GEMM) is modified; every other argument is only
 *       read. Elementwise operations allow {@code out} to be the same tensor as an input ("aliasing")
 *       unless the method says otherwise.</li>
 *   <li>Methods that return a tensor return a new one, owned by the innermost open {@link #scope()} of
 *       the calling thread, or by the caller if there is none.</li>
 *   <li>Scalars ({@code alpha}, {@code beta}) are doubles; an F32 backend rounds them to float.</li>
 * </ul>
 *
 * <p>A backend instance is used by one thread at a time unless its documentation says otherwise.
 */
public interface Backend extends AutoCloseable {

    /** @return the backend's name, as its provider is selected by ({@code "ejml"}, {@code "nd4j"}, …) */
    String name();

    /** @return the dtypes this backend supports; always contains {@link DType#F64} */
    Set<DType> dtypes();

    /**
     * Opens a scope on the calling thread: tensors made until it is closed belong to it.
     *
     * @return the new scope, nested in the current one if any
     */
    TensorScope scope();

    // ---------------------------------------------------------------------------------------- memory

    /**
     * @param rows the number of rows, ≥ 1
     * @param cols the number of columns, ≥ 1
     * @param dtype the element type, one of {@link #dtypes()}
     * @return a new rows×cols tensor of zeros
     */
    Tensor zeros(int rows, int cols, DType dtype);

    /**
     * Copies host data into a new tensor, rounding to F32 if asked.
     *
     * @param data row-major values, length rows·cols (not modified, not retained)
     * @param rows the number of rows, ≥ 1
     * @param cols the number of columns, ≥ 1
     * @param dtype the element type of the new tensor
     * @return the new tensor
     */
    Tensor fromHost(double[] data, int rows, int cols, DType dtype);

    /**
     * Copies a tensor's values to the host, widening F32 to double.
     *
     * @param t the tensor (not modified)
     * @return a new row-major array of length rows·cols
     */
    double[] toHost(Tensor t);

    /**
     * @param t the tensor (not modified)
     * @return a new tensor with the same shape, dtype and values
     */
    Tensor copy(Tensor t);

    /**
     * Gathers rows: row r of the result is row {@code rows[r]} of {@code t}. Indices may repeat and come in
     * any order.
     *
     * @param t the source (not modified)
     * @param rows row indices into {@code t}, each in [0, t.rows()), at least one (not modified)
     * @return a new rows.length × t.cols() tensor
     */
    Tensor gatherRows(Tensor t, int[] rows);

    /**
     * Stacks tensors with equal column counts on top of each other.
     *
     * @param parts at least one tensor, all with the same number of columns (not modified)
     * @return a new (Σ rows) × cols tensor
     */
    Tensor concatRows(List<Tensor> parts);

    /**
     * @param t the tensor (not modified)
     * @return a new cols×rows tensor, the transpose
     */
    Tensor transpose(Tensor t);

    // ----------------------------------------------------------------------------------------- BLAS 3

    /**
     * C ← alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ. With beta = 0 the old contents of C are
     * ignored (even NaN). {@code c} must not be the same tensor as {@code a} or {@code b}.
     *
     * @param alpha scale of the product
     * @param a m×k after op (not modified)
     * @param transA whether op(A) = Aᵀ
     * @param b k×n after op (not modified)
     * @param transB whether op(B) = Bᵀ
     * @param beta scale of the old C
     * @param c m×n, modified
     */
    void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c);

    // ------------------------------------------------------------------------------------ elementwise

    /**
     * out ← alpha·x + beta·y, elementwise. Aliasing allowed.
     *
     * @param alpha scale of x
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param beta scale of y
     * @param y an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    void axpby(double alpha, Tensor x, double beta, Tensor y, Tensor out);

    /**
     * out ← a ⊙ b, the elementwise product. Aliasing allowed.
     *
     * @param a an r×c tensor (not modified unless it is {@code out})
     * @param b an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    void hadamard(Tensor a, Tensor b, Tensor out);

    /**
     * out ← alpha·x + beta, elementwise (an affine map of every element). Aliasing allowed.
     *
     * @param alpha the scale
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param beta the shift added to every element
     * @param out an r×c tensor, modified
     */
    void affine(double alpha, Tensor x, double beta, Tensor out);

    /**
     * out[i][j] ← a[i][j] + row[0][j]: broadcasts a row vector down the rows (a bias). Aliasing of
     * {@code a} and {@code out} allowed.
     *
     * @param a an r×c tensor (not modified unless it is {@code out})
     * @param row a 1×c tensor (not modified)
     * @param out an r×c tensor, modified
     */
    void addRowVector(Tensor a, Tensor row, Tensor out);

    /**
     * out[0][j] ← Σ_i a[i][j].
     *
     * @param a an r×c tensor (not modified)
     * @param out a 1×c tensor, modified; must not be {@code a}
     */
    void columnSums(Tensor a, Tensor out);

    /**
     * out[i][0] ← Σ_j a[i][j]².
     *
     * @param a an r×c tensor (not modified)
     * @param out an r×1 tensor, modified; must not be {@code a}
     */
    void rowSumsOfSquares(Tensor a, Tensor out);

    /**
     * @param a an r×c tensor (not modified)
     * @param b an r×c tensor (not modified)
     * @return Σ_ij a[i][j]·b[i][j], accumulated in double precision
     */
    double dot(Tensor a, Tensor b);

    /**
     * Whether this backend runs f on its own path: {@link #map}, {@link #mapDerivative}, {@link #dualMap} and
     * {@link #dualLayer} take the activations it accelerates. The library runs every other activation through the
     * generic elementwise path on the host ({@link ActivationPaths}), so a new activation never needs a backend
     * changed. The default accepts the built-ins ({@link Activation.Builtin}), which every backend implements; a
     * backend that evaluates any activation by {@link Activation#apply} on its own storage may accept all.
     *
     * @param f the activation (not modified)
     * @return whether {@link #map}, {@link #mapDerivative}, {@link #dualMap} and {@link #dualLayer} take f
     */
    default boolean accelerates(Activation f) {
        return f instanceof Activation.Builtin;
    }

    /**
     * out ← φ(x) elementwise, φ as {@link Activation#apply(double)}, for an activation this backend
     * {@linkplain #accelerates accelerates} (the library calls it through {@link ActivationPaths#map}). Aliasing
     * allowed.
     *
     * @param f the activation
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    void map(Activation f, Tensor x, Tensor out);

    /**
     * out ← φ'(x) elementwise, φ' as {@link Activation#derivative(double)}, for an activation this backend
     * {@linkplain #accelerates accelerates}. Aliasing allowed.
     *
     * @param f the activation
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    void mapDerivative(Activation f, Tensor x, Tensor out);

    /**
     * The infinite-width dual of an activation: for each (i, j), with (u, v) centred Gaussian with
     * variances q1[i], q2[j] and covariance k12[i][j],
     * outK[i][j] ← E[φ(u)·φ(v)] and outKdot[i][j] ← E[φ'(u)·φ'(v)], for an activation this backend
     * {@linkplain #accelerates accelerates}.
     * Closed forms for IDENTITY, RELU, LEAKY_RELU and ERF; quadrature for the others. The reference is
     * {@code org.ntk4j.backend.spi.ActivationDuals.dual} (a trapezoidal rule below 1e-11 absolute error for
     * TANH, GELU, SIGMOID and SOFTPLUS). For F64 the conformance kit holds results to 1e-10 relative plus
     * 1e-10 absolute of it for those four (variances up to about 1.5), and to 1e-10 relative plus 1e-12
     * absolute for the closed forms: a Gauss–Hermite rule of {@code ActivationDuals.DEFAULT_ORDER} points
     * (about 1e-6) meets only the F32 bounds (2e-3 relative plus 2e-4 absolute). {@code outK} and
     * {@code outKdot} may not alias each other or the inputs.
     *
     * @param f the activation
     * @param k12 an n1×n2 tensor of covariances (not modified)
     * @param q1 an n1×1 tensor of variances, ≥ 0 (not modified)
     * @param q2 an n2×1 tensor of variances, ≥ 0 (not modified)
     * @param outK an n1×n2 tensor, modified
     * @param outKdot an n1×n2 tensor, modified
     */
    void dualMap(Activation f, Tensor k12, Tensor q1, Tensor q2, Tensor outK, Tensor outKdot);

    // ---------------------------------------------------------------------------------- linear algebra

    /**
     * Solves A·X = B for symmetric positive definite A by a Cholesky factorization.
     *
     * @param a an n×n symmetric positive definite tensor (not modified; only its lower triangle is read)
     * @param b an n×k tensor (not modified unless it is {@code out})
     * @param out an n×k tensor, modified: X; may be {@code b}
     * @throws NotPositiveDefiniteException if a pivot is not positive
     */
    void choleskySolve(Tensor a, Tensor b, Tensor out);

    /**
     * Solves A·X = B for a general square A by LU factorization with partial pivoting.
     *
     * @param a an n×n tensor (not modified)
     * @param b an n×k tensor (not modified unless it is {@code out})
     * @param out an n×k tensor, modified: X; may be {@code b}
     * @throws SingularMatrixException if A is singular to working precision
     */
    void luSolve(Tensor a, Tensor b, Tensor out);

    /**
     * The eigendecomposition of a symmetric matrix.
     *
     * @param a an n×n symmetric tensor (not modified)
     * @return eigenvalues in ascending order and orthonormal eigenvectors, new tensors
     */
    SymmetricEigen symmetricEigen(Tensor a);

    /** Releases the backend's resources (native handles, device context). Tensors must not be used after. */
    @Override
    void close();

    // -------------------------------------------------------------------------------------- composites

    /**
     * @param a an n×d tensor (not modified)
     * @return a new n×n tensor A·Aᵀ
     */
    default Tensor gram(Tensor a) {
        return crossGram(a, a);
    }

    /**
     * @param a an n1×d tensor (not modified)
     * @param b an n2×d tensor (not modified)
     * @return a new n1×n2 tensor A·Bᵀ
     */
    default Tensor crossGram(Tensor a, Tensor b) {
        Tensor out = zeros(a.rows(), b.rows(), a.dtype());
        gemm(1, a, false, b, true, 0, out);
        return out;
    }

    /**
     * out ← alpha·x, elementwise. Aliasing allowed.
     *
     * @param alpha the scale
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    default void scale(double alpha, Tensor x, Tensor out) {
        affine(alpha, x, 0, out);
    }

    /**
     * The pre-activation of a dense layer: {@code weightScale·X·W + biasScale·1·bᵀ}.
     *
     * @param x n×d inputs, one row per sample (not modified)
     * @param w d×h weights (not modified)
     * @param bias 1×h biases, or {@code null} for none (not modified)
     * @param weightScale the factor on X·W (σ_w/√d in NTK parameterization, 1 in standard)
     * @param biasScale the factor on b (σ_b in NTK parameterization, 1 in standard)
     * @return a new n×h tensor
     */
    default Tensor denseForward(Tensor x, Tensor w, Tensor bias, double weightScale, double biasScale) {
        Tensor z = zeros(x.rows(), w.cols(), x.dtype());
        gemm(weightScale, x, false, w, false, 0, z);
        if (bias != null) {
            if (biasScale == 1) {
                addRowVector(z, bias, z);
            } else {
                try (Tensor scaled = zeros(1, bias.cols(), bias.dtype())) {
                    scale(biasScale, bias, scaled);
                    addRowVector(z, scaled, z);
                }
            }
        }
        return z;
    }

    /**
     * The parameter gradients of a dense layer given the cotangent G of its pre-activation:
     * gradW ← weightScale·Xᵀ·G and gradB ← biasScale·(column sums of G).
     *
     * @param x n×d inputs of the layer (not modified)
     * @param g n×h cotangent of the pre-activation (not modified)
     * @param weightScale the factor the forward pass put on X·W
     * @param biasScale the factor the forward pass put on b
     * @param gradW d×h, modified
     * @param gradB 1×h, modified; or {@code null} when the layer has no bias
     */
    default void denseBackward(Tensor x, Tensor g, double weightScale, double biasScale, Tensor gradW, Tensor gradB) {
        gemm(weightScale, x, true, g, false, 0, gradW);
        if (gradB != null) {
            columnSums(g, gradB);
            if (biasScale != 1) {
                scale(biasScale, gradB, gradB);
            }
        }
    }

    /**
     * One layer's term of the empirical NTK: acc ← acc + deltaGram ⊙ (inputScale·inputGram + biasVariance).
     *
     * @param deltaGram n1×n2 Gram of the back-propagated deltas (not modified)
     * @param inputGram n1×n2 Gram of the layer inputs (modified: used as scratch, its values are lost)
     * @param inputScale the factor on the input Gram (σ_w²/n_l in NTK parameterization, 1 in standard)
     * @param biasVariance the constant added (σ_b² in NTK parameterization, 1 or 0 in standard)
     * @param acc n1×n2 accumulator, modified
     */
    default void ntkLayerAccumulate(Tensor deltaGram, Tensor inputGram, double inputScale, double biasVariance,
                                    Tensor acc) {
        affine(inputScale, inputGram, biasVariance, inputGram);
        hadamard(deltaGram, inputGram, inputGram);
        axpby(1, acc, 1, inputGram, acc);
    }

    /**
     * One layer's term of the full empirical NTK, with each input-Gram entry standing for a block of
     * rowRepeat × colRepeat kernel entries (one per pair of outputs):
     * acc[r][c] ← acc[r][c] + deltaGram[r][c]·(inputScale·inputGram[r / rowRepeat][c / colRepeat] + biasVariance).
     * The default expands the input Gram by row gathers and transposes and calls
     * {@link #ntkLayerAccumulate(Tensor, Tensor, double, double, Tensor)}; a backend may override it with one
     * pass that gives the same results.
     *
     * @param deltaGram (n1·rowRepeat)×(n2·colRepeat) Gram of the back-propagated deltas (not modified)
     * @param inputGram n1×n2 Gram of the layer inputs (not modified)
     * @param rowRepeat the kernel rows per input-Gram row, ≥ 1
     * @param colRepeat the kernel columns per input-Gram column, ≥ 1
     * @param inputScale the factor on the input Gram
     * @param biasVariance the constant added
     * @param acc accumulator shaped like deltaGram, modified
     */
    default void ntkLayerAccumulate(Tensor deltaGram, Tensor inputGram, int rowRepeat, int colRepeat,
                                    double inputScale, double biasVariance, Tensor acc) {
        if (rowRepeat < 1 || colRepeat < 1 || deltaGram.rows() != inputGram.rows() * rowRepeat
                || deltaGram.cols() != inputGram.cols() * colRepeat) {
            throw new IllegalArgumentException("ntkLayerAccumulate: delta Gram " + deltaGram.shape()
                    + " is not the input Gram " + inputGram.shape() + " repeated " + rowRepeat + "×" + colRepeat);
        }
        int[] rows = new int[deltaGram.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / rowRepeat;
        }
        int[] cols = new int[deltaGram.cols()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = i / colRepeat;
        }
        try (Tensor a = gatherRows(inputGram, rows); Tensor at = transpose(a); Tensor b = gatherRows(at, cols);
             Tensor wide = transpose(b)) {
            ntkLayerAccumulate(deltaGram, wide, inputScale, biasVariance, acc);
        }
    }

    /**
     * One layer of the analytic kernel recursion: a nonlinearity's dual and the dense layer after it. With
     * Σ̃[i][j] = E[φ(u)·φ(v)] and Ṫ[i][j] = E[φ'(u)·φ'(v)] as {@link #dualMap} defines them for variances q1[i],
     * q2[j] and covariance sigma[i][j]:
     * sigma ← weightVariance·Σ̃ + biasVariance, then theta ← sigma + weightVariance·(theta ⊙ Ṫ).
     * The default calls {@link #dualMap} into two temporaries and then {@link #hadamard}, {@link #affine} and
     * {@link #axpby}; a backend may override it with one pass over sigma and theta that needs no temporaries (same
     * results within the tolerances of {@link #dualMap}).
     *
     * @param f the activation
     * @param sigma an n1×n2 tensor of covariances, modified: the next layer's NNGP
     * @param q1 an n1×1 tensor of variances, ≥ 0 (not modified)
     * @param q2 an n2×1 tensor of variances, ≥ 0 (not modified)
     * @param weightVariance σ_w² of the dense layer
     * @param biasVariance σ_b² of the dense layer
     * @param theta an n1×n2 tensor, the NTK so far, modified: the next layer's NTK; distinct from the other
     *     three tensors
     */
    default void dualLayer(Activation f, Tensor sigma, Tensor q1, Tensor q2, double weightVariance,
                           double biasVariance, Tensor theta) {
        Checks.requireDualLayerArguments(sigma, q1, q2, theta);
        try (Tensor k = zeros(sigma.rows(), sigma.cols(), sigma.dtype());
             Tensor kdot = zeros(sigma.rows(), sigma.cols(), sigma.dtype())) {
            dualMap(f, sigma, q1, q2, k, kdot);
            hadamard(theta, kdot, theta);
            affine(weightVariance, k, biasVariance, sigma);
            axpby(1, sigma, weightVariance, theta, theta);
        }
    }

    /**
     * Like {@link #choleskySolve(Tensor, Tensor, Tensor)}, but the factorization may use A's own storage,
     * which spares a copy of A. The default calls {@link #choleskySolve(Tensor, Tensor, Tensor)}.
     *
     * @param a an n×n symmetric positive definite tensor (only its lower triangle is read), modified: its
     *     values afterwards are unspecified
     * @param b an n×k tensor (not modified unless it is {@code out})
     * @param out an n×k tensor, modified: X; may be {@code b}
     * @throws NotPositiveDefiniteException if a pivot is not positive
     */
    default void choleskySolveInPlace(Tensor a, Tensor b, Tensor out) {
        choleskySolve(a, b, out);
    }

    /**
     * Like {@link #luSolve(Tensor, Tensor, Tensor)}, but the factorization may use A's own storage, which
     * spares a copy of A. The default calls {@link #luSolve(Tensor, Tensor, Tensor)}.
     *
     * @param a an n×n tensor, modified: its values afterwards are unspecified
     * @param b an n×k tensor (not modified unless it is {@code out})
     * @param out an n×k tensor, modified: X; may be {@code b}
     * @throws SingularMatrixException if A is singular to working precision
     */
    default void luSolveInPlace(Tensor a, Tensor b, Tensor out) {
        luSolve(a, b, out);
    }

    /**
     * Factors a symmetric positive definite matrix in its own storage: afterwards A holds the lower-triangular
     * Cholesky factor L, A = L·Lᵀ, with zeros above the diagonal. Only A's lower triangle is read. The default
     * factors on the host ({@link HostTriangular#cholesky}, O(n³) in Java); a backend should override it with
     * LAPACK's {@code potrf} or its own blocked factorization.
     *
     * @param a an n×n tensor, modified: L (its values are unspecified when the exception is thrown)
     * @throws NotPositiveDefiniteException if a pivot is not positive
     */
    default void choleskyFactorInPlace(Tensor a) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("choleskyFactorInPlace: A must be square, got " + a.shape());
        }
        double[] v = toHost(a);
        int pivot = HostTriangular.cholesky(v, a.rows());
        if (pivot >= 0) {
            throw new NotPositiveDefiniteException("choleskyFactorInPlace: the " + a.shape()
                    + " matrix is not positive definite (the leading minor of order " + (pivot + 1) + " is not positive)");
        }
        try (Tensor t = fromHost(v, a.rows(), a.cols(), a.dtype())) {
            affine(1, t, 0, a);
        }
    }

    /**
     * out ← L⁻¹·B, or L⁻ᵀ·B when {@code transpose}, for L the lower triangle of {@code l} (a factor from
     * {@link #choleskyFactorInPlace}; its strict upper triangle is not read). The default solves on the host
     * ({@link HostTriangular#solveLower}); a backend should override it with BLAS {@code trsm}.
     *
     * @param l an n×n tensor (not modified)
     * @param transpose whether to solve with Lᵀ
     * @param b an n×k tensor (not modified unless it is {@code out})
     * @param out an n×k tensor, modified: X; may be {@code b}
     * @throws SingularMatrixException if a diagonal entry of L is zero
     */
    default void triangularSolve(Tensor l, boolean transpose, Tensor b, Tensor out) {
        Checks.requireSquareSystem("triangularSolve", l, b, out);
        double[] lv = toHost(l);
        int n = l.rows();
        requireNonZeroDiagonal(lv, n);
        double[] x = toHost(b);
        HostTriangular.solveLower(lv, n, transpose, x, b.cols());
        try (Tensor t = fromHost(x, b.rows(), b.cols(), out.dtype())) {
            affine(1, t, 0, out);
        }
    }

    /**
     * out ← Lᵀ·L, both triangles, for L the lower triangle of {@code l} (its strict upper triangle is not read).
     * The default multiplies on the host ({@link HostTriangular#transposeTimesSelf}); a backend should override
     * it with LAPACK's {@code lauum}.
     *
     * @param l an n×n tensor (not modified unless it is {@code out})
     * @param out an n×n tensor, modified; may be {@code l}
     */
    default void triangularGram(Tensor l, Tensor out) {
        Checks.requireSameDType("triangularGram", l, out);
        if (l.rows() != l.cols()) {
            throw new IllegalArgumentException("triangularGram: L must be square, got " + l.shape());
        }
        Checks.requireSameShape("triangularGram out", l, out);
        double[] c = HostTriangular.transposeTimesSelf(toHost(l), l.rows());
        try (Tensor t = fromHost(c, l.rows(), l.cols(), out.dtype())) {
            affine(1, t, 0, out);
        }
    }

    /**
     * Factors the symmetric positive definite matrix stored in one triangle of {@code a} (diagonal included)
     * into that triangle: L with L·Lᵀ = A for {@link Triangle#LOWER}, U with Uᵀ·U = A for {@link Triangle#UPPER}
     * (LAPACK's {@code potrf}). The other strict triangle is neither read nor written, so that it can hold
     * another matrix. The default factors on the host; a backend should override it.
     *
     * @param a an n×n tensor, modified in the triangle {@code part} (its values there are unspecified when the
     *     exception is thrown)
     * @param part the triangle that holds A and receives the factor
     * @throws NotPositiveDefiniteException if a pivot is not positive
     */
    default void choleskyFactorInPlace(Tensor a, Triangle part) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("choleskyFactorInPlace: A must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] v = toHost(a);
        double[] l = HostTriangular.lowerOf(v, n, part == Triangle.UPPER);
        int pivot = HostTriangular.cholesky(l, n);
        if (pivot >= 0) {
            throw new NotPositiveDefiniteException("choleskyFactorInPlace: the " + a.shape()
                    + " matrix is not positive definite (the leading minor of order " + (pivot + 1) + " is not positive)");
        }
        HostTriangular.storeLower(l, n, part == Triangle.UPPER, v);
        try (Tensor t = fromHost(v, n, n, a.dtype())) {
            affine(1, t, 0, a);
        }
    }

    /**
     * out ← R⁻¹·B, or R⁻ᵀ·B when {@code transpose}, for R the triangle {@code part} of {@code r} (diagonal
     * included; the other strict triangle is not read). {@link Triangle#LOWER} is
     * {@link #triangularSolve(Tensor, boolean, Tensor, Tensor)}; the default solves the upper case on the host.
     *
     * @param r an n×n tensor (not modified)
     * @param part the triangle that holds R
     * @param transpose whether to solve with Rᵀ
     * @param b an n×k tensor (not modified unless it is {@code out})
     * @param out an n×k tensor, modified: X; may be {@code b}
     * @throws SingularMatrixException if a diagonal entry of R is zero
     */
    default void triangularSolve(Tensor r, Triangle part, boolean transpose, Tensor b, Tensor out) {
        if (part == Triangle.LOWER) {
            triangularSolve(r, transpose, b, out);
            return;
        }
        Checks.requireSquareSystem("triangularSolve", r, b, out);
        int n = r.rows();
        double[] l = HostTriangular.lowerOf(toHost(r), n, true);
        requireNonZeroDiagonal(l, n);
        double[] x = toHost(b);
        HostTriangular.solveLower(l, n, !transpose, x, b.cols());
        try (Tensor t = fromHost(x, b.rows(), b.cols(), out.dtype())) {
            affine(1, t, 0, out);
        }
    }

    /**
     * The triangle {@code part} of {@code a} ← that triangle of Rᵀ·R for a lower R, of R·Rᵀ for an upper R, R
     * being the triangle {@code part} of a (LAPACK's {@code lauum}; for R = Lᵀ both are Lᵀ·L). The other strict
     * triangle is neither read nor written. The default multiplies on the host; a backend should override it.
     *
     * @param a an n×n tensor, modified in the triangle {@code part}
     * @param part the triangle that holds R and receives the product
     */
    default void triangularGramInPlace(Tensor a, Triangle part) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("triangularGramInPlace: R must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] v = toHost(a);
        double[] c = HostTriangular.transposeTimesSelf(HostTriangular.lowerOf(v, n, part == Triangle.UPPER), n);
        HostTriangular.storeLower(c, n, part == Triangle.UPPER, v);
        try (Tensor t = fromHost(v, n, n, a.dtype())) {
            affine(1, t, 0, a);
        }
    }

    /**
     * Copies the strict triangle {@code from} of {@code a} onto the other strict triangle, transposed: a(j, i) ←
     * a(i, j). The diagonal is not touched. The default copies through the host; a backend may override it.
     *
     * @param a an n×n tensor, modified in the strict triangle opposite {@code from}
     * @param from the triangle that is copied
     */
    default void mirrorTriangle(Tensor a, Triangle from) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("mirrorTriangle: A must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] v = toHost(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (from == Triangle.LOWER) {
                    v[j * n + i] = v[i * n + j];
                } else {
                    v[i * n + j] = v[j * n + i];
                }
            }
        }
        try (Tensor t = fromHost(v, n, n, a.dtype())) {
            affine(1, t, 0, a);
        }
    }

    /**
     * @param a an n×n tensor (not modified)
     * @return its diagonal, a new array of n values (F32 widened). The default reads the tensor through the
     *     host; a backend may override it.
     */
    default double[] diagonal(Tensor a) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("diagonal: A must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] v = toHost(a);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = v[i * n + i];
        }
        return d;
    }

    /**
     * Overwrites the diagonal of {@code a}, rounding to F32 for an F32 tensor. The default copies through the
     * host; a backend may override it.
     *
     * @param d n values (not modified)
     * @param a an n×n tensor, modified on its diagonal
     */
    default void setDiagonal(double[] d, Tensor a) {
        if (a.rows() != a.cols() || d.length != a.rows()) {
            throw new IllegalArgumentException("setDiagonal: " + d.length + " values for the diagonal of " + a.shape());
        }
        int n = a.rows();
        double[] v = toHost(a);
        for (int i = 0; i < n; i++) {
            v[i * n + i] = d[i];
        }
        try (Tensor t = fromHost(v, n, n, a.dtype())) {
            affine(1, t, 0, a);
        }
    }

    /**
     * @param l row-major n×n values (not modified)
     * @param n n
     * @throws SingularMatrixException naming the first zero on the diagonal
     */
    private static void requireNonZeroDiagonal(double[] l, int n) {
        for (int i = 0; i < n; i++) {
            if (l[i * n + i] == 0) {
                throw new SingularMatrixException("triangularSolve: the " + n + "×" + n
                        + " triangular matrix is singular (diagonal entry " + i + " is zero)");
            }
        }
    }

    /**
     * @param a an n×n tensor (not modified)
     * @return Σ_i a[i][i], accumulated in double precision. The default gathers the diagonal through the
     *     host; a backend may override it.
     */
    default double trace(Tensor a) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("trace: A must be square, got " + a.shape());
        }
        double[] v = toHost(a);
        int n = a.rows();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i * n + i];
        }
        return s;
    }

    /**
     * a ← a + shift·I. The default adds an identity made on the host; a backend may override it.
     *
     * @param shift the value added to every diagonal entry
     * @param a an n×n tensor, modified
     */
    default void addToDiagonal(double shift, Tensor a) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException("addToDiagonal: A must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) {
            eye[i * n + i] = 1;
        }
        try (Tensor identity = fromHost(eye, n, n, a.dtype())) {
            axpby(1, a, shift, identity, a);
        }
    }

    /**
     * The same values in the same row-major order under another shape. The default copies through the host;
     * a backend may override it with a copy on the backend.
     *
     * @param t the tensor (not modified)
     * @param rows the new number of rows, ≥ 1
     * @param cols the new number of columns, ≥ 1, with rows·cols = t.size()
     * @return a new rows×cols tensor
     */
    default Tensor reshape(Tensor t, int rows, int cols) {
        if ((long) rows * cols != t.size() || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("reshape: cannot view " + t.shape() + " as " + rows + "×" + cols);
        }
        return fromHost(toHost(t), rows, cols, t.dtype());
    }

    /**
     * One Adam step on one parameter tensor (the moments' arithmetic of {@code org.ntk4j.optim.Adam}, fused
     * where a backend can make it one pass over the tensors), elementwise:
     * <pre>
     * mOut ← β₁·m + (1 − β₁)·g
     * vOut ← β₂·v + (1 − β₂)·(g ⊙ g)
     * uOut ← −step · mOut ⊘ (√(vScale·vOut) + ε)
     * </pre>
     * With t the step number, Adam passes step = lr/(1 − β₁ᵗ) and vScale = 1/(1 − β₂ᵗ) (bias correction).
     * The default composes the primitives and {@link #sqrt} and {@link #divide} (one temporary); a backend may
     * override it with one pass that gives the same results up to rounding.
     *
     * @param g the gradient (not modified)
     * @param m the first moment (not modified unless it is {@code mOut})
     * @param v the second moment (not modified unless it is {@code vOut})
     * @param beta1 β₁
     * @param beta2 β₂
     * @param step the factor on the update, lr/(1 − β₁ᵗ)
     * @param vScale the factor on the second moment under the root, 1/(1 − β₂ᵗ)
     * @param eps ε, added to the root
     * @param mOut the new first moment, modified; may be {@code m}
     * @param vOut the new second moment, modified; may be {@code v}
     * @param uOut the update, modified; distinct from every other argument
     * @throws IllegalArgumentException if the shapes or element types differ, or outputs alias otherwise
     */
    default void adamUpdate(Tensor g, Tensor m, Tensor v, double beta1, double beta2, double step, double vScale,
                            double eps, Tensor mOut, Tensor vOut, Tensor uOut) {
        Checks.requireAdamArguments(g, m, v, mOut, vOut, uOut);
        try (Tensor sq = zeros(g.rows(), g.cols(), g.dtype())) {
            hadamard(g, g, sq);
            axpby(1 - beta2, sq, beta2, v, vOut);
            axpby(1 - beta1, g, beta1, m, mOut);
            scale(vScale, vOut, sq);
            sqrt(sq, sq);
            affine(1, sq, eps, sq);
            divide(mOut, sq, uOut);
            scale(-step, uOut, uOut);
        }
    }

    /**
     * out ← √x, elementwise (NaN where x &lt; 0). Aliasing allowed. The default copies through the host;
     * a backend may override it with a device version that gives the same results.
     *
     * @param x an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    default void sqrt(Tensor x, Tensor out) {
        if (x.rows() != out.rows() || x.cols() != out.cols()) {
            throw new IllegalArgumentException("sqrt: x is " + x.shape() + ", out is " + out.shape());
        }
        double[] v = toHost(x);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sqrt(v[i]);
        }
        try (Tensor t = fromHost(v, x.rows(), x.cols(), out.dtype())) {
            affine(1, t, 0, out);
        }
    }

    /**
     * out ← a ⊘ b, the elementwise quotient (IEEE rules for division by zero). Aliasing allowed. The default
     * copies through the host; a backend may override it with a device version that gives the same results.
     *
     * @param a an r×c tensor (not modified unless it is {@code out})
     * @param b an r×c tensor (not modified unless it is {@code out})
     * @param out an r×c tensor, modified
     */
    default void divide(Tensor a, Tensor b, Tensor out) {
        if (a.rows() != b.rows() || a.cols() != b.cols() || a.rows() != out.rows() || a.cols() != out.cols()) {
            throw new IllegalArgumentException("divide: a is " + a.shape() + ", b is " + b.shape() + ", out is "
                    + out.shape());
        }
        double[] va = toHost(a);
        double[] vb = toHost(b);
        for (int i = 0; i < va.length; i++) {
            va[i] /= vb[i];
        }
        try (Tensor t = fromHost(va, a.rows(), a.cols(), out.dtype())) {
            affine(1, t, 0, out);
        }
    }

    // ------------------------------------------------------------------------------------- windows

    /**
     * Image patches as rows ("im2col"): x holds N samples of H·W·C values (row-major, channels last); row
     * n·OH·OW + i·OW + j of the result is the window of output position (i, j) of sample n, column
     * (p·kw + q)·C + c holding input pixel (i·stride + p − padTop, j·stride + q − padLeft), channel c, or 0 where
     * that lies outside the image (see {@link WindowGeometry}). The default copies through the host; a backend
     * should override it.
     *
     * @param x an N × (H·W·C) tensor (not modified)
     * @param g the window geometry
     * @return a new (N·OH·OW) × (kh·kw·C) tensor
     */
    default Tensor im2col(Tensor x, WindowGeometry g) {
        WindowLoops.requireIm2col(x, g);
        double[] out = new double[Math.multiplyExact(x.rows() * g.positions(), g.windowSize())];
        WindowLoops.im2col(toHost(x), x.rows(), g, out);
        return fromHost(out, x.rows() * g.positions(), g.windowSize(), x.dtype());
    }

    /**
     * The adjoint of {@link #im2col} ("col2im"): every window value is added back to the input pixel it came from
     * (values in the padding are dropped), so ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩. The default copies through the
     * host; a backend should override it.
     *
     * @param cols an (N·OH·OW) × (kh·kw·C) tensor (not modified)
     * @param g the window geometry
     * @return a new N × (H·W·C) tensor
     */
    default Tensor col2im(Tensor cols, WindowGeometry g) {
        int n = WindowLoops.requireCol2im(cols, g);
        double[] out = new double[Math.multiplyExact(n, g.sampleSize())];
        WindowLoops.col2im(toHost(cols), n, g, out);
        return fromHost(out, n, g.sampleSize(), cols.dtype());
    }

    /**
     * Sums of row-wise outer products over segments of rows: with S = a.rows() / out.rows(),
     * out[n, i·q + j] = α·Σ_{s &lt; S} a[n·S + s, i]·b[n·S + s, j] (per sample, the product a_nᵀ·b_n of its S rows,
     * flattened row-major: a convolution's per-sample kernel gradient; with S = 1, the row-wise Kronecker product).
     * The old values of out are ignored. The default computes on the host; a backend should override it.
     *
     * @param alpha the factor
     * @param a an (N·S) × p tensor (not modified)
     * @param b an (N·S) × q tensor (not modified)
     * @param out an N × (p·q) tensor, modified; it must not be a or b
     */
    default void segmentedOuterSums(double alpha, Tensor a, Tensor b, Tensor out) {
        int segment = WindowLoops.requireSegmentedOuterSums(a, b, out);
        int n = out.rows();
        int size = a.cols() * b.cols();
        double[] rows = new double[Math.multiplyExact(n, size)];
        WindowLoops.segmentedOuterSums(alpha, toHost(a), a.cols(), toHost(b), b.cols(), n, segment, rows);
        try (Tensor t = fromHost(rows, n, size, out.dtype())) {
            affine(1, t, 0, out);
        }
    }
}
